//! The runner: owns the terminal. It draws, blocks on the next event, maps it to an action
//! and hands it to `update`, until the user quits; the terminal is restored on every exit.

use anyhow::Result;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use crate::action::Action;
use crate::app::{App, update};
use crate::keymap::keymap;
use crate::ui::view;

/// Runs the interactive reader until the user quits.
pub fn run(app: &mut App) -> Result<()> {
    // `ratatui::init` also installs a panic hook that restores the terminal first.
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, app);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> Result<()> {
    let size = terminal.size()?;
    update(app, Action::Resize(size.width, size.height));
    while app.running {
        terminal.draw(|frame| view(app, frame))?;
        match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                if let Some(action) = keymap(key, app.mode()) {
                    update(app, action);
                }
            }
            Event::Resize(width, height) => update(app, Action::Resize(width, height)),
            _ => {}
        }
    }
    Ok(())
}
