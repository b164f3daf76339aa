//! A second kiosque process for the state tests (tests/state.rs): it saves read marks the
//! way kiosque does, so the tests can kill it mid-save or run two at once.
//!
//! `state_child save-forever STATE` saves generation after generation of a 5,000-article
//! state until killed; `state_child mark STATE SIDE` marks SIDE's 50 articles read one
//! save at a time once the file `STATE.go` exists.

use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

use kiosque::corpus::{Fingerprint, fingerprint};
use kiosque::store::marks::{Change, Mark, Marks, Store};

/// As in tests/state.rs.
const BIG_STATE: usize = 5_000;
const SAVES_EACH: usize = 50;

fn article(name: &str, i: usize) -> Fingerprint {
    fingerprint(&format!("date 2024-01-01 Article {name} numéro {i}."))
}

fn open(path: &Path) -> (Store, Marks) {
    let (store, marks, recovery) = Store::open(path.to_path_buf()).expect("the state opens");
    assert_eq!(recovery, None, "the state file was damaged");
    (store, marks)
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
        println!("saved {generation}");
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
        println!("other {seen}");
        // A user marks articles seconds apart; a pause lets the other process take the lock.
        sleep(Duration::from_millis(2));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [role, path] if role == "save-forever" => save_forever(&PathBuf::from(path)),
        [role, path, side] if role == "mark" => mark_one_by_one(&PathBuf::from(path), side),
        _ => {
            eprintln!("usage: state_child save-forever STATE | state_child mark STATE SIDE");
            std::process::exit(2);
        }
    }
}
