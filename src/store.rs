//! The article files on disk: finding them, decoding and parsing them, the list cache that
//! makes the next start fast, and the marks file. The only layer that reads article files.

pub(crate) mod cache;
pub mod decode;
pub(crate) mod dirs;
pub mod header;
pub mod load;
pub mod lock;
pub mod marks;
pub mod parse;
pub mod read;
pub mod remembered;
pub mod sample;
pub mod walk;
