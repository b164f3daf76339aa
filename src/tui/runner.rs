//! The runner: owns the terminal. It draws, blocks on the next event, maps it to an action
//! and hands it to `update`, until the user quits. The terminal is given back on every way
//! out: `q`, a panic, SIGTERM, SIGINT, SIGHUP, the terminal going away, and Ctrl-Z (until
//! `fg`).

use std::io::{self, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::crossterm::{cursor, execute};
use rustix::event::{PollFd, PollFlags, poll};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

use crate::search::catalog::LoadEvent;
use crate::store::marks::Store;
use crate::tui::action::{Action, Shared};
use crate::tui::app::{App, Outgoing, fetch_body, update};
use crate::tui::ui::view;

/// Held while the main thread writes to the terminal, so that a signal arriving mid-frame
/// restores the terminal after the frame rather than in the middle of an escape sequence.
static TERMINAL: Mutex<()> = Mutex::new(());

fn terminal_lock() -> MutexGuard<'static, ()> {
    TERMINAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether kiosque turned mouse reporting on (the config's `mouse = true`): every way out
/// turns it off again.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Gives the terminal back: mouse reporting off if it was on, then raw mode off, the main
/// screen back and the cursor shown.
fn restore() {
    if MOUSE.load(AtomicOrdering::SeqCst) {
        let _ = execute!(io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
}

/// Runs the interactive reader until the user quits, taking in the news of a load running
/// on its own thread (`load::spawn`) when there is one.
pub fn run(
    app: &mut App,
    loader: Option<Receiver<LoadEvent>>,
    store: Option<&Store>,
) -> Result<()> {
    // `ratatui::init` enters raw mode and the alternate screen, and installs a panic hook
    // that restores the terminal before the panic message is printed.
    let mut terminal = ratatui::init();
    if app.mouse {
        MOUSE.store(true, AtomicOrdering::SeqCst);
        // ratatui's hook knows nothing of the mouse: turn it off first, then run it.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(io::stdout(), DisableMouseCapture);
            hook(info);
        }));
        if let Err(err) = execute!(io::stdout(), EnableMouseCapture) {
            restore();
            return Err(err.into());
        }
    }
    if let Err(err) = watch_for_the_end() {
        restore();
        return Err(err);
    }
    let result = event_loop(&mut terminal, app, loader, store);
    // A save that failed is tried once more on the way out.
    save_marks(app, store);
    let _guard = terminal_lock();
    restore();
    result
}

/// Until a load has gone this long, the screen waits for the list rather than showing a
/// gauge that would only flash.
const QUIET_LOAD: Duration = Duration::from_millis(200);
/// While loading, how often the screen wakes up to show progress.
const PROGRESS_TICK: Duration = Duration::from_millis(50);

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    mut loader: Option<Receiver<LoadEvent>>,
    store: Option<&Store>,
) -> Result<()> {
    let size = terminal.size()?;
    update(app, Action::Resize(size.width, size.height));
    if let Some(events) = &loader {
        let deadline = Instant::now() + QUIET_LOAD;
        while app.catalog.corpus.articles.is_empty() && app.loading.is_some() {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.recv_timeout(left) {
                Ok(event) => update(app, action_of(event)),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    loader = None;
                    break;
                }
            }
        }
    }
    while app.running {
        fetch_body(app);
        {
            let _guard = terminal_lock();
            terminal.draw(|frame| view(app, frame))?;
            if app.hyperlinks && !app.ui.hyperlinks.is_empty() {
                // Over the text just drawn, the same text as a link: the screen is unchanged
                // for ratatui, and clickable for the user.
                let mut out = io::stdout();
                for link in &app.ui.hyperlinks {
                    if crate::text::links::safe(&link.url) {
                        let sequence = crate::text::links::osc8(
                            link.x,
                            link.y,
                            &link.text,
                            &link.url,
                            link.selected,
                        );
                        out.write_all(sequence.as_bytes())?;
                    }
                }
                out.flush()?;
            }
        }
        #[cfg(debug_assertions)]
        if std::env::var_os("KIOSQUE_TEST_PANIC").is_some() {
            // Lets the end-to-end tests check that a panic gives the terminal back.
            panic!("panic requested by KIOSQUE_TEST_PANIC");
        }
        let event = match &loader {
            // No need to wake up without a load: block until the user does something.
            None => Some(event::read().context("reading the terminal")?),
            Some(events) => {
                let event = if event::poll(PROGRESS_TICK).context("reading the terminal")? {
                    Some(event::read().context("reading the terminal")?)
                } else {
                    None
                };
                loop {
                    match events.try_recv() {
                        Ok(news) => update(app, action_of(news)),
                        Err(TryRecvError::Empty) => break,
                        Err(TryRecvError::Disconnected) => {
                            loader = None;
                            break;
                        }
                    }
                }
                event
            }
        };
        match event {
            Some(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                if let Some(action) = app.keys.action(key, app.mode()) {
                    update(app, action);
                }
            }
            Some(Event::Resize(width, height)) => update(app, Action::Resize(width, height)),
            Some(Event::Mouse(mouse)) => {
                let at = (mouse.column, mouse.row);
                let action = match mouse.kind {
                    MouseEventKind::ScrollDown => Some(Action::Wheel(at.0, at.1, 3)),
                    MouseEventKind::ScrollUp => Some(Action::Wheel(at.0, at.1, -3)),
                    MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(at.0, at.1)),
                    _ => None,
                };
                if let Some(action) = action {
                    update(app, action);
                }
            }
            _ => {}
        }
        // Marks are saved as soon as they change: a dropped ssh link loses none.
        save_marks(app, store);
        if let Some(outgoing) = app.outgoing.take() {
            carry_out(app, outgoing);
        }
        if std::mem::take(&mut app.suspend_requested) {
            suspend(terminal)?;
            let size = terminal.size()?;
            update(app, Action::Resize(size.width, size.height));
        }
    }
    Ok(())
}

/// Saves the marks changed since the last save, and takes in the marks other kiosque
/// processes saved meanwhile.
fn save_marks(app: &mut App, store: Option<&Store>) {
    let Some(store) = store else {
        return;
    };
    if app.pending.is_empty() {
        return;
    }
    match store.save(&app.pending) {
        Ok((marks, recovery)) => {
            update(app, Action::MarksSaved(Shared(Arc::new(marks))));
            if let Some(recovery) = recovery {
                update(app, Action::SaveFailed(recovery.to_string()));
            }
        }
        Err(err) => update(app, Action::SaveFailed(err.to_string())),
    }
}

/// Opens a link or copies it, as `update` asked.
fn carry_out(app: &mut App, outgoing: Outgoing) {
    match outgoing {
        Outgoing::Open(url) => {
            if let Err(why) = open_in_browser(&url) {
                update(app, Action::Notice(why));
            }
        }
        Outgoing::Copy(url) => {
            let _guard = terminal_lock();
            let mut out = io::stdout();
            let sent = out
                .write_all(crate::text::links::osc52(&url).as_bytes())
                .and_then(|()| out.flush());
            if let Err(err) = sent {
                update(
                    app,
                    Action::Notice(format!("could not copy the link: {err}")),
                );
            }
        }
    }
}

/// Starts `$BROWSER` (its first entry, as a program and its own arguments) or `xdg-open`
/// with the link as one argument, no shell in between, and lets it run on its own.
fn open_in_browser(url: &str) -> Result<(), String> {
    if !crate::text::links::safe(url) {
        return Err(format!(
            "not opened: {url} is not an http, https or mailto link"
        ));
    }
    let browser = std::env::var("BROWSER").unwrap_or_default();
    let mut words = browser
        .split(':')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter();
    let program = words.next().unwrap_or_else(|| "xdg-open".to_owned());
    let mut child = std::process::Command::new(&program)
        .args(words)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|err| format!("could not start {program}: {err}"))?;
    // Reaped when it ends, so no process is left behind as a zombie.
    thread::spawn(move || child.wait());
    Ok(())
}

fn action_of(event: LoadEvent) -> Action {
    match event {
        LoadEvent::Progress(stage, done, total) => Action::Loading(stage, done, total),
        LoadEvent::Listed(catalog) | LoadEvent::Indexed(catalog) => {
            Action::Catalog(Shared(Arc::new(catalog)))
        }
    }
}

/// Ctrl-Z: gives the terminal back, stops like any job, and takes the screen again on `fg`.
fn suspend(terminal: &mut DefaultTerminal) -> Result<()> {
    {
        let _guard = terminal_lock();
        restore();
        signal_hook::low_level::raise(SIGTSTP).context("suspending")?;
    }
    // Running again after `fg`.
    let _guard = terminal_lock();
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
    if MOUSE.load(AtomicOrdering::SeqCst) {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    // The shell drew over the screen meanwhile: forget what ratatui thinks is on it.
    terminal.clear()?;
    Ok(())
}

/// Starts the two watchers that end kiosque cleanly from outside the event loop: one for
/// termination signals, one for a terminal that went away without a SIGHUP reaching us
/// (`nohup`, a parent that does not forward it). Without the second, a vanished terminal
/// would leave the process reading a dead descriptor forever.
fn watch_for_the_end() -> Result<()> {
    let mut signals =
        Signals::new([SIGTERM, SIGINT, SIGHUP, SIGQUIT]).context("installing signal handlers")?;
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                shut_down(128 + signal);
            }
        })
        .context("starting the signal watcher")?;
    thread::Builder::new()
        .name("hangup".into())
        .spawn(|| {
            if wait_for_hangup() {
                shut_down(128 + SIGHUP);
            }
        })
        .context("starting the hangup watcher")?;
    Ok(())
}

/// Blocks until the terminal on standard input hangs up; false if that cannot be watched.
fn wait_for_hangup() -> bool {
    let stdin = io::stdin();
    // No event is asked for: poll then returns only for a hangup, an error or a closed
    // descriptor, never for a key, so this thread sleeps while the user reads.
    let fd = stdin.as_fd();
    let mut fds = [PollFd::new(&fd, PollFlags::empty())];
    loop {
        match poll(&mut fds, None) {
            Ok(_) => {
                let seen = fds[0].revents();
                if seen.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
                    return true;
                }
            }
            Err(rustix::io::Errno::INTR) => {}
            Err(_) => return false,
        }
    }
}

/// Restores the terminal and exits with `code`. Waits briefly for a frame being drawn to
/// end, but never long: a terminal that stopped reading must not keep kiosque alive.
fn shut_down(code: i32) -> ! {
    let deadline = Instant::now() + Duration::from_millis(300);
    let _guard = loop {
        match TERMINAL.try_lock() {
            Ok(guard) => break Some(guard),
            Err(std::sync::TryLockError::Poisoned(p)) => break Some(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) if Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(5));
            }
            Err(std::sync::TryLockError::WouldBlock) => break None,
        }
    };
    restore();
    let _ = io::stdout().flush();
    std::process::exit(code);
}
