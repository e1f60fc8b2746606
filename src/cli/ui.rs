use std::path::PathBuf;

use clap::Args;

use super::SigningArgs;

/// Serve the inspector, a live web page over the event store, without
/// listening for webhooks: it shows what `dsync listen`, `dsync directory
/// serve` or `dsync simulate` save while it runs. The secret (for replays and
/// for diagnosing signatures) stays in this process; the page never sees it.
#[derive(Debug, Args)]
pub struct UiArgs {
    /// Event store folder [env: DSYNC_STORE] [default: .dsync]
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Port to bind; 0 takes a free one
    #[arg(long, short, default_value_t = 8002)]
    pub port: u16,

    /// Address to bind; anything but loopback needs --token
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,

    /// Serve on a non-loopback address: the page and the API then need this
    /// token (`?token=` in the URL printed); 16+ characters
    #[arg(
        long,
        value_name = "TOKEN",
        env = "DSYNC_UI_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,

    #[command(flatten)]
    pub signing: SigningArgs,
}
