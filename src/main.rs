//! The `kiosque` binary: parses the command line, runs the command, and prints its one
//! error.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use kiosque::cli::Cli;

fn main() -> ExitCode {
    match kiosque::cmd::run(Cli::parse()) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("kiosque: {failure}");
            failure.exit_code()
        }
    }
}
