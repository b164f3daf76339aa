//! kiosque: a terminal reader for news articles kept as text files.
//!
//! Data flows one way: `load` builds a [`load::Corpus`]; `keymap` turns keys into
//! [`action::Action`]s; `app::update` applies them to the [`app::App`]; `ui::view` draws it.
//! `tui` owns the terminal and runs that loop.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod action;
pub mod app;
pub mod article;
pub mod cache;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod decode;
pub mod feeds;
pub mod fold;
pub mod header;
pub mod index;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod links;
pub mod listing;
pub mod load;
pub mod parse;
pub mod query;
pub mod related;
pub mod sample;
pub mod sanitize;
pub mod show;
pub mod state;
pub mod timeline;
pub mod tui;
pub mod ui;
pub mod wrap;
