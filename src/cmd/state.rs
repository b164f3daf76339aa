//! `kiosque state export|import FILE`: moves read and starred marks between machines.

use std::process::ExitCode;

use crate::cli::StateCommand;
use crate::cmd::{Failure, open_marks};
use crate::store::marks;
use crate::text::display::shown;

pub fn run(action: &StateCommand) -> Result<ExitCode, Failure> {
    let (store, mine, recovery) = open_marks()?;
    if let Some(recovery) = recovery {
        eprintln!("kiosque: {recovery}");
    }
    let failed = |err: marks::StateError| Failure::Failed(err.to_string());
    match action {
        StateCommand::Export { file } => {
            marks::export(&mine, file).map_err(failed)?;
            let (read, starred) = mine.counts();
            println!(
                "{read} read and {starred} starred written to {}",
                shown(file)
            );
        }
        StateCommand::Import { file } => {
            let theirs = marks::import(file).map_err(failed)?;
            let (read, starred) = theirs.counts();
            let (merged, _) = store.save(&theirs.changes()).map_err(failed)?;
            let (all_read, all_starred) = merged.counts();
            println!(
                "merged {read} read and {starred} starred from {}; \
                 you now have {all_read} read and {all_starred} starred",
                shown(file)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
