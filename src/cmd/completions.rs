//! `kiosque completions SHELL` and `kiosque man`: generated from the same clap definition
//! as the command line itself, so they can never disagree with it.

use std::io;
use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::cmd::{Failure, finish_output};

pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode, Failure> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "kiosque", &mut io::stdout());
    Ok(ExitCode::SUCCESS)
}

pub fn man() -> Result<ExitCode, Failure> {
    finish_output(clap_mangen::Man::new(Cli::command()).render(&mut io::stdout()))
}
