//! No byte of an article reaches the terminal as a control sequence.
//!
//! Adversarial articles (escape sequences of every kind, C0 and C1 controls, bidi and
//! invisible characters, a hostile file name) are drawn by the real view through ratatui's
//! crossterm backend into memory, in every pane and overlay, at 80×24 and 120×40, scrolling
//! through everything. The bytes are parsed with `vte`, as a terminal would: the only
//! sequences allowed are the few that ratatui and crossterm themselves send to draw, and no
//! printed character may be a control or an invisible format character. The same frames are
//! drawn on a `TestBackend` to check that the hostile characters are shown as visible markers.
//!
//! Both halves matter: ratatui itself drops graphemes holding a C0 or C1 control, so without
//! kiosque's sanitizer an ESC would vanish with its text garbled (caught by the marker checks),
//! while bidi overrides and zero-width characters would reach the terminal (caught in bytes).

use std::path::{Path, PathBuf};

use kiosque::search::catalog::Catalog;
use kiosque::text::display::shown;
use kiosque::tui::action::Action;
use kiosque::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::bytes::{ByteTerminal, forbidden};
use crate::common::frame::{draw_on, rows as screen_rows, update};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

const FILLER: &str = "Le conseil municipal a voté le budget après une longue séance, et les \
    élus de l'opposition ont annoncé qu'ils déposeraient un recours devant le tribunal \
    administratif dans les prochains jours.";

/// The path of an article whose name carries an OSC title, a CSI and a bidi override.
const EVIL_PATH: &str = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}1m\u{202e}gpj.txt";

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

/// One hostile article: its file, and what its title must look like on screen.
struct Case {
    path: String,
    bytes: Vec<u8>,
    /// The title as the reader must show it, on one line, every hostile character visible.
    title: &'static str,
    /// Other text that must be visible somewhere while the article is open.
    visible: &'static [&'static str],
}

fn article(path: &str, head: &str, body: &str) -> (String, Vec<u8>) {
    let text = format!("{head}\n{body} {FILLER}\n{FILLER}\n");
    (path.to_owned(), text.into_bytes())
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut add = |(path, bytes): (String, Vec<u8>), title, visible| {
        cases.push(Case {
            path,
            bytes,
            title,
            visible,
        });
    };
    add(
        article(
            "csi.txt",
            "date 2026-03-10 Rouge \u{1b}[31mdanger\u{1b}[0m et \u{1b}[2J effacé\u{1b}[H ici",
            "Le curseur \u{1b}[10;10H saute, la ligne \u{1b}[2K s'efface, \u{1b}[?25l caché.\n\
             Photo \u{1b}[5m © Agence \u{1b}[8m",
        ),
        "Rouge ^[[31mdanger^[[0m et ^[[2J effacé^[[H ici",
        &[
            "^[[10;10H",
            "^[[2K",
            "^[[?25l",
            "Photo ^[[5m © Agence ^[[8m",
        ],
    );
    add(
        article(
            "osc-title.txt",
            "date 2026-03-09 Titre \u{1b}]0;pwned\u{7} puis \u{1b}]2;x\u{1b}\\ fenêtre",
            "Encore \u{1b}]0;encore\u{7} un titre de fenêtre.",
        ),
        "Titre ^[]0;pwned^G puis ^[]2;x^[\\ fenêtre",
        &["^[]0;encore^G"],
    );
    add(
        article(
            "osc8.txt",
            "date 2026-03-08 Lien \u{1b}]8;;https://evil.example/\u{1b}\\ici\u{1b}]8;;\u{1b}\\ piégé",
            "Un \u{1b}]8;id=1;file:///etc/passwd\u{7}lien\u{1b}]8;;\u{7} caché.",
        ),
        "Lien ^[]8;;https://evil.example/^[\\ici^[]8;;^[\\ piégé",
        &["^[]8;id=1;file:///etc/passwd^Glien^[]8;;^G"],
    );
    add(
        article(
            "osc52.txt",
            "date 2026-03-07 Presse-papiers \u{1b}]52;c;aGVsbG8=\u{7} volé",
            "Et \u{1b}]52;p;cm0gLXJmIH4K\u{1b}\\ ici.",
        ),
        "Presse-papiers ^[]52;c;aGVsbG8=^G volé",
        &["^[]52;p;cm0gLXJmIH4K^[\\"],
    );
    add(
        article(
            "dcs.txt",
            "date 2026-03-06 Requête \u{1b}P$q\"p\u{1b}\\ et \u{1b}Pq#0;2;0;0;0#0~~\u{1b}\\ fin",
            "Un \u{1b}P1000p\u{1b}\\ passe-plat.",
        ),
        "Requête ^[P$q\"p^[\\ et ^[Pq#0;2;0;0;0#0~~^[\\ fin",
        &["^[P1000p^[\\"],
    );
    add(
        article(
            "c1.txt",
            "date 2026-03-05 C1 \u{9b}31mrouge et \u{9d}0;pwned\u{9c} titre",
            "Un \u{90}q\u{9c} DCS en C1, un \u{85} NEL et un \u{9b}2J effacement.",
        ),
        "C1 <U+009B>31mrouge et <U+009D>0;pwned<U+009C> titre",
        &["<U+0090>q<U+009C>", "<U+0085>", "<U+009B>2J"],
    );
    add(
        article(
            "c0.txt",
            "date 2026-03-04 Cloche\u{7} retour\u{8}\u{8} arrière\u{b} et\u{c}page\u{7f} fin",
            "Un\u{1} deux\u{1a} et un retour\rchariot seul, une\ttabulation.",
        ),
        "Cloche^G retour^H^H arrière^K et^Lpage^? fin",
        &[
            "Un^A deux^Z et un retour",
            "chariot seul, une       tabulation.",
        ],
    );
    add(
        (
            "utf16-nul.txt".to_owned(),
            utf16le(&format!(
                "date 2026-03-03 Un NUL\u{0} dans UTF-16\n{FILLER}\nEncore\u{0}un.\n{FILLER}\n"
            )),
        ),
        "Un NUL^@ dans UTF-16",
        &["Encore^@un.", "decoded from UTF-16LE"],
    );
    add(
        article(
            "bidi.txt",
            "date 2026-03-02 Facture \u{202e}gpj.exe\u{202c} et \u{2066}isolé\u{2069} fin",
            "Marques \u{202a}a\u{202b}b\u{202d}c\u{2067}d\u{2068}e.",
        ),
        "Facture <U+202E>gpj.exe<U+202C> et <U+2066>isolé<U+2069> fin",
        &["<U+202A>a<U+202B>b<U+202D>c<U+2067>d<U+2068>e."],
    );
    add(
        article(
            "invisible.txt",
            "date 2026-03-01 Zéro\u{200b}mot \u{200c}et\u{200d} \u{200e}x\u{200f} \u{feff}b",
            "Un \u{feff} au milieu et un mot coupé: sécu\u{ad}rité.",
        ),
        "Zéro<U+200B>mot <U+200C>et<U+200D> <U+200E>x<U+200F> <U+FEFF>b",
        // In a body the soft hyphen is a hyphenation hint: dropped, never shown raw.
        &["Un <U+FEFF> au milieu", "sécurité."],
    );
    add(
        article(
            EVIL_PATH,
            "date 2026-02-27 Un nom de fichier piégé",
            "Rien ici.",
        ),
        "Un nom de fichier piégé",
        &["evil^[]0;pwned^G^[[2J<U+009B>1m<U+202E>gpj.txt"],
    );
    cases
}

/// An article whose title holds a soft hyphen, which a title must mark (`sanitize::Place`).
const SOFT_HYPHEN: (&str, &str) = (
    "soft-hyphen.txt",
    "date 2026-02-28 Sécu\u{ad}rité cachée\nUn mot coupé: cou\u{ad}pé.\n",
);

/// Files that are skipped or loaded with a note, with hostile names, for the warnings window.
fn problem_files() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "binary\u{1b}]0;pwned\u{7}.txt".to_owned(),
            b"\x7fELF\x00\x00\x01\x1b[2J".to_vec(),
        ),
        ("blank\u{9b}2J\u{202e}.txt".to_owned(), b"  \n\t\n".to_vec()),
        (
            "bad-date\u{1b}[31m.txt".to_owned(),
            b"date 2026-02-30 Une date impossible.".to_vec(),
        ),
    ]
}

fn corpus() -> Catalog {
    let mut files: Vec<(String, Vec<u8>)> =
        cases().into_iter().map(|c| (c.path, c.bytes)).collect();
    files.extend(problem_files());
    files.push((SOFT_HYPHEN.0.to_owned(), SOFT_HYPHEN.1.as_bytes().to_vec()));
    let corpus = Catalog::from_memory(
        files
            .iter()
            .map(|(path, bytes)| (PathBuf::from(path), bytes.as_slice())),
    );
    assert_eq!(
        corpus.corpus.articles.len(),
        cases().len() + 2,
        "every hostile article loads"
    );
    assert_eq!(corpus.corpus.skipped(), 2);
    assert_eq!(corpus.corpus.warnings.len(), 3);
    corpus
}

fn app(width: u16, height: u16) -> App {
    // The status bar names the source as `main` does, from a hostile folder name.
    let source = shown(Path::new("news\u{1b}]0;pwned\u{7}\u{9b}2J"));
    let mut app = App::new(corpus(), source);
    update(&mut app, Action::Resize(width, height));
    app
}

/// Runs through everything there is to see, calling `draw` after every step: the list
/// scrolled through every article, every article opened and scrolled to its end, the help and
/// the warnings windows scrolled through, and a filter typed.
fn tour(app: &mut App, draw: &mut dyn FnMut(&mut App)) {
    let act = |app: &mut App, draw: &mut dyn FnMut(&mut App), action: Action| {
        update(app, action);
        draw(app);
    };
    draw(app);
    let count = app.results().len();
    for _ in 0..count {
        act(app, draw, Action::Down);
    }
    act(app, draw, Action::Top);
    for _ in 0..count {
        act(app, draw, Action::Open);
        loop {
            let before = app.reader_scroll();
            act(app, draw, Action::PageDown);
            if app.reader_scroll() == before {
                break;
            }
        }
        act(app, draw, Action::Top);
        act(app, draw, Action::Down);
        act(app, draw, Action::Back);
        act(app, draw, Action::Down);
    }
    for overlay in [Action::ToggleHelp, Action::ToggleWarnings] {
        act(app, draw, overlay);
        for _ in 0..12 {
            act(app, draw, Action::Down);
        }
        act(app, draw, Action::Back);
    }
    act(app, draw, Action::FocusFilter);
    for c in "pwned".chars() {
        act(app, draw, Action::Insert(c));
    }
    // An unfinished date: the filter pane says what is wrong, in red.
    for c in " 2026-1".chars() {
        act(app, draw, Action::Insert(c));
    }
    act(app, draw, Action::Submit);
    act(app, draw, Action::Open);
    act(app, draw, Action::ClearFilter);
}

#[test]
fn no_article_byte_reaches_the_terminal_as_a_control_sequence() {
    for (width, height) in SIZES {
        let mut terminal = ByteTerminal::new(width, height);
        let mut app = app(width, height);
        tour(&mut app, &mut |app| terminal.draw(app));
        let (frames, recorder) = (terminal.frames, &terminal.recorder);
        assert!(frames > 100, "the tour drew only {frames} frames");
        assert!(
            recorder.printed > 10_000,
            "only {} characters printed",
            recorder.printed
        );
        assert_eq!(
            recorder.invisible,
            Vec::<String>::new(),
            "{width}x{height}: invisible characters reached the terminal"
        );
        assert!(
            recorder.violations.is_empty(),
            "{width}x{height}: {} forbidden things reached the terminal, first ones: {:#?}",
            recorder.violations.len(),
            &recorder.violations[..recorder.violations.len().min(20)]
        );
        let unexpected = terminal.unexpected_csi();
        assert!(
            unexpected.is_empty(),
            "{width}x{height}: unexpected CSI sequences {unexpected:?} (all: {:?})",
            recorder.csi
        );
        // The tour really drew styles and moved the cursor, so the allow-list is exercised.
        for needed in ["2J", "?25l", "?25h", "0m", "1m", "3m", "7m", "38;5;1;49m"] {
            assert!(
                recorder.csi.contains(needed),
                "{width}x{height}: never saw CSI {needed}: {:?}",
                recorder.csi
            );
        }
    }
}

#[test]
fn no_control_or_invisible_character_in_any_cell() {
    for (width, height) in SIZES {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
        let mut app = app(width, height);
        tour(&mut app, &mut |app| {
            draw_on(&mut terminal, app);
            for (row, text) in screen_rows(&terminal).iter().enumerate() {
                if let Some(c) = text.chars().find(|&c| forbidden(c)) {
                    panic!(
                        "{width}x{height}: U+{:04X} drawn on row {row}: {text:?}",
                        u32::from(c)
                    );
                }
            }
        });
    }
}

/// Opens each hostile article at 120×40 and checks that its title is shown with every hostile
/// character as a visible marker, and that its other markers show somewhere while scrolling.
#[test]
fn hostile_characters_are_shown_as_visible_markers() {
    let (width, height) = (120, 40);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    let mut app = app(width, height);
    let mut draw = |app: &mut App| -> Vec<String> {
        draw_on(&mut terminal, app);
        screen_rows(&terminal)
    };
    for case in cases() {
        let position = app
            .results()
            .iter()
            .position(|&i| app.catalog().corpus.articles[i].path == Path::new(&case.path))
            .unwrap_or_else(|| panic!("{:?} is not listed", case.path));
        update(&mut app, Action::Top);
        for _ in 0..position {
            update(&mut app, Action::Down);
        }
        update(&mut app, Action::Open);
        let first = draw(&mut app);
        assert!(
            first.iter().any(|row| row.contains(case.title)),
            "title {:?} not on screen:\n{}",
            case.title,
            first.join("\n")
        );
        let mut seen = first.join("\n");
        loop {
            let before = app.reader_scroll();
            update(&mut app, Action::PageDown);
            seen.push('\n');
            seen.push_str(&draw(&mut app).join("\n"));
            if app.reader_scroll() == before {
                break;
            }
        }
        for marker in case.visible {
            assert!(
                seen.contains(marker),
                "{:?}: {marker:?} never shown:\n{seen}",
                case.path
            );
        }
        update(&mut app, Action::Back);
    }
    // The list shows the start of the titles with their markers, and the status bar the
    // hostile source name.
    update(&mut app, Action::Top);
    let list = draw(&mut app).join("\n");
    for visible in ["Rouge ^[[31mdanger", "news^[]0;pwned^G<U+009B>2J"] {
        assert!(list.contains(visible), "{visible:?} not on screen:\n{list}");
    }
    // The warnings window shows the hostile names of the files that were skipped.
    update(&mut app, Action::ToggleWarnings);
    let warnings = draw(&mut app).join("\n");
    for visible in [
        "binary^[]0;pwned^G.txt",
        "blank<U+009B>2J<U+202E>.txt",
        "bad-date^[[31m.txt",
        "binary file (contains NUL bytes)",
        "no text",
        "the date 2026-02-30 does not exist",
    ] {
        assert!(
            warnings.contains(visible),
            "{visible:?} not in the warnings window:\n{warnings}"
        );
    }
}

/// A soft hyphen in a title can hide text: the title must show it as a marker (it is dropped
/// only in bodies, where it is a hyphenation hint), as `kiosque::text::sanitize` documents.
#[test]
fn a_soft_hyphen_in_a_title_is_marked() {
    let (width, height) = (120, 40);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    let mut app = app(width, height);
    let position = app
        .results()
        .iter()
        .position(|&i| app.catalog().corpus.articles[i].path == Path::new(SOFT_HYPHEN.0))
        .expect("the soft hyphen article is listed");
    for _ in 0..position {
        update(&mut app, Action::Down);
    }
    update(&mut app, Action::Open);
    draw_on(&mut terminal, &mut app);
    let screen = screen_rows(&terminal).join("\n");
    // In the body the hint is dropped.
    assert!(screen.contains("Un mot coupé: coupé."), "{screen}");
    assert!(
        screen.contains("Sécu<U+00AD>rité cachée"),
        "the title hides its soft hyphen:\n{screen}"
    );
}
