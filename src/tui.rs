//! The interactive reader, in the Elm architecture as ratatui documents it:
//!
//! - `keymap` (the key table) and `keys` (the keys in effect) turn a key into an `Action`;
//! - `update` carries every action out on the state (`app`; `page` is the open article laid
//!   out for the reader) and returns `Effect`s, which `effects` performs;
//! - `ui` draws the state (`ui::view`) and cannot change it;
//! - `runner` owns the loop (draw, read an event, update, perform), `terminal` the terminal;
//!   `background` the threads that fetch feeds and read the files again;
//! - `layout` places the panes for a screen size, for `update` and the view alike; `input`
//!   edits a line of text.

pub mod action;
pub mod app;
pub mod background;
pub mod effects;
pub(crate) mod input;
pub mod keymap;
pub mod keys;
pub mod layout;
pub(crate) mod page;
pub mod runner;
pub(crate) mod terminal;
pub mod ui;
pub mod update;

pub use runner::run;
