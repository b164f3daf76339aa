//! The state file under real conditions: moved articles, damaged files, SIGKILL mid-save,
//! several processes at once, export and import.
//!
//! The other processes are this test binary run again as [`child_process`], which saves the
//! way kiosque does: no cargo run from a test, nothing to build first, and a targeted
//! `cargo test --test it state::` works as well as a whole `cargo test`.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use kiosque::corpus::{Fingerprint, fingerprint};
use kiosque::store::marks::{Change, Mark, Marks, Store, export, import};

/// Articles in the state the killed child saves over and over: a file of about 300 KB, so a
/// save takes long enough for kills to land inside it.
const BIG_STATE: usize = 5_000;
const KILLS: usize = 30;
/// Saves each of the two concurrent processes makes.
const SAVES_EACH: usize = 50;

fn article(name: &str, i: usize) -> Fingerprint {
    fingerprint(&format!("date 2024-01-01 Article {name} numéro {i}."))
}

fn open(path: &Path) -> (Store, Marks) {
    let (store, marks, recovery) = Store::open(path.to_path_buf()).unwrap();
    assert_eq!(recovery, None);
    (store, marks)
}

/// The variables that tell [`child_process`] what to do: its role and the state file.
const CHILD_ROLE: &str = "KIOSQUE_STATE_CHILD_ROLE";
const CHILD_STATE: &str = "KIOSQUE_STATE_CHILD_STATE";
const CHILD_SIDE: &str = "KIOSQUE_STATE_CHILD_SIDE";
/// What each line of a child's protocol starts with: libtest prints its own lines to the same
/// stdout, and these are told apart from them.
const CHILD_SAYS: &str = "state-child: ";

/// Starts this test binary again, running only [`child_process`], as the child `role`
/// saving to `path`; `side` names the articles the `mark` role marks.
fn child(role: &str, path: &Path, side: &str) -> Command {
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut command = Command::new(exe);
    command
        .args([
            "--exact",
            "state::child_process",
            "--nocapture",
            "--quiet",
            "--test-threads=1",
        ])
        .env(CHILD_ROLE, role)
        .env(CHILD_STATE, path)
        .env(CHILD_SIDE, side)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    command
}

/// Not a test of its own: the child process of the tests above, this binary run again by
/// [`child`] with `CHILD_ROLE` set. Run by libtest without it, it does nothing.
///
/// `save-forever` saves generation after generation of a 5,000-article state until killed;
/// `mark` marks its side's 50 articles read one save at a time once the file `STATE.go`
/// exists, and says how many of the other side's marks each save brought back.
#[test]
fn child_process() {
    let Ok(role) = std::env::var(CHILD_ROLE) else {
        return;
    };
    let path = std::path::PathBuf::from(std::env::var_os(CHILD_STATE).expect("a state path"));
    match role.as_str() {
        "save-forever" => save_forever(&path),
        "mark" => mark_one_by_one(&path, &std::env::var(CHILD_SIDE).expect("a side")),
        other => panic!("unknown child role {other:?}"),
    }
}

/// Saves generation after generation of a big state, each one setting the read flag of every
/// article to the same value with the generation as its time, until killed.
fn save_forever(path: &Path) {
    let (store, marks) = open(path);
    let mut generation = marks.changes().iter().map(|c| c.at).max().unwrap_or(0);
    let articles: Vec<_> = (0..BIG_STATE).map(|i| article("big", i)).collect();
    loop {
        generation += 1;
        let changes: Vec<_> = articles
            .iter()
            .map(|&fingerprint| Change {
                fingerprint,
                mark: Mark::Read,
                on: generation % 2 == 0,
                at: generation,
            })
            .collect();
        store.save(&changes).expect("a save");
        println!("{CHILD_SAYS}saved {generation}");
    }
}

/// Marks this side's articles read one save at a time, as a user would, and prints how many of
/// the other side's marks each save brought back.
fn mark_one_by_one(path: &Path, side: &str) {
    let other = if side == "a" { "b" } else { "a" };
    let go = path.with_extension("go");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !go.exists() {
        assert!(Instant::now() < deadline, "never told to start");
        sleep(Duration::from_millis(1));
    }
    let (store, mut marks) = open(path);
    for i in 0..SAVES_EACH {
        let change = marks.set_read(article(side, i), true);
        let (merged, recovery) = store.save(&[change]).expect("a save");
        assert_eq!(recovery, None);
        marks = merged;
        let seen = (0..SAVES_EACH)
            .filter(|&j| marks.is_read(article(other, j)))
            .count();
        println!("{CHILD_SAYS}other {seen}");
        // A user marks articles seconds apart; a pause lets the other process take the lock.
        sleep(Duration::from_millis(2));
    }
}

/// What a child said after `prefix` on each line that says it (libtest may print the
/// test's name or a dot before the child's words, on the same line).
fn lines_after(output: &[u8], prefix: &str) -> Vec<String> {
    let said = format!("{CHILD_SAYS}{prefix}");
    String::from_utf8_lossy(output)
        .lines()
        .filter_map(|line| line.split_once(&said).map(|(_, rest)| rest.to_owned()))
        .collect()
}

#[test]
fn saved_marks_round_trip_and_the_folder_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state").join("kiosque").join("state.json");
    let (store, mut marks) = open(&path);
    assert_eq!(marks, Marks::default());
    let folder = fs::metadata(path.parent().unwrap()).unwrap();
    assert!(folder.is_dir());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(folder.permissions().mode() & 0o777, 0o700);

    let (read, starred, unread) = (article("r", 0), article("s", 0), article("u", 0));
    let changes = [
        marks.set_read(read, true),
        marks.set_starred(starred, true),
        marks.set_read(unread, true),
        marks.set_read(unread, false),
    ];
    let (saved, recovery) = store.save(&changes).unwrap();
    assert_eq!(recovery, None);
    assert_eq!(saved, marks);

    let (_, reopened) = open(&path);
    assert_eq!(reopened, marks);
    assert!(reopened.is_read(read) && !reopened.is_starred(read));
    assert!(reopened.is_starred(starred) && !reopened.is_read(starred));
    assert!(!reopened.is_read(unread));
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(r#"{"version":1,"marks":{""#), "{text}");
    assert!(
        text.contains(&format!(r#""{starred}":{{"s":[true,"#)),
        "{text}"
    );
}

#[test]
fn a_moved_article_keeps_its_marks_and_an_edited_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let news = dir.path().join("news");
    fs::create_dir(&news).unwrap();
    let text = "date 2024-07-14 Un été à Paris.\nLe défilé passe.";
    let first = news.join("ete.txt");
    fs::write(&first, text).unwrap();
    let fingerprint_of = |path: &Path| {
        fingerprint(
            &kiosque::store::decode::decode(&fs::read(path).unwrap())
                .unwrap()
                .text,
        )
    };

    let (store, mut marks) = open(&state);
    let change = marks.set_read(fingerprint_of(&first), true);
    store.save(&[change]).unwrap();

    let moved = dir.path().join("archive").join("2024-07-14 été.txt");
    fs::create_dir(moved.parent().unwrap()).unwrap();
    fs::rename(&first, &moved).unwrap();
    let (_, marks) = open(&state);
    assert!(marks.is_read(fingerprint_of(&moved)));

    // The same text in another encoding is the same article: the fingerprint is taken after
    // decoding.
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let recoded = news.join("latin1.txt");
    fs::write(&recoded, &latin1).unwrap();
    assert_ne!(fs::read(&recoded).unwrap(), text.as_bytes());
    assert!(marks.is_read(fingerprint_of(&recoded)));

    let edited = news.join("edited.txt");
    fs::write(&edited, text.replace("passe", "passa")).unwrap();
    assert_ne!(fingerprint_of(&edited), fingerprint_of(&moved));
    assert!(!marks.is_read(fingerprint_of(&edited)));
}

#[test]
fn fingerprints_are_xxh3_128_and_never_change() {
    // XXH3-128 values as the reference `xxhsum -H2` computes them, for inputs that go through
    // each of its code paths (empty, 1–3, 17–128 and over 240 bytes): a changed hash would
    // silently drop every user's marks.
    assert_eq!(
        fingerprint("").to_string(),
        "99aa06d3014798d86001c324468d497f"
    );
    assert_eq!(
        fingerprint("a").to_string(),
        "a96faf705af16834e6c632b61e964e1f"
    );
    assert_eq!(
        fingerprint("date 2024-01-01 Un article.").to_string(),
        "cd70f7ea699a6add6892f2e0113b5030"
    );
    assert_eq!(
        fingerprint(&"é".repeat(150)).to_string(),
        "bb7f03abedc4eb9c8f43ec433a5c9ba8"
    );
    assert_ne!(fingerprint("a"), fingerprint("b"));
    assert_ne!(fingerprint("ab"), fingerprint("ba"));
}

#[test]
fn a_damaged_state_file_is_moved_aside_and_marks_start_empty() {
    let good = {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let (store, _) = open(&path);
        let changes: Vec<_> = (0..20)
            .map(|i| Change {
                fingerprint: article("t", i),
                mark: Mark::Read,
                on: true,
                at: 1,
            })
            .collect();
        store.save(&changes).unwrap();
        fs::read(&path).unwrap()
    };
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "garbage",
            b"\x00\xff\xfe not json at all \x1b[2J".to_vec(),
            "not valid state JSON: expected value at line 1 column 1",
        ),
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "not valid state JSON: EOF while parsing",
        ),
        (
            "wrong version",
            br#"{"version":99,"marks":{}}"#.to_vec(),
            "format version 99, but this kiosque reads version 1",
        ),
        (
            "empty",
            Vec::new(),
            "not valid state JSON: EOF while parsing",
        ),
        (
            "bad key",
            br#"{"version":1,"marks":{"not-hex":{"r":[true,1]}}}"#.to_vec(),
            "not a fingerprint",
        ),
    ];
    for (case, bytes, problem) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        fs::write(&path, &bytes).unwrap();
        let (store, marks, recovery) = Store::open(path.clone()).unwrap();
        let recovery = recovery.unwrap_or_else(|| panic!("{case}: no recovery"));
        assert_eq!(marks, Marks::default(), "{case}");
        assert_eq!(recovery.file, path, "{case}");
        assert!(
            recovery.problem.contains(problem),
            "{case}: {}",
            recovery.problem
        );
        let backup = &recovery.backup;
        assert_eq!(backup.parent(), Some(dir.path()), "{case}");
        let name = backup.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("state.json.corrupt-"), "{case}: {name}");
        assert_eq!(fs::read(backup).unwrap(), bytes, "{case}: backup bytes");
        assert!(!path.exists(), "{case}");
        assert_eq!(
            recovery.to_string(),
            format!(
                "the state file {} was damaged ({}); it was moved to {} and read and starred \
                 marks start empty",
                path.display(),
                recovery.problem,
                backup.display()
            ),
            "{case}"
        );

        // Marking goes on, and the next start finds a good file.
        let mut marks = marks;
        let change = marks.set_starred(article("after", 0), true);
        store.save(&[change]).unwrap();
        let (_, reopened) = open(&path);
        assert!(reopened.is_starred(article("after", 0)), "{case}");
    }
}

#[test]
fn a_second_damaged_file_never_overwrites_the_first_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    fs::write(&path, "first").unwrap();
    let (_, _, first) = Store::open(path.clone()).unwrap();
    fs::write(&path, "second").unwrap();
    let (_, _, second) = Store::open(path.clone()).unwrap();
    let (first, second) = (first.unwrap().backup, second.unwrap().backup);
    assert_ne!(first, second);
    assert_eq!(fs::read(&first).unwrap(), b"first");
    assert_eq!(fs::read(&second).unwrap(), b"second");
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_old_state_or_a_new_one_never_a_part() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let temp = dir.path().join("state.json.tmp");
    let big = |i| article("big", i);
    let mut last_generation = 0;
    let mut partial_temp_files = 0;
    let mut cycle = None;
    // A fixed xorshift: kill moments spread over a save, the same on every run.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for kill in 0..KILLS {
        let mut saver = child("save-forever", &path, "").spawn().unwrap();
        let mut lines = BufReader::new(saver.stdout.take().unwrap()).lines();
        let mut next_save = || loop {
            let line = lines.next().expect("the child stopped").unwrap();
            if line.contains(&format!("{CHILD_SAYS}saved ")) {
                return Instant::now();
            }
        };
        // Kill at a moment within the save after the first, timed once: waiting for one
        // save proves the child is in its loop, and a second each time would cost seconds.
        let start = next_save();
        let cycle = *cycle.get_or_insert_with(|| next_save() - start);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        sleep(cycle.mul_f64((seed % 1000) as f64 / 1000.0));
        saver.kill().unwrap();
        saver.wait().unwrap();

        let marks = import(&path).unwrap_or_else(|e| panic!("kill {kill}: {e}"));
        let changes = marks.changes();
        assert_eq!(
            changes.len(),
            BIG_STATE,
            "kill {kill}: some articles missing"
        );
        let generation = changes[0].at;
        assert!(
            changes
                .iter()
                .all(|c| c.at == generation && c.on == (generation % 2 == 0)),
            "kill {kill}: two generations mixed in one file"
        );
        assert!(
            (0..BIG_STATE).all(|i| marks.is(big(i), Mark::Read) == (generation % 2 == 0)),
            "kill {kill}"
        );
        assert!(
            generation > last_generation,
            "kill {kill}: generation {generation} after {last_generation}"
        );
        last_generation = generation;
        if temp.exists() && import(&temp).is_err() {
            partial_temp_files += 1;
        }
    }
    // Proof that kills landed in the middle of writes, where a non-atomic save would have
    // left exactly such a partial state file.
    assert!(
        partial_temp_files > 0,
        "no kill landed during a write; the test proved nothing"
    );
    let (_, _, recovery) = Store::open(path).unwrap();
    assert_eq!(recovery, None);
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.contains("corrupt"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn two_processes_marking_at_once_keep_all_marks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let spawn = |side: &str| -> Child { child("mark", &path, side).spawn().unwrap() };
    let (a, b) = (spawn("a"), spawn("b"));
    fs::write(path.with_extension("go"), "").unwrap();
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success());

    let (_, marks) = open(&path);
    for side in ["a", "b"] {
        for i in 0..SAVES_EACH {
            assert!(marks.is_read(article(side, i)), "{side} {i} lost");
        }
    }
    assert_eq!(marks.changes().len(), 2 * SAVES_EACH);
    // Proof that the saves interleaved: some save brought back part of the other's marks.
    let seen: Vec<usize> = [&a.stdout, &b.stdout]
        .iter()
        .flat_map(|out| lines_after(out, "other "))
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(seen.len(), 2 * SAVES_EACH);
    assert!(
        seen.iter().any(|&n| 0 < n && n < SAVES_EACH),
        "the two processes never ran at the same time: {seen:?}"
    );
}

#[test]
fn an_unmark_survives_another_process_saving_an_older_view() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let (x, y) = (article("x", 0), article("y", 0));
    // Each store shares nothing in memory with the other: they meet only in the file, as two
    // processes do.
    let (first, mut first_marks) = open(&path);
    let change = first_marks.set_read(x, true);
    first.save(&[change]).unwrap();

    let (second, mut second_marks) = open(&path);
    assert!(second_marks.is_read(x));
    // The second process also marks x read again, in its own view, before the unmark below.
    let stale = second_marks.set_read(x, true);
    // Distinct milliseconds, so "newer" is well defined.
    sleep(Duration::from_millis(3));

    let unmark = first_marks.set_read(x, false);
    first.save(&[unmark]).unwrap();

    sleep(Duration::from_millis(3));
    let other = second_marks.set_read(y, true);
    let (merged, _) = second.save(&[other]).unwrap();
    assert!(!merged.is_read(x), "the second save undid the unmark");
    assert!(merged.is_read(y));
    // Even the second process's own older change to x loses to the later unmark.
    let (merged, _) = second.save(&[stale]).unwrap();
    assert!(!merged.is_read(x));

    let (_, on_disk) = open(&path);
    assert!(!on_disk.is_read(x) && on_disk.is_read(y));
}

#[test]
fn export_then_import_merges_newest_values() {
    let dir = tempfile::tempdir().unwrap();
    let change = |name: &str, mark, on, at| Change {
        fingerprint: article(name, 0),
        mark,
        on,
        at,
    };
    let (laptop, _) = open(&dir.path().join("laptop").join("state.json"));
    let (laptop_marks, _) = laptop
        .save(&[
            change("only-laptop", Mark::Read, true, 10),
            change("starred", Mark::Starred, true, 10),
            change("unmarked-later-on-laptop", Mark::Read, false, 30),
            change("unmarked-later-on-server", Mark::Read, true, 10),
        ])
        .unwrap();
    let file = dir.path().join("marks.json");
    export(&laptop_marks, &file).unwrap();

    let (server, _) = open(&dir.path().join("server").join("state.json"));
    server
        .save(&[
            change("only-server", Mark::Read, true, 10),
            change("unmarked-later-on-laptop", Mark::Read, true, 20),
            change("unmarked-later-on-server", Mark::Read, false, 20),
        ])
        .unwrap();
    let imported = import(&file).unwrap();
    assert_eq!(imported, laptop_marks);
    let (merged, _) = server.save(&imported.changes()).unwrap();

    let read = |name| merged.is_read(article(name, 0));
    assert!(read("only-laptop") && read("only-server"));
    assert!(merged.is_starred(article("starred", 0)));
    assert!(!read("unmarked-later-on-laptop"));
    assert!(!read("unmarked-later-on-server"));
    let (_, reopened) = open(server.path());
    assert_eq!(reopened, merged);
}

#[test]
fn importing_a_damaged_file_names_it_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("marks.json");
    fs::write(&file, r#"{"version":1,"marks":{"#).unwrap();
    let error = import(&file).unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "{} is not a kiosque state file: not valid state JSON: EOF while parsing an object \
             at line 1 column 22",
            file.display()
        )
    );
    assert_eq!(fs::read(&file).unwrap(), br#"{"version":1,"marks":{"#);
    let missing = dir.path().join("missing.json");
    assert_eq!(
        import(&missing).unwrap_err().to_string(),
        format!(
            "cannot read {}: No such file or directory (os error 2)",
            missing.display()
        )
    );
}
