//! A terminal for end-to-end tests: a detached tmux session of a given size running `sh`,
//! on a tmux server of its own (`tmux -L <unique name>`), so tests run in parallel and never
//! touch the user's tmux. The server is killed when the `Tmux` is dropped.
//!
//! Tests type keys with [`Tmux::send_keys`] and read the screen with [`Tmux::capture`], and
//! never sleep: [`Tmux::wait_for`] polls the screen until it shows what the test waits for.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::Home;

/// The shell prompt in the pane, so tests can tell when the shell is back.
pub const PROMPT: &str = "PROMPT$ ";
/// How long [`Tmux::wait_for`] callers usually wait: generous, as polling ends early.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);
const SESSION: &str = "e2e";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct Tmux {
    socket: String,
    /// Where the server's socket file is, to remove it once the server is gone.
    socket_path: Option<PathBuf>,
    pub width: u16,
    pub height: u16,
    /// The shell's HOME and XDG folders: kiosque's read state and list cache stay inside the
    /// test, and no config file of the user's changes what it shows.
    pub home: Home,
}

impl Tmux {
    /// A new tmux server with one `width`×`height` session running `sh`, with
    /// `TERM=xterm-256color`, `LANG=C.UTF-8` and the prompt [`PROMPT`]. Returns once the
    /// prompt is on the screen. Panics, asking to install tmux, when tmux is missing.
    pub fn start(width: u16, height: u16) -> Self {
        require_tmux();
        let socket = format!(
            "kiosque-e2e-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut term = Tmux {
            socket,
            socket_path: None,
            width,
            height,
            home: Home::new(),
        };
        let (w, h) = (width.to_string(), height.to_string());
        // The shell starts from an empty environment (`env -i`): nothing of the user's
        // (NO_COLOR, BROWSER, an ssh session, their locale) reaches kiosque, and HOME and the
        // XDG folders are the test's own. tmux would set TERM itself, and sh (dash) does not
        // take PS1 from tmux's session environment.
        let path = std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".to_owned());
        let mut command: Vec<String> = [
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            &w,
            "-y",
            &h,
            "env",
            "-i",
        ]
        .map(str::to_owned)
        .to_vec();
        command.push(format!("PATH={path}"));
        for assignment in ["TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"] {
            command.push(assignment.to_owned());
        }
        for (name, value) in term.home.vars() {
            command.push(format!("{name}={}", value.to_string_lossy()));
        }
        command.push(format!("PS1={PROMPT}"));
        command.push("sh".to_owned());
        term.run(&command.iter().map(String::as_str).collect::<Vec<_>>());
        let path = term
            .run(&["display-message", "-p", "#{socket_path}"])
            .stdout;
        term.socket_path = Some(PathBuf::from(String::from_utf8_lossy(&path).trim()));
        term.wait_for(
            |s| s.lines().any(|l| l.starts_with(PROMPT.trim_end())),
            TIMEOUT,
        )
        .unwrap_or_else(|e| panic!("the shell prompt never showed in tmux: {e}"));
        term
    }

    /// The `XDG_CONFIG_HOME` of the shell in the pane (empty until a test writes in it).
    pub fn config_home(&self) -> PathBuf {
        self.home.config()
    }

    /// A tmux format variable of the pane, such as `#{mouse_any_flag}`.
    pub fn format(&self, variable: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", SESSION, variable]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Appends every byte the pane's programs write to the terminal to `file`.
    pub fn record_output(&self, file: &std::path::Path) {
        let command = format!(
            "cat >> '{}'",
            file.display().to_string().replace('\'', r"'\''")
        );
        self.run(&["pipe-pane", "-o", "-t", SESSION, &command]);
    }

    /// What [`Tmux::record_output`] wrote to `file`, once it holds `until`: tmux hands the
    /// pane's output to the recorder on its own time, so a test waits for something printed
    /// after what it wants to read (such as the shell's echo of an exit status).
    pub fn recorded(&self, file: &std::path::Path, until: &str) -> Vec<u8> {
        let has = || {
            std::fs::read(file).is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(until))
        };
        self.poll(|_| String::new(), |_| has(), TIMEOUT)
            .unwrap_or_else(|e| panic!("the recorded output never showed {until:?}: {e}"));
        std::fs::read(file).expect("the recorded output")
    }

    /// Everything the pane shows and has scrolled off, one line per row
    /// (`capture-pane -p -S -`).
    pub fn capture_history(&self) -> String {
        let output = self.run(&["capture-pane", "-p", "-S", "-", "-t", SESSION]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The screen with its colours and attributes as SGR escape sequences
    /// (`capture-pane -p -e`).
    pub fn capture_styled(&self) -> String {
        let output = self.run(&["capture-pane", "-p", "-e", "-t", SESSION]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The `XDG_STATE_HOME` of the shell in the pane.
    pub fn state_home(&self) -> PathBuf {
        self.home.state()
    }

    /// Runs `tmux -L <socket> args…` and returns its output; panics if tmux fails.
    pub fn run(&self, args: &[&str]) -> Output {
        let output = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap_or_else(|e| panic!("could not run tmux {args:?}: {e}"));
        assert!(
            output.status.success(),
            "tmux {args:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Presses keys, by tmux name: `"Enter"`, `"Escape"`, `"C-c"`, `"/"`, `"q"`.
    pub fn send_keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types `text` as it is (`send-keys -l`): no key names are looked up in it.
    pub fn send_text(&self, text: &str) {
        self.run(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// Types a command line for the shell and presses Enter.
    pub fn send_line(&self, line: &str) {
        self.send_text(line);
        self.send_keys(&["Enter"]);
    }

    /// The text of tmux's paste buffers, one per line, the newest first; empty when there is
    /// none. Programs in the pane make one with OSC 52 once tmux's `set-clipboard` is on.
    pub fn buffers(&self) -> String {
        let out = self.run(&["list-buffers", "-F", "#{buffer_sample}"]).stdout;
        String::from_utf8_lossy(&out).into_owned()
    }

    /// The screen as text, one line per row (`capture-pane -p`).
    pub fn capture(&self) -> String {
        let output = self.run(&["capture-pane", "-p", "-t", SESSION]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The screen with lines that wrapped at the edge joined back (`capture-pane -p -J`),
    /// for reading long shell output.
    pub fn capture_joined(&self) -> String {
        let output = self.run(&["capture-pane", "-p", "-J", "-t", SESSION]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The name of the program in the foreground of the pane, such as `sh` or `kiosque`.
    pub fn current_command(&self) -> String {
        let output = self.run(&[
            "display-message",
            "-p",
            "-t",
            SESSION,
            "#{pane_current_command}",
        ]);
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Polls the screen every 50 ms until `predicate` holds, and returns that screen. On
    /// timeout the error holds the last screen seen, so a failure shows what was drawn.
    pub fn wait_for(
        &self,
        predicate: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> Result<String, String> {
        self.poll(Self::capture, predicate, timeout)
    }

    /// [`Tmux::wait_for`] on [`Tmux::capture_joined`] screens.
    pub fn wait_for_joined(
        &self,
        predicate: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> Result<String, String> {
        self.poll(Self::capture_joined, predicate, timeout)
    }

    fn poll(
        &self,
        capture: impl Fn(&Self) -> String,
        predicate: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> Result<String, String> {
        let start = Instant::now();
        loop {
            let screen = capture(self);
            if predicate(&screen) {
                return Ok(screen);
            }
            if start.elapsed() >= timeout {
                return Err(format!(
                    "timed out after {timeout:?}; the {}x{} screen was:\n{}",
                    self.width,
                    self.height,
                    framed(&screen)
                ));
            }
            thread::sleep(POLL);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Not `run`: a drop must not panic, least of all while a failed test unwinds.
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .env_remove("TMUX")
            .output();
        // tmux leaves the socket file behind.
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A screen with a ruler on each side, so trailing blanks and empty rows can be seen.
pub fn framed(screen: &str) -> String {
    screen
        .lines()
        .enumerate()
        .map(|(i, line)| format!("{i:>3}|{line}|\n"))
        .collect()
}

fn require_tmux() {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "tmux is required by the end-to-end tests but was not found on PATH; \
         install it (for example `apt-get install -y tmux`) and run the tests again"
    );
}
