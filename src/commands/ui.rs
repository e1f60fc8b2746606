//! `dsync ui`: the inspector over an existing store, until Ctrl-C.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::cli::ui::UiArgs;
use crate::commands::{Context, Signing};
use crate::error::{Error, Exit, Result};
use crate::server::{self, BindError, ServerOptions};
use crate::store::Store;
use crate::ui::{guard, Inspector, UiOptions};

pub fn run(args: UiArgs, ctx: &Context) -> Result<Exit> {
    let out = &ctx.out;
    if let Some(token) = &args.token {
        guard::check_user_token("--token", token)?;
    } else if !guard::is_loopback_host(&args.host) {
        return Err(Error::usage(format!(
            "the inspector binds only to loopback unless a token protects it: pass --token TOKEN to serve it on {} (anyone who has the URL can then read every capture)",
            args.host
        )));
    }
    let signing = Signing::resolve(&args.signing, &ctx.config)?;
    let dir = ctx.config.store_dir(args.store.as_deref());
    // The store may not exist yet (`dsync ui` first, `listen` next), but a
    // folder whose parent is missing too is a typo, not a store to create.
    let parent_missing = dir
        .value
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .is_some_and(|p| !p.exists());
    if !dir.value.exists() && parent_missing {
        return Err(Error::usage(format!(
            "there is no store at {} (from {}), nor its parent folder: check the path",
            dir.value.display(),
            dir.source
        )));
    }
    let store = Store::open(dir.value)?;

    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let interrupted = interrupted.clone();
        ctrlc::set_handler(move || interrupted.store(true, Ordering::SeqCst))
            .map_err(|e| Error::io(anyhow::anyhow!("cannot install the Ctrl-C handler: {e}")))?;
    }
    let bound = match server::bind(&args.host, args.port, ServerOptions::default()) {
        Ok(b) => b,
        Err(BindError::InUse) => {
            out.error(format!(
                "port {} is in use (try --port 0 for a free port)",
                args.port
            ));
            return Ok(Exit::Io);
        }
        Err(BindError::Other(e)) => {
            out.error(format!("cannot listen on {}:{}: {e}", args.host, args.port));
            return Ok(Exit::Io);
        }
    };
    let addr = bound.local_addr();
    let inspector = Inspector::new(UiOptions {
        store: store.clone(),
        signing,
        port: addr.port(),
        user_token: args.token.clone(),
    })?;
    let url = inspector.url(addr);
    let running = bound.serve(Arc::new(inspector));
    if out.json {
        out.json_line(&serde_json::json!({
            "type": "ready",
            "ui_url": url,
            "store": store.dir(),
        }))
        .map_err(Error::io)?;
    }
    out.info(format!(
        "inspector on {url} (store {}); Ctrl-C to stop",
        store.dir().display()
    ));
    while !interrupted.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
    running.shutdown(Duration::from_secs(2));
    Ok(Exit::Success)
}
