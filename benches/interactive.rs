//! Whole-session timings of kiosque on a folder of articles, as a user feels them: start to
//! first frame, each keystroke of a filter typed one key at a time, a date filter, a move
//! of the selection (time and bytes written to the terminal), and peak memory; beside them
//! the floor, reading every file in parallel and doing nothing else. Then each form of the
//! query language (`title:`, `-`, `OR`, a phrase, `is:unread`, relevance order), typed the
//! same way.
//!
//! `cargo bench --bench interactive -- DIR [DIR...]` (`sample` for the embedded sample; make
//! corpora with
//! `cargo run --release --example gen_corpus -- DIR N`). Each folder is measured in a fresh
//! process so peak memory is its own.

use std::cell::Cell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kiosque::search::catalog::{Catalog, index, relate};
use kiosque::store::load::{LoadOptions, load as list};
use kiosque::store::walk::find;
use kiosque::tui::action::Action;
use kiosque::tui::action::Shared;
use kiosque::tui::app::{App, Sort};
use kiosque::tui::effects::step;
use kiosque::tui::ui::{ViewState, view};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};
use rayon::prelude::*;

/// Counts the bytes a terminal would receive, and throws them away.
#[derive(Clone, Default)]
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A terminal of the given size whose output is counted.
struct Screen {
    terminal: Terminal<CrosstermBackend<Counter>>,
    sent: Counter,
}

fn screen(width: u16, height: u16) -> Screen {
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let sent = Counter::default();
    let terminal =
        Terminal::with_options(CrosstermBackend::new(sent.clone()), options).expect("a terminal");
    Screen { terminal, sent }
}

/// One action, the bodies it asks for read at once, as the runner does before it draws.
fn update(app: &mut App, action: Action) {
    step(app, action, now());
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// Draws a frame and returns how many bytes it sent.
fn draw(screen: &mut Screen, app: &mut App) -> usize {
    let before = screen.sent.0.get();
    screen
        .terminal
        .draw(|f| view(app, &mut ViewState::default(), f))
        .expect("a frame");
    screen.sent.0.get() - before
}

fn files(dir: &Path) -> Vec<PathBuf> {
    find(&[dir.to_path_buf()]).files
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// What typing one query key by key measured.
struct Typed {
    /// Key to frame, every key of every round.
    keys: Vec<Duration>,
    /// Key to frame of the last key of each round, the one that completes the query: a
    /// phrase only runs once its closing quote is typed (before, the quote is unclosed).
    last_keys: Vec<Duration>,
    /// Results of the whole query.
    found: usize,
}

/// Types `query` one key at a time from an empty filter, each key followed by a frame,
/// `rounds` times over (the filter cleared between rounds), in the sort order the app has.
fn type_query(app: &mut App, terminal: &mut Screen, query: &str, rounds: usize) -> Typed {
    let mut typed = Typed {
        keys: Vec::new(),
        last_keys: Vec::new(),
        found: 0,
    };
    update(app, Action::FocusFilter);
    update(app, Action::ClearFilter);
    draw(terminal, app);
    for _ in 0..rounds {
        let mut last = Duration::ZERO;
        for c in query.chars() {
            let t = Instant::now();
            update(app, Action::Insert(c));
            draw(terminal, app);
            last = t.elapsed();
            typed.keys.push(last);
        }
        typed.last_keys.push(last);
        typed.found = app.results().len();
        update(app, Action::ClearFilter);
        draw(terminal, app);
    }
    typed
}

/// Measures one folder; prints one line of `key=value` fields, then one line for each form of
/// the query language.
fn measure(dir: &Path) {
    let paths = files(dir);
    let bytes: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();

    // The floor: every file read, in parallel, and nothing else. The best of three, so
    // that the page cache is as warm for it as for what follows.
    let mut floor = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let read: usize = paths
            .par_iter()
            .map(|p| std::fs::read(p).map_or(0, |b| b.len()))
            .sum();
        floor = floor.min(t.elapsed());
        assert_eq!(read as u64, bytes);
    }

    // Start to first frame: find the files, read them for the list, sort, draw.
    let t = Instant::now();
    let found = find(&[dir.to_path_buf()]);
    let walked = t.elapsed();
    let (corpus, _) = list(found, &LoadOptions::default(), &|_, _| {});
    let corpus = Catalog::listed(corpus);
    let articles = corpus.corpus.articles.len();
    let mut app = App::new(corpus.clone(), "bench");
    update(&mut app, Action::Resize(120, 40));
    let mut terminal = screen(120, 40);
    draw(&mut terminal, &mut app);
    let first_frame = t.elapsed();
    // A next start: the list cache, written once, then used; the first frame again.
    let cache_dir = std::env::temp_dir().join(format!("kiosque-bench-{}", std::process::id()));
    let cached = LoadOptions {
        cache: Some(cache_dir.join("list.bin")),
        ..LoadOptions::default()
    };
    let (_, fresh) = list(find(&[dir.to_path_buf()]), &cached, &|_, _| {});
    fresh.save();
    let t = Instant::now();
    let (cached_corpus, _) = list(find(&[dir.to_path_buf()]), &cached, &|_, _| {});
    let mut cached_app = App::new(Catalog::listed(cached_corpus), "bench");
    update(&mut cached_app, Action::Resize(120, 40));
    draw(&mut screen(120, 40), &mut cached_app);
    let next_start = t.elapsed();
    // The reader's next start as it is now: the list the cache kept, drawn before any file
    // is looked at (the check above then runs behind it).
    let t = Instant::now();
    let (kept, _) = kiosque::store::remembered::from_cache(&cached).expect("the list cache");
    let mut kept_app = App::new(Catalog::listed(kept), "bench");
    update(&mut kept_app, Action::Resize(120, 40));
    draw(&mut screen(120, 40), &mut kept_app);
    let from_cache = t.elapsed();
    drop(kept_app);
    let _ = std::fs::remove_dir_all(&cache_dir);
    drop(cached_app);

    // Then the words, indexed (the filter waits for this; the list does not).
    let t = Instant::now();
    let corpus = relate(index(corpus, &|_, _, _| {}));
    let indexed = t.elapsed();
    update(&mut app, Action::Catalog(Shared(Arc::new(corpus))));

    // A 10-letter query typed one key at a time, five times over.
    let query = "inondation";
    let mut keys = Vec::new();
    let mut found = 0;
    update(&mut app, Action::FocusFilter);
    for _ in 0..5 {
        for c in query.chars() {
            let t = Instant::now();
            update(&mut app, Action::Insert(c));
            draw(&mut terminal, &mut app);
            keys.push(t.elapsed());
        }
        found = app.results().len();
        update(&mut app, Action::ClearFilter);
        draw(&mut terminal, &mut app);
    }

    // A date range, applied at once (as when pasted), five times.
    let mut dates = Vec::new();
    for _ in 0..5 {
        update(&mut app, Action::ClearFilter);
        for c in "2019-03..2020-0".chars() {
            update(&mut app, Action::Insert(c));
        }
        let t = Instant::now();
        update(&mut app, Action::Insert('6'));
        draw(&mut terminal, &mut app);
        dates.push(t.elapsed());
    }
    let in_range = app.results().len();
    update(&mut app, Action::ClearFilter);
    update(&mut app, Action::Submit);
    draw(&mut terminal, &mut app);

    // Moving the selection one row, 50 times: time and bytes sent to the terminal.
    let mut moves = Vec::new();
    let mut sent = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        update(&mut app, Action::Down);
        sent.push(draw(&mut terminal, &mut app));
        moves.push(t.elapsed());
    }
    sent.sort_unstable();

    // The same moves on an 80×24 terminal, where the list is shown alone.
    update(&mut app, Action::Resize(80, 24));
    update(&mut app, Action::Top);
    let mut small = screen(80, 24);
    draw(&mut small, &mut app);
    let mut narrow = Vec::new();
    let mut narrow_sent = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        update(&mut app, Action::Down);
        narrow_sent.push(draw(&mut small, &mut app));
        narrow.push(t.elapsed());
    }
    // The list pane shows 18 rows at 80×24: the first 17 moves stay in view, the others
    // scroll the list by a row (every row is then redrawn).
    let mut in_view: Vec<usize> = narrow_sent[..17].to_vec();
    in_view.sort_unstable();
    narrow_sent.sort_unstable();

    println!(
        "articles={articles} bytes={bytes} floor_ms={:.1} walk_ms={:.1} first_frame_ms={:.1} next_start_ms={:.1} from_cache_ms={:.1} index_ms={:.1} \
         key_median_ms={:.2} key_p95_ms={:.2} key_max_ms={:.2} found={found} \
         date_median_ms={:.3} in_range={in_range} move_median_ms={:.3} move_p95_ms={:.3} \
         move_bytes_median={} move_bytes_max={} narrow_move_p95_ms={:.3} \
         narrow_move_in_view_bytes_max={} narrow_move_scrolling_bytes_median={} peak_rss_kib={}",
        ms(floor),
        ms(walked),
        ms(first_frame),
        ms(next_start),
        ms(from_cache),
        ms(indexed),
        ms(percentile(&mut keys.clone(), 0.5)),
        ms(percentile(&mut keys.clone(), 0.95)),
        ms(percentile(&mut keys, 1.0)),
        ms(percentile(&mut dates, 0.5)),
        ms(percentile(&mut moves.clone(), 0.5)),
        ms(percentile(&mut moves, 0.95)),
        sent[sent.len() / 2],
        sent[sent.len() - 1],
        ms(percentile(&mut narrow, 0.95)),
        in_view[in_view.len() - 1],
        narrow_sent[narrow_sent.len() / 2],
        peak_rss_kib(),
    );

    // Each form of the query language, typed key by key on the indexed corpus at 120×40 (list
    // and reader preview), as the 10-letter word above. The generator's marker words occur in
    // 1% (`kiosqueun`), 10% (`kiosquedix`) and 50% (`kiosquemoitie`) of the articles' bodies.
    update(&mut app, Action::Resize(120, 40));
    update(&mut app, Action::Top);
    let forms = [
        // Plain words, 10% and 50% of the articles: the baseline.
        "kiosquedix",
        "kiosquemoitie",
        // Only in titles: every title of the list is looked through (few or none match).
        "title:kiosquedix",
        // An exclusion: the complement of the 1% taken from the 10%.
        "kiosquedix -kiosqueun",
        // Either word: the union of two postings.
        "kiosqueun OR kiosquedix",
        // Two words in a row that the generated text holds (about 19% of articles), both
        // frequent: the articles holding both are read word by word to find them adjacent.
        "\"forêt sécurité\"",
        // Read state: every article's mark is looked up. Nothing is marked (the benchmark
        // never opens the reader, which marks read), so every article is unread.
        "is:unread kiosquedix",
    ];
    let mut measured = Vec::new();
    for form in forms {
        measured.push((form, "newest", type_query(&mut app, &mut terminal, form, 5)));
    }
    // Relevance order: the results ranked (BM25) on every key. Half the articles match the
    // whole word, and most match its first letters: the most ranking work.
    app.sort_by(Sort::Relevance);
    measured.push((
        "kiosquemoitie",
        "relevance",
        type_query(&mut app, &mut terminal, "kiosquemoitie", 5),
    ));
    app.sort_by(Sort::Newest);
    // The same costliest queries as the reader runs them: each key answered without the
    // query (`update` alone asks for it, as the runner does, then draws), the query run on
    // the side and its answer shown (that frame timed too).
    for (form, order) in [
        ("\"forêt sécurité\"", Sort::Newest),
        ("kiosquemoitie", Sort::Relevance),
    ] {
        app.sort_by(order);
        update(&mut app, Action::ClearFilter);
        update(&mut app, Action::FocusFilter);
        let (mut keys, mut answers) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            for c in form.chars() {
                let t = Instant::now();
                let effects = kiosque::tui::update::update(&mut app, Action::Insert(c), now());
                draw(&mut terminal, &mut app);
                keys.push(t.elapsed());
                for effect in effects {
                    if let kiosque::tui::effects::Effect::Query(job) = effect {
                        let answer = job.run();
                        let t = Instant::now();
                        kiosque::tui::update::update(&mut app, answer, now());
                        draw(&mut terminal, &mut app);
                        answers.push(t.elapsed());
                    }
                }
            }
            update(&mut app, Action::ClearFilter);
        }
        println!(
            "query={form:?} sort={} on_its_thread key_to_frame_median_ms={:.2} key_to_frame_p95_ms={:.2} answer_to_frame_p95_ms={:.2}",
            if order == Sort::Relevance {
                "relevance"
            } else {
                "newest"
            },
            ms(percentile(&mut keys.clone(), 0.5)),
            ms(percentile(&mut keys, 0.95)),
            ms(percentile(&mut answers, 0.95)),
        );
    }
    app.sort_by(Sort::Newest);
    for (form, order, mut typed) in measured {
        println!(
            "query={form:?} sort={order} key_median_ms={:.2} key_p95_ms={:.2} key_max_ms={:.2} \
             last_key_median_ms={:.2} found={}",
            ms(percentile(&mut typed.keys.clone(), 0.5)),
            ms(percentile(&mut typed.keys.clone(), 0.95)),
            ms(percentile(&mut typed.keys, 1.0)),
            ms(percentile(&mut typed.last_keys, 0.5)),
            typed.found,
        );
    }
}

/// The embedded sample, as `kiosque` with no argument opens it: start to first frame.
fn measure_sample() {
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let mut app = App::new(Catalog::indexed(kiosque::store::sample::corpus()), "sample");
        update(&mut app, Action::Resize(120, 40));
        draw(&mut screen(120, 40), &mut app);
        times.push(t.elapsed());
    }
    println!(
        "sample first_frame_median_ms={:.2} first_frame_max_ms={:.2} peak_rss_kib={}",
        ms(percentile(&mut times.clone(), 0.5)),
        ms(percentile(&mut times, 1.0)),
        peak_rss_kib()
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let [flag, dir] = args.as_slice() {
        if flag == "--one" && dir == "sample" {
            measure_sample();
            return;
        }
        if flag == "--one" {
            measure(Path::new(dir));
            return;
        }
    }
    if args.is_empty() {
        eprintln!("usage: cargo bench --bench interactive -- DIR [DIR...]");
        std::process::exit(2);
    }
    let me = std::env::current_exe().expect("the benchmark's own path");
    for dir in &args {
        println!("# {dir}");
        let status = Command::new(&me)
            .args(["--one", dir])
            .status()
            .expect("a measuring process");
        assert!(status.success());
    }
}
