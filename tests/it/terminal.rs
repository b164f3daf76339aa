//! The terminal is always given back: after `q`, a panic, SIGTERM, SIGHUP, Ctrl-Z and `fg`,
//! the pane's `stty -g` is what it was before kiosque started; when the terminal itself goes
//! away, kiosque ends instead of spinning on a dead descriptor. And no article can change
//! the window title or the clipboard. Each test runs the real binary in its own tmux server.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::tmux::{TIMEOUT, Tmux};
use crate::common::{KIOSQUE, shell_quote};

/// A pane with kiosque started from a shell that records `stty -g` before and after, the
/// exit status, and kiosque's pid.
struct Session {
    term: Tmux,
    dir: tempfile::TempDir,
}

impl Session {
    /// Starts `kiosque ARGS` with `env` set, and waits for its first frame.
    fn start(width: u16, height: u16, env: &str, args: &[&Path]) -> Session {
        let session = Session::launch(width, height, env, args);
        session.wait_for_frame();
        session
    }

    /// Starts `kiosque ARGS` with `env` set.
    fn launch(width: u16, height: u16, env: &str, args: &[&Path]) -> Session {
        Session::launch_in(Tmux::start(width, height), env, args)
    }

    /// Starts `kiosque ARGS` with `env` set in `term`, which the caller may have set up
    /// (a config, tmux options) before kiosque draws anything.
    fn launch_in(term: Tmux, env: &str, args: &[&Path]) -> Session {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = |name: &str| shell_quote(&dir.path().join(name).to_string_lossy());
        let args: Vec<String> = args
            .iter()
            .map(|a| shell_quote(&a.to_string_lossy()))
            .collect();
        // `exec` keeps the pid written by the inner shell: it becomes kiosque's.
        let inner = format!(
            "echo $$ > {}; exec env {env} {} {}",
            file("pid"),
            shell_quote(KIOSQUE),
            args.join(" ")
        );
        term.send_line(&format!(
            "stty -g > {before}; sh -c {inner}; echo \"exit=$?\"; stty -g > {after}",
            before = file("before"),
            inner = shell_quote(&inner),
            after = file("after"),
        ));
        Session { term, dir }
    }

    fn wait_for_frame(&self) {
        self.term
            .wait_for(
                |s| s.contains("┌ Articles") || s.contains("┌ Article "),
                TIMEOUT,
            )
            .unwrap_or_else(|e| panic!("kiosque never drew its first frame: {e}"));
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn pid(&self) -> u32 {
        let text = std::fs::read_to_string(self.path("pid")).expect("kiosque's pid");
        text.trim().parse().expect("a pid")
    }

    /// Waits for the shell to report kiosque's exit status, and returns it. Only a whole
    /// line `exit=DIGITS` counts: the command line itself, wrapped at the screen's edge, may
    /// put `exit=$?"…` at the start of a line.
    fn exit_status(&self) -> String {
        let status = |s: &str| {
            s.lines().find_map(|l| {
                l.trim_end()
                    .strip_prefix("exit=")
                    .filter(|code| !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()))
                    .map(str::to_owned)
            })
        };
        let screen = self
            .term
            .wait_for(|s| status(s).is_some(), TIMEOUT)
            .unwrap_or_else(|e| panic!("kiosque did not exit: {e}"));
        status(&screen).unwrap_or_default()
    }

    /// Asserts that the terminal settings after kiosque are those from before it.
    fn assert_restored(&self) {
        let after = self.path("after");
        self.term
            .wait_for(
                |_| after.exists() && std::fs::metadata(&after).is_ok_and(|m| m.len() > 0),
                TIMEOUT,
            )
            .unwrap_or_else(|e| panic!("the shell never ran `stty -g` again: {e}"));
        let read = |name: &str| std::fs::read_to_string(self.path(name)).expect("stty -g output");
        let (before, after) = (read("before"), read("after"));
        assert!(before.contains(':'), "stty -g printed {before:?}");
        assert_eq!(before, after, "the terminal settings changed");
        let screen = self.term.capture();
        assert!(
            !screen.contains("┌ Articles"),
            "kiosque's screen is still shown:\n{screen}"
        );
    }
}

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|s| s.split_whitespace().nth(2) == Some("Z"))
}

fn signal(pid: u32, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success(), "kill -{name} {pid} failed");
}

#[test]
fn q_restores_the_terminal() {
    let s = Session::start(80, 24, "", &[]);
    s.term.send_keys(&["q"]);
    assert_eq!(s.exit_status(), "0");
    s.assert_restored();
}

#[test]
fn a_panic_restores_the_terminal_and_shows_the_message() {
    // The panic comes right after the first frame, too fast to wait for it. No backtrace:
    // its frames would push the message off a 24-line screen.
    let s = Session::launch(80, 24, "RUST_BACKTRACE=0 KIOSQUE_TEST_PANIC=1", &[]);
    assert_eq!(s.exit_status(), "101");
    s.assert_restored();
    assert!(
        s.term
            .capture_joined()
            .contains("panic requested by KIOSQUE_TEST_PANIC"),
        "{}",
        s.term.capture()
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    let s = Session::start(80, 24, "", &[]);
    signal(s.pid(), "TERM");
    assert_eq!(s.exit_status(), "143");
    s.assert_restored();
}

#[test]
fn sighup_restores_the_terminal() {
    let s = Session::start(100, 30, "", &[]);
    s.term.send_keys(&["Enter"]);
    signal(s.pid(), "HUP");
    assert_eq!(s.exit_status(), "129");
    s.assert_restored();
}

#[test]
fn ctrl_z_gives_the_shell_back_and_fg_redraws_everything() {
    let s = Session::start(80, 24, "", &[]);
    s.term.send_keys(&["C-z"]);
    s.term
        .wait_for(|screen| screen.contains("Stopped"), TIMEOUT)
        .unwrap_or_else(|e| panic!("Ctrl-Z did not stop kiosque: {e}"));
    // While kiosque is stopped the shell has the terminal as it was.
    let suspended = s.path("suspended");
    s.term.send_line(&format!(
        "stty -g > {}",
        shell_quote(&suspended.to_string_lossy())
    ));
    s.term
        .wait_for(
            |_| std::fs::metadata(&suspended).is_ok_and(|m| m.len() > 0),
            TIMEOUT,
        )
        .unwrap_or_else(|e| panic!("stty did not run: {e}"));
    let before = std::fs::read_to_string(s.path("before")).expect("before");
    assert_eq!(
        std::fs::read_to_string(&suspended).expect("suspended"),
        before
    );
    s.term.send_line("clear; fg");
    // The whole frame comes back, not only what changed since.
    let screen = s
        .term
        .wait_for(
            |screen| screen.contains("┌ Filter") && screen.contains("q quit"),
            TIMEOUT,
        )
        .unwrap_or_else(|e| panic!("fg did not redraw kiosque: {e}"));
    assert!(screen.contains("┌ Articles"), "{screen}");
    s.term.send_keys(&["q"]);
    s.term
        .wait_for(|screen| !screen.contains("┌ Articles"), TIMEOUT)
        .unwrap_or_else(|e| panic!("q after fg: {e}"));
    s.assert_restored();
}

/// Waits until the process is gone, or fails saying what it is doing.
fn assert_ends(pid: u32, what: &str) {
    let end = std::time::Instant::now() + TIMEOUT;
    while alive(pid) {
        if std::time::Instant::now() > end {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            panic!("kiosque is still running after {what}: {stat}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn killing_the_pane_ends_kiosque() {
    let s = Session::start(80, 24, "", &[]);
    let pid = s.pid();
    s.term.run(&["kill-server"]);
    assert_ends(pid, "its terminal was closed");
}

#[test]
fn a_terminal_gone_without_sighup_still_ends_kiosque() {
    // `setsid` puts kiosque in a session of its own: when the pane closes, the kernel sends
    // SIGHUP to the shell's session, not to kiosque, which only sees a dead terminal.
    let term = Tmux::start(80, 24);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let pid_file = dir.path().join("pid");
    let inner = format!(
        "echo $$ > {}; exec {}",
        shell_quote(&pid_file.to_string_lossy()),
        shell_quote(KIOSQUE)
    );
    term.send_line(&format!("setsid sh -c {}", shell_quote(&inner)));
    term.wait_for(|s| s.contains("┌ Articles"), TIMEOUT)
        .unwrap_or_else(|e| panic!("kiosque never drew: {e}"));
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .expect("pid")
        .trim()
        .parse()
        .expect("a pid");
    term.run(&["kill-server"]);
    assert_ends(pid, "its terminal went away");
}

#[test]
fn an_article_cannot_set_the_window_title_or_the_clipboard() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let article = dir.path().join("piege.txt");
    std::fs::write(
        &article,
        "date 2026-03-06 Titre \u{1b}]0;pwned-title\u{7} piégé\n\
         Corps \u{1b}]2;pwned-too\u{1b}\\ et \u{1b}]52;c;aGVsbG8=\u{7} fin.\n\
         Lien \u{1b}]8;;https://example.org\u{1b}\\ici\u{1b}]8;;\u{1b}\\ et \u{9d}0;c1-title\u{9c}.",
    )
    .expect("the article");
    // Before kiosque draws anything: tmux lets programs set its clipboard (OSC 52 makes a
    // paste buffer), and the pane's title is read. The article is shown by the first frame
    // (beside the list at 120 columns), so set up any later and a title or clipboard it had
    // set would already be there, and pass as the "before".
    let term = Tmux::start(120, 40);
    term.run(&["set-option", "-s", "set-clipboard", "on"]);
    let title = || {
        String::from_utf8_lossy(&term.run(&["display-message", "-p", "#{pane_title}"]).stdout)
            .into_owned()
    };
    let title_before = title();
    assert!(
        !title_before.contains("pwned") && !title_before.contains("c1-title"),
        "{title_before}"
    );
    assert_eq!(term.buffers(), "", "a paste buffer before kiosque started");
    let s = Session::launch_in(term, "", &[&article]);
    s.wait_for_frame();
    s.term.send_keys(&["Enter"]);
    let screen = s
        .term
        .wait_for(|screen| screen.contains("^[]52;c;aGVsbG8=^G"), TIMEOUT)
        .unwrap_or_else(|e| panic!("the markers were not shown: {e}"));
    assert!(
        screen.contains("Titre ^[]0;pwned-title^G piégé"),
        "{screen}"
    );
    assert!(screen.contains("<U+009D>0;c1-"), "{screen}");
    assert!(screen.contains("title<U+009C>."), "{screen}");
    s.term.send_keys(&["q"]);
    assert_eq!(s.exit_status(), "0");
    let title = || {
        String::from_utf8_lossy(
            &s.term
                .run(&["display-message", "-p", "#{pane_title}"])
                .stdout,
        )
        .into_owned()
    };
    assert_eq!(title(), title_before, "the pane's title changed");
    assert_eq!(s.term.buffers(), "", "the clipboard was set");

    // The same sequences, printed by the shell after kiosque, do reach tmux: the checks
    // above could see them had kiosque let them through.
    s.term
        .send_line(r"printf '\033]2;control-title\033\\\033]52;c;Y29udHJvbA==\007'; echo");
    s.term
        .wait_for(|_| title().contains("control-title"), TIMEOUT)
        .unwrap_or_else(|e| panic!("an OSC 2 title from the shell never reached tmux: {e}"));
    s.term
        .wait_for(|_| s.term.buffers() == "control\n", TIMEOUT)
        .unwrap_or_else(|e| panic!("an OSC 52 copy from the shell never reached tmux: {e}"));
}

#[test]
fn a_long_load_shows_progress_and_q_still_quits() {
    // Enough small articles that a debug build takes well over the 200 ms after which the
    // gauge appears.
    // In memory (tmpfs) when the machine has it: thirty thousand files written and removed on
    // a busy disk took a minute, for a test about a load that only needs to last 200 ms.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("a temporary folder");
    for folder in 0..60 {
        let path = dir.path().join("articles").join(format!("{folder:02}"));
        std::fs::create_dir_all(&path).expect("a folder");
        for i in 0..500 {
            let text = format!(
                "date 2024-01-{:02} Article {folder} {i}. Du texte.",
                i % 28 + 1
            );
            std::fs::write(path.join(format!("{i:03}.txt")), text).expect("an article");
        }
    }
    let articles = dir.path().join("articles");
    let cache = format!(
        "XDG_CACHE_HOME={}",
        shell_quote(&dir.path().join("cache").to_string_lossy())
    );
    let s = Session::launch(80, 24, &cache, &[&articles]);
    s.term
        .wait_for(|screen| screen.contains("Reading articles:"), TIMEOUT)
        .unwrap_or_else(|e| panic!("no progress was shown while loading: {e}"));
    s.term.send_keys(&["q"]);
    assert_eq!(s.exit_status(), "0");
    s.assert_restored();
}

/// With `mouse = true`, kiosque turns mouse reporting on; every way out turns it off again,
/// not only `q`: SIGTERM, SIGHUP and a panic too. Otherwise the shell after it would get
/// mouse reports as garbage input on every click and scroll.
#[test]
fn mouse_reporting_is_off_after_every_way_out() {
    for (way, env, status) in [
        ("q", "", "0"),
        ("SIGTERM", "", "143"),
        ("SIGHUP", "", "129"),
        ("a panic", "RUST_BACKTRACE=0 KIOSQUE_TEST_PANIC=1", "101"),
    ] {
        let term = Tmux::start(80, 24);
        term.home.write_config("mouse = true\n");
        let dir = tempfile::tempdir().expect("a folder");
        let log = dir.path().join("output");
        term.record_output(&log);
        let s = Session::launch_in(term, env, &[]);
        if way != "a panic" {
            // The panic comes right after the first frame, too fast to look at it.
            s.wait_for_frame();
            s.term
                .wait_for(|_| s.term.format("#{mouse_any_flag}") == "1", TIMEOUT)
                .unwrap_or_else(|e| panic!("{way}: mouse reporting never came on: {e}"));
        }
        match way {
            "q" => s.term.send_keys(&["q"]),
            "SIGTERM" => signal(s.pid(), "TERM"),
            "SIGHUP" => signal(s.pid(), "HUP"),
            _ => {}
        }
        assert_eq!(s.exit_status(), status, "{way}");
        s.assert_restored();
        assert_eq!(
            s.term.format("#{mouse_any_flag}"),
            "0",
            "{way}: mouse reporting is still on"
        );
        // The bytes say the same, and show that reporting had been turned on (so that the
        // flag above is 0 because kiosque turned it off): the last mouse mode sent is off.
        let bytes = s.term.recorded(&log, &format!("exit={status}"));
        let output = String::from_utf8_lossy(&bytes);
        let on = output.rfind("\u{1b}[?1000h");
        let off = output.rfind("\u{1b}[?1000l");
        assert!(on.is_some(), "{way}: mouse reporting was never turned on");
        assert!(
            off > on,
            "{way}: mouse reporting was not turned off after it was turned on"
        );
    }
}
