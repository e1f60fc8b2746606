//! Tests of `dsync init`.

use crate::harness::Sandbox;

#[test]
fn yes_writes_defaults_with_mode_0600() {
    let sb = Sandbox::new();
    sb.cmd().args(["init", "--yes"]).assert().success();
    let text = std::fs::read_to_string(sb.path("dsync.toml")).unwrap();
    let parsed: toml::Value = toml::from_str(&text).unwrap();
    assert_eq!(parsed["scheme"].as_str(), Some("cryptr"));
    assert_eq!(parsed["secret"].as_str().unwrap().len(), 64);
    assert_eq!(parsed["listen"]["port"].as_integer(), Some(8000));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sb.path("dsync.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // What init wrote is what config reads.
    let out = sb.cmd().args(["config", "--json"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"kind\":\"file\""), "{text}");
}

#[test]
fn flags_answer_every_question_without_a_terminal() {
    let sb = Sandbox::new();
    sb.cmd()
        .args([
            "init", "--scheme", "stripe", "--secret", "whk", "--port", "9100",
        ])
        .args([
            "--path",
            "/hooks",
            "--forward-to",
            "http://127.0.0.1:3000/scim",
        ])
        .args(["--store", "caps"])
        .assert()
        .success();
    let parsed: toml::Value =
        toml::from_str(&std::fs::read_to_string(sb.path("dsync.toml")).unwrap()).unwrap();
    assert_eq!(parsed["scheme"].as_str(), Some("stripe"));
    assert_eq!(parsed["secret"].as_str(), Some("whk"));
    assert_eq!(parsed["store"].as_str(), Some("caps"));
    assert_eq!(parsed["listen"]["path"].as_str(), Some("/hooks"));
    assert_eq!(
        parsed["listen"]["forward_to"].as_str(),
        Some("http://127.0.0.1:3000/scim")
    );
}

#[test]
fn missing_answer_without_terminal_names_the_flag() {
    let sb = Sandbox::new();
    let out = sb
        .cmd()
        .args(["init", "--scheme", "cryptr"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--secret"), "{err}");
    assert!(!sb.path("dsync.toml").exists());
}

#[test]
fn never_overwrites_without_force() {
    let sb = Sandbox::new();
    sb.write("dsync.toml", "scheme = \"workos\"\n");
    let out = sb.cmd().args(["init", "--yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("--force"));
    assert_eq!(
        std::fs::read_to_string(sb.path("dsync.toml")).unwrap(),
        "scheme = \"workos\"\n"
    );
    sb.cmd()
        .args(["init", "--yes", "--force"])
        .assert()
        .success();
    assert!(std::fs::read_to_string(sb.path("dsync.toml"))
        .unwrap()
        .contains("cryptr"));
}

#[test]
fn gitignore_gets_dsync_once_in_a_git_repo() {
    let sb = Sandbox::new();
    std::fs::create_dir(sb.path(".git")).unwrap();
    sb.write(".gitignore", "target");
    sb.cmd().args(["init", "--yes"]).assert().success();
    sb.cmd()
        .args(["init", "--yes", "--force"])
        .assert()
        .success();
    let text = std::fs::read_to_string(sb.path(".gitignore")).unwrap();
    assert_eq!(text, "target\n.dsync/\n");
}

#[test]
fn no_gitignore_outside_a_repo_or_when_declined() {
    let sb = Sandbox::new();
    sb.cmd().args(["init", "--yes"]).assert().success();
    assert!(!sb.path(".gitignore").exists());
    std::fs::create_dir(sb.path(".git")).unwrap();
    sb.cmd()
        .args(["init", "--yes", "--force", "--no-gitignore"])
        .assert()
        .success();
    assert!(!sb.path(".gitignore").exists());
}

/// The prompts themselves, answered through a real pseudo-terminal: the test
/// holds the master side, `dsync init` runs on the slave as its terminal.
#[cfg(target_os = "linux")]
mod on_a_terminal {
    use std::fs::File;
    use std::io::{Read, Write};
    use std::os::fd::{AsRawFd, FromRawFd};
    use std::os::unix::fs::OpenOptionsExt;
    use std::process::{Child, Stdio};
    use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
    use std::time::{Duration, Instant};

    use crate::harness::Sandbox;

    const DOWN: &str = "\x1b[B";
    const ENTER: &str = "\r";

    /// A pseudo-terminal pair: the master (ours) and the slave's path. None
    /// where the system has none to give (a container without /dev/pts),
    /// which fails the test under CI and skips it elsewhere.
    fn open_pty() -> Option<(File, String)> {
        // SAFETY: plain libc calls on a descriptor we own; every result checked.
        unsafe {
            let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
            if fd < 0 {
                let e = std::io::Error::last_os_error();
                assert!(std::env::var_os("CI").is_none(), "no pseudo-terminal: {e}");
                eprintln!("skipped: no pseudo-terminal ({e})");
                return None;
            }
            assert_eq!(libc::grantpt(fd), 0, "grantpt");
            assert_eq!(libc::unlockpt(fd), 0, "unlockpt");
            let mut name = [0 as libc::c_char; 128];
            assert_eq!(libc::ptsname_r(fd, name.as_mut_ptr(), name.len()), 0);
            // A real size, so dialoguer lays its lists out as on a terminal.
            let size = libc::winsize {
                ws_row: 24,
                ws_col: 100,
                ws_xpixel: 0,
                ws_ypixel: 0,
            };
            libc::ioctl(fd, libc::TIOCSWINSZ, &size);
            let path = std::ffi::CStr::from_ptr(name.as_ptr())
                .to_string_lossy()
                .into_owned();
            Some((File::from_raw_fd(fd), path))
        }
    }

    /// The line discipline's local flags as the program on the slave set them
    /// (on Linux, tcgetattr on the master reads the slave's termios).
    fn local_flags(master: &File) -> libc::tcflag_t {
        // SAFETY: termios is plain data, filled in by tcgetattr.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(master.as_raw_fd(), &mut t), 0);
            t.c_lflag
        }
    }

    /// `dsync init` on a terminal, with a transcript and a hard deadline: any
    /// failure kills the child and reports what the terminal showed.
    struct Session {
        child: Child,
        master: File,
        output: Receiver<Vec<u8>>,
        screen: String,
        seen: usize,
        deadline: Instant,
    }

    impl Session {
        fn start(sb: &Sandbox, args: &[&str]) -> Option<Session> {
            let (master, slave_path) = open_pty()?;
            let slave = || {
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .custom_flags(libc::O_NOCTTY)
                    .open(&slave_path)
                    .expect("open the pty slave")
            };
            let child = {
                let mut cmd = sb.std_cmd();
                cmd.arg("init")
                    .args(args)
                    .env("TERM", "xterm-256color")
                    .stdin(Stdio::from(slave()))
                    .stdout(Stdio::from(slave()))
                    .stderr(Stdio::from(slave()));
                cmd.spawn().expect("spawn dsync init")
                // `cmd` and its copies of the slave are dropped here, so the
                // master reads end-of-file once the child exits.
            };
            let mut reader = master.try_clone().expect("clone the master");
            let (tx, output) = mpsc::channel();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                // EIO once the slave is closed by everyone: the child is gone.
                while let Ok(n @ 1..) = reader.read(&mut buf) {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            });
            Some(Session {
                child,
                master,
                output,
                screen: String::new(),
                seen: 0,
                deadline: Instant::now() + Duration::from_secs(20),
            })
        }

        fn fail(&mut self, why: &str) -> ! {
            let _ = self.child.kill();
            let _ = self.child.wait();
            panic!("{why}; the terminal showed:\n{}", self.screen);
        }

        /// Read what arrived; false once the child has closed the terminal.
        fn pump(&mut self) -> bool {
            let left = self.deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(bytes) => {
                    self.screen.push_str(&String::from_utf8_lossy(&bytes));
                    true
                }
                Err(RecvTimeoutError::Disconnected) => false,
                Err(RecvTimeoutError::Timeout) => self.fail("timed out after 20 s"),
            }
        }

        /// Wait until `text` shows after what was already matched.
        fn expect(&mut self, text: &str) {
            loop {
                if let Some(at) = self.screen[self.seen..].find(text) {
                    self.seen += at + text.len();
                    return;
                }
                if !self.pump() {
                    self.fail(&format!("dsync exited before showing {text:?}"));
                }
            }
        }

        fn send(&mut self, keys: &str) {
            if let Err(e) = self.master.write_all(keys.as_bytes()) {
                self.fail(&format!("cannot type {keys:?}: {e}"));
            }
        }

        /// Answer a hidden-input prompt. The prompt flushes pending input
        /// when it turns echo off, so type only once echo is off while the
        /// line discipline is still canonical (a key prompt turns both off).
        fn send_hidden(&mut self, line: &str) {
            while local_flags(&self.master) & (libc::ECHO | libc::ICANON) != libc::ICANON {
                if Instant::now() > self.deadline {
                    self.fail("the hidden prompt never turned echo off");
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            self.send(line);
        }

        /// Wait for the child to exit; its status and the whole transcript.
        fn finish(&mut self) -> (std::process::ExitStatus, String) {
            while self.pump() {}
            let status = self.child.wait().expect("wait for dsync");
            (status, self.screen.clone())
        }
    }

    /// Whatever happens (a failed assertion included), no dsync is left
    /// waiting at a prompt.
    impl Drop for Session {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    #[test]
    fn prompts_answered_on_a_terminal_write_the_file() {
        let sb = Sandbox::new();
        std::fs::create_dir(sb.path(".git")).unwrap();
        let secret = "cryptr-signature-key-pasted-0123456789";
        let Some(mut s) = Session::start(&sb, &[]) else {
            return;
        };
        s.expect("Signature scheme");
        s.send(&format!("{DOWN}{DOWN}{ENTER}")); // cryptr, standard, stripe
        s.expect("Secret");
        s.send(&format!("{DOWN}{ENTER}")); // paste Cryptr's signature_key
        s.expect("signature_key (hidden)");
        s.send_hidden(&format!("{secret}\r"));
        s.expect("Port");
        s.send(&format!("9100{ENTER}"));
        s.expect("Path");
        s.send(&format!("hooks{ENTER}"));
        s.expect("Forward to");
        s.send(&format!("http://127.0.0.1:3000/scim{ENTER}"));
        s.expect("Event store folder");
        s.send(&format!("captures{ENTER}"));
        s.expect("Add .dsync/ to .gitignore?");
        s.send("y");
        let (status, screen) = s.finish();
        assert!(status.success(), "{status}; the terminal showed:\n{screen}");
        assert!(
            !screen.contains(secret),
            "the pasted secret was echoed:\n{screen}"
        );
        assert!(screen.contains("wrote dsync.toml"), "{screen}");

        let text = std::fs::read_to_string(sb.path("dsync.toml")).unwrap();
        let parsed: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(parsed["scheme"].as_str(), Some("stripe"), "{text}");
        assert_eq!(parsed["secret"].as_str(), Some(secret), "{text}");
        assert_eq!(parsed["store"].as_str(), Some("captures"), "{text}");
        assert_eq!(parsed["listen"]["port"].as_integer(), Some(9100), "{text}");
        assert_eq!(parsed["listen"]["path"].as_str(), Some("/hooks"), "{text}");
        assert_eq!(
            parsed["listen"]["forward_to"].as_str(),
            Some("http://127.0.0.1:3000/scim"),
            "{text}"
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sb.path("dsync.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            std::fs::read_to_string(sb.path(".gitignore")).unwrap(),
            ".dsync/\n"
        );
    }

    /// Enter takes each default; declining the .gitignore question leaves
    /// it alone.
    #[test]
    fn defaults_on_a_terminal_and_declined_gitignore() {
        let sb = Sandbox::new();
        std::fs::create_dir(sb.path(".git")).unwrap();
        let Some(mut s) = Session::start(&sb, &["--path", "/scim"]) else {
            return;
        };
        for prompt in [
            "Signature scheme",
            "Secret",
            "Port",
            "Forward to",
            "Event store folder",
        ] {
            s.expect(prompt);
            s.send(ENTER);
        }
        s.expect("Add .dsync/ to .gitignore?");
        s.send("n");
        let (status, screen) = s.finish();
        assert!(status.success(), "{status}; the terminal showed:\n{screen}");
        assert!(!screen.contains("Path"), "--path still asked:\n{screen}");
        let parsed: toml::Value =
            toml::from_str(&std::fs::read_to_string(sb.path("dsync.toml")).unwrap()).unwrap();
        assert_eq!(parsed["scheme"].as_str(), Some("cryptr"));
        assert_eq!(parsed["secret"].as_str().map(str::len), Some(64));
        assert_eq!(parsed["store"].as_str(), Some(".dsync"));
        assert_eq!(parsed["listen"]["port"].as_integer(), Some(8000));
        assert_eq!(parsed["listen"]["path"].as_str(), Some("/scim"));
        assert!(parsed["listen"].get("forward_to").is_none());
        assert!(!sb.path(".gitignore").exists());
    }
}
