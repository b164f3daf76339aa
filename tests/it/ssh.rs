//! kiosque over a real ssh connection: an OpenSSH server of the test's own on loopback (its
//! host key, config and port, key-only login), `ssh -tt` inside tmux, kiosque run there,
//! navigated, an article marked read, quit; then the screen, the state file and the remote
//! terminal's settings are checked. `.ci/run` installs openssh-server when it is missing.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::tmux::{TIMEOUT, Tmux};
use crate::common::{Home, KIOSQUE, shell_quote};

/// A running sshd, stopped when dropped.
struct Sshd {
    child: Child,
    port: u16,
    /// Host key, client key, config, and the files the session writes.
    dir: tempfile::TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sshd_program() -> PathBuf {
    ["/usr/sbin/sshd", "/usr/bin/sshd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!("sshd is missing: install OpenSSH's server (apt-get install openssh-server)")
        })
}

fn run(program: &str, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{program} cannot run: {e}"));
    assert!(status.success(), "{program} {args:?} failed");
}

impl Sshd {
    fn start() -> Sshd {
        let program = sshd_program();
        let dir = tempfile::tempdir().expect("a folder for sshd");
        let path = |name: &str| dir.path().join(name).display().to_string();
        for key in ["host_key", "client_key"] {
            run(
                "ssh-keygen",
                &["-q", "-t", "ed25519", "-N", "", "-f", &path(key)],
            );
        }
        std::fs::copy(path("client_key.pub"), path("authorized_keys")).expect("authorized keys");
        // A free port: bound and released, then given to sshd.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nPidFile {}\n\
             AuthorizedKeysFile {}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
             PermitRootLogin prohibit-password\nX11Forwarding no\nAllowTcpForwarding no\n\
             PrintMotd no\nPrintLastLog no\n",
            path("host_key"),
            path("sshd.pid"),
            path("authorized_keys"),
        );
        std::fs::write(path("sshd_config"), config).expect("sshd_config");
        // As root, sshd wants its privilege separation folder.
        let _ = std::fs::create_dir_all("/run/sshd");
        let child = Command::new(&program)
            .args(["-D", "-e", "-f", &path("sshd_config")])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(path("sshd.log")).expect("a log"))
            .spawn()
            .unwrap_or_else(|e| panic!("{} cannot start: {e}", program.display()));
        let sshd = Sshd { child, port, dir };
        let deadline = Instant::now() + TIMEOUT;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "sshd never listened: {}",
                std::fs::read_to_string(sshd.file("sshd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        sshd
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The command that logs in, with a terminal, as the user running the tests.
    fn login(&self) -> String {
        let user = Command::new("id")
            .arg("-un")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .expect("the user name");
        format!(
            "ssh -tt -i {} -p {} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
             -o LogLevel=ERROR -o BatchMode=yes {}@127.0.0.1",
            shell_quote(&self.file("client_key").display().to_string()),
            self.port,
            shell_quote(&user)
        )
    }
}

fn wait(term: &Tmux, what: &str, check: impl Fn(&str) -> bool) -> String {
    term.wait_for(|s| check(s), TIMEOUT)
        .unwrap_or_else(|e| panic!("waiting for {what}:\n{e}"))
}

/// A 100×30 terminal logged in to `sshd` with `ssh -tt`, at the remote shell's prompt.
fn logged_in(sshd: &Sshd) -> Tmux {
    let term = Tmux::start(100, 30);
    term.send_line(&sshd.login());
    // The remote shell: say so with a marker, so the test knows the login went through.
    term.send_line("echo SSH-IN $SSH_CONNECTION");
    wait(&term, "the ssh login", |s| {
        s.lines().any(|l| l.starts_with("SSH-IN 127.0.0.1"))
    });
    term
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn kiosque_over_a_real_ssh_session() {
    let sshd = Sshd::start();
    let term = logged_in(&sshd);

    let path = |name: &str| shell_quote(&sshd.file(name).display().to_string());
    // The remote shell gets the user's real environment from sshd: kiosque there is given a
    // home of the test's own, as every run of it is.
    let home = Home::new();
    term.send_line(&format!(
        "stty -g > {}; {} {}; echo KIOSQUE-EXIT $?; stty -g > {}",
        path("before"),
        home.shell_assignments(),
        shell_quote(KIOSQUE),
        path("after"),
    ));
    let screen = wait(&term, "the list, over ssh", |s| {
        s.contains("sample · 14 articles") && s.contains("Enter read")
    });
    assert!(screen.contains("┌ Filter"), "{screen}");

    // The second article, read: it loses its unread dot.
    term.send_keys(&["j"]);
    wait(&term, "the second article selected", |s| {
        s.contains("▌• 2025-06-14")
    });
    term.send_keys(&["Enter"]);
    wait(&term, "the reader", |s| {
        s.contains("Esc back") && s.contains("▌  2025-06-14")
    });
    term.send_keys(&["Escape"]);
    wait(&term, "the list again", |s| s.contains("Enter read"));
    term.send_keys(&["q"]);
    wait(&term, "kiosque to end, over ssh", |s| {
        s.lines().any(|l| l.starts_with("KIOSQUE-EXIT 0"))
    });
    term.send_line("exit");
    // The local shell's prompt, after the remote shell's `exit`.
    wait(&term, "the ssh session to end", |s| {
        s.lines()
            .skip_while(|l| !l.ends_with("exit"))
            .any(|l| l.trim_end() == crate::common::tmux::PROMPT.trim_end())
    });

    // The remote terminal is as kiosque found it.
    let before = read(&sshd.file("before"));
    assert!(!before.trim().is_empty());
    assert_eq!(
        before,
        read(&sshd.file("after")),
        "stty settings changed over ssh"
    );

    // The state file holds the read mark: kiosque list finds it.
    let out = home
        .command()
        .args(["list", "-q", "is:read"])
        .output()
        .expect("kiosque list");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(
        listed.contains("sample/velo-lyon-plan-2025.txt"),
        "{listed}"
    );
}

#[test]
fn refreshing_feeds_and_reading_one_over_ssh() {
    use crate::common::http::{Request, Response, Server};
    let server = Server::start(std::net::Ipv4Addr::LOCALHOST, |_: &Request| {
        Response::ok(
            "application/rss+xml",
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Le Loopback</title>\
             <item><title>Le tramway arrive à Villeurbanne</title><guid>t1</guid>\
             <pubDate>06 Mar 2026 13:05:00 +0000</pubDate><author>Jeanne Dupont</author>\
             <description>&lt;p&gt;Les travaux du tramway commencent lundi.&lt;/p&gt;</description>\
             </item></channel></rss>",
        )
    });
    let sshd = Sshd::start();
    let term = logged_in(&sshd);
    let home = Home::new();
    let config = home.config().join("kiosque");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("feeds.toml"),
        format!("[[feed]]\nurl = \"{}\"\n", server.url("/feed")),
    )
    .unwrap();
    std::fs::write(config.join("config.toml"), "[fetch]\nrefresh = \"never\"\n").unwrap();
    term.send_line(&format!(
        "{} LANG=fr_FR.UTF-8 {}; echo KIOSQUE-EXIT $?",
        home.shell_assignments(),
        shell_quote(KIOSQUE),
    ));
    wait(&term, "the empty list that says how to fetch", |s| {
        s.contains("r fetches them")
    });
    term.send_keys(&["r"]);
    wait(&term, "the fetched article, over ssh", |s| {
        s.contains("fetched 1 feed · 1 new") && s.contains("Le tramway arrive")
    });
    term.send_keys(&["Enter"]);
    let screen = wait(&term, "the article in the reader", |s| {
        s.contains("Les travaux du tramway commencent lundi.")
    });
    assert!(
        screen.contains("Le Loopback · Jeanne Dupont · 6 mars 2026 à"),
        "{screen}"
    );
    term.send_keys(&["q"]);
    wait(&term, "kiosque to end, over ssh", |s| {
        s.lines().any(|l| l.starts_with("KIOSQUE-EXIT 0"))
    });
    term.send_line("exit");
    assert_eq!(server.request_count(), 1);
}
