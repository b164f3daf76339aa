//! The interactive reader: state, actions, keys, the update function and the runner that
//! owns the terminal; `ui` draws.

pub mod action;
pub mod app;
pub mod input;
pub mod keymap;
pub mod keys;
pub mod layout;
pub mod runner;
pub mod ui;

pub use runner::run;
