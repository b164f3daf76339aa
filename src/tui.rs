//! The interactive reader, in the Elm architecture: `keymap`/`keys` turn a key into an
//! `Action`; `update` changes the state (`app`) and returns `Effect`s; `runner` owns the loop
//! and `effects` carries them out; `ui` draws the state (`view`) and never changes it.

pub mod action;
pub mod app;
pub mod effects;
pub mod input;
pub mod keymap;
pub mod keys;
pub mod layout;
pub(crate) mod page;
pub mod runner;
pub(crate) mod terminal;
pub mod ui;
pub mod update;

pub use runner::run;
