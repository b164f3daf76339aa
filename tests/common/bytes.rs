//! The bytes kiosque sends a terminal, parsed with `vte` as a terminal would: what was
//! printed, every CSI sequence, and everything else (OSC, DCS, ESC, C0 and C1 controls),
//! which must never come from an article. Used by `escapes` on hostile articles and by
//! `props` on random ones.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::Write;
use std::rc::Rc;

use kiosque::tui::app::App;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use vte::{Params, Parser, Perform};

/// A character that must never be printed: a C0 or C1 control or DEL, or an invisible format
/// character that can hide or reorder text (the set kiosque promises to mark). Written out
/// here rather than taken from `kiosque::text::sanitize`, so that a change there cannot hide a leak.
pub fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
}

/// Everything a terminal would do with the bytes, as `vte` parses them.
#[derive(Default)]
pub struct Recorder {
    /// Every CSI sequence, written back as text: private marker, parameters, final byte.
    pub csi: BTreeSet<String>,
    /// Everything that is not a printed character or an allowed CSI.
    pub violations: Vec<String>,
    /// Invisible format characters printed (bidi controls, zero-width characters): forbidden
    /// in what kiosque draws of articles, but shown as typed in the filter.
    pub invisible: Vec<String>,
    pub printed: usize,
    /// The last character printed.
    last: Option<char>,
    /// A zero-width joiner after something other than an emoji, judged by what follows.
    pending_joiner: bool,
}

impl Recorder {
    /// A zero-width joiner after something other than an emoji joins nothing: it is an
    /// invisible character whatever comes after it, a skin tone included (`a‍🏿`).
    fn settle_joiner(&mut self) {
        if std::mem::take(&mut self.pending_joiner) {
            self.invisible.push("printed U+200D".to_owned());
        }
    }
}

/// A character that ends an emoji a zero-width joiner may follow: a pictograph, a skin tone
/// or the emoji presentation selector.
fn emoji(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{FE0F}')
}

impl Perform for Recorder {
    fn print(&mut self, c: char) {
        self.printed += 1;
        self.settle_joiner();
        let last = self.last.replace(c);
        if c.is_control() {
            self.violations
                .push(format!("printed U+{:04X}", u32::from(c)));
        } else if c == '\u{200d}' && last.is_some_and(emoji) {
            // A zero-width joiner inside an emoji sequence (👨‍👩‍👧) is part of it.
        } else if c == '\u{200d}' {
            self.pending_joiner = true;
        } else if forbidden(c) {
            self.invisible
                .push(format!("printed U+{:04X}", u32::from(c)));
        }
    }

    /// crossterm sends no C0 control of its own (it moves with `CSI H`, never CR or LF).
    fn execute(&mut self, byte: u8) {
        self.violations.push(format!("C0/C1 control {byte:#04x}"));
    }

    fn hook(&mut self, params: &Params, intermediates: &[u8], _ignore: bool, action: char) {
        self.violations.push(format!(
            "DCS {}{:?}{action}",
            String::from_utf8_lossy(intermediates),
            params_text(params)
        ));
    }

    fn put(&mut self, byte: u8) {
        self.violations.push(format!("DCS data {byte:#04x}"));
    }

    fn unhook(&mut self) {
        self.violations.push("DCS end".to_owned());
    }

    fn osc_dispatch(&mut self, params: &[&[u8]], _bell_terminated: bool) {
        let params: Vec<_> = params.iter().map(|p| String::from_utf8_lossy(p)).collect();
        self.violations.push(format!("OSC {}", params.join(";")));
    }

    fn csi_dispatch(&mut self, params: &Params, intermediates: &[u8], ignore: bool, action: char) {
        self.settle_joiner();
        let text = format!(
            "{}{}{action}",
            String::from_utf8_lossy(intermediates),
            params_text(params)
        );
        if ignore {
            self.violations.push(format!("oversized CSI {text}"));
        }
        self.csi.insert(text);
    }

    fn esc_dispatch(&mut self, intermediates: &[u8], _ignore: bool, byte: u8) {
        self.violations.push(format!(
            "ESC {}{}",
            String::from_utf8_lossy(intermediates),
            char::from(byte)
        ));
    }
}

pub fn params_text(params: &Params) -> String {
    params
        .iter()
        .map(|p| p.iter().map(u16::to_string).collect::<Vec<_>>().join(":"))
        .collect::<Vec<_>>()
        .join(";")
}

/// The only CSI sequences ratatui's crossterm backend sends for kiosque's frames, as observed:
/// cursor positioning, erase display (sent when the terminal is resized), cursor show and
/// hide, and the SGR attributes and colours kiosque's styles use.
pub fn allowed_csi(csi: &str, width: u16, height: u16) -> bool {
    let Some((body, action)) = csi.split_at_checked(csi.len() - 1) else {
        return false;
    };
    match action {
        // `CSI row;col H`, 1-based, from `MoveTo`.
        "H" => match body.split(';').collect::<Vec<_>>()[..] {
            [row, column] => {
                let within =
                    |p: &str, most: u16| p.parse::<u16>().is_ok_and(|n| (1..=most).contains(&n));
                within(row, height) && within(column, width)
            }
            _ => false,
        },
        // `Clear(All)`.
        "J" => body == "2",
        // `Show` and `Hide`.
        "h" | "l" => body == "?25",
        "m" => allowed_sgr(body),
        _ => false,
    }
}

/// SGR parameters: reset (0), bold (1), dim (2), italic (3), underline (4), reverse (7),
/// normal intensity (22), not italic (23), not underlined (24), not reversed (27), default
/// foreground (39), background (49) and underline colour (59), and the two colours kiosque
/// uses, as crossterm writes them: `38;5;1` (red) and `38;5;3` (yellow).
pub fn allowed_sgr(body: &str) -> bool {
    const SINGLE: &[&str] = &[
        "0", "1", "2", "3", "4", "7", "22", "23", "24", "27", "39", "49", "59",
    ];
    let mut params = body.split(';');
    while let Some(p) = params.next() {
        let ok = match p {
            "38" => params.next() == Some("5") && matches!(params.next(), Some("1" | "3")),
            p => SINGLE.contains(&p),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// The terminal's output: bytes kept where the test can take them after each frame.
#[derive(Clone, Default)]
pub struct Output(Rc<RefCell<Vec<u8>>>);

impl Output {
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

impl Write for Output {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A terminal of a fixed size that keeps the bytes ratatui's crossterm backend sends and
/// parses them as they come.
pub struct ByteTerminal {
    terminal: Terminal<CrosstermBackend<Output>>,
    output: Output,
    parser: Parser,
    pub recorder: Recorder,
    pub width: u16,
    pub height: u16,
    pub frames: usize,
}

impl ByteTerminal {
    /// A `width`×`height` terminal, cleared as ratatui clears the real one when it is resized.
    pub fn new(width: u16, height: u16) -> ByteTerminal {
        let output = Output::default();
        let mut terminal = Terminal::with_options(
            CrosstermBackend::new(output.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
            },
        )
        .expect("a terminal writing into memory");
        terminal.backend_mut().clear().expect("a clear");
        let mut term = ByteTerminal {
            terminal,
            output,
            parser: Parser::new(),
            recorder: Recorder::default(),
            width,
            height,
            frames: 0,
        };
        term.parse();
        term
    }

    /// Draws a frame of `app` and parses the bytes it sent.
    pub fn draw(&mut self, app: &mut App) {
        super::frame::draw_on(&mut self.terminal, app);
        self.frames += 1;
        self.parse();
    }

    fn parse(&mut self) {
        let bytes = self.output.take();
        self.parser.advance(&mut self.recorder, &bytes);
    }

    /// The CSI sequences sent that are not among those ratatui sends to draw.
    pub fn unexpected_csi(&self) -> Vec<&String> {
        self.recorder
            .csi
            .iter()
            .filter(|c| !allowed_csi(c, self.width, self.height))
            .collect()
    }
}
