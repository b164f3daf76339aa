//! `kiosque config [--default]`: where the config file is and the settings in effect, or
//! the commented default file to start one from.

use std::process::ExitCode;

use crate::cmd::{Context, Failure};
use crate::text::display::shown;

pub fn run(context: &Context, default: bool) -> Result<ExitCode, Failure> {
    if default {
        print!("{}", crate::config::DEFAULT);
        return Ok(ExitCode::SUCCESS);
    }
    let file = context.config_path.as_deref().map_or_else(
        || "none (HOME is not set)".to_owned(),
        |p| match p.exists() {
            true => shown(p),
            false => format!("{} (not there: the defaults apply)", shown(p)),
        },
    );
    println!("# config file: {file}\n# settings in effect:\n");
    print!("{}", crate::config::effective(&context.config));
    Ok(ExitCode::SUCCESS)
}
