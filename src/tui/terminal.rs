//! The terminal itself: taking it (raw mode, alternate screen, mouse) and giving it back on
//! every way out: `q`, a panic, SIGTERM, SIGINT, SIGHUP, the terminal going away, and Ctrl-Z
//! (until `fg`).

use std::io::{self, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::crossterm::{cursor, execute};
use rustix::event::{PollFd, PollFlags, poll};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
use signal_hook::iterator::Signals;

/// Held while the main thread writes to the terminal, so that a signal arriving mid-frame
/// restores the terminal after the frame rather than in the middle of an escape sequence.
static TERMINAL: Mutex<()> = Mutex::new(());

/// Takes the lock on writing to the terminal.
pub(crate) fn lock() -> MutexGuard<'static, ()> {
    TERMINAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether kiosque turned mouse reporting on (the config's `mouse = true`): every way out
/// turns it off again.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Takes the terminal: raw mode, the alternate screen, mouse reporting if `mouse`, and the
/// watchers that give it back when kiosque is ended from outside.
pub(crate) fn enter(mouse: bool) -> Result<DefaultTerminal> {
    // `ratatui::init` enters raw mode and the alternate screen, and installs a panic hook
    // that restores the terminal before the panic message is printed.
    let terminal = ratatui::init();
    if mouse {
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
    Ok(terminal)
}

/// Gives the terminal back at the end of the run, after any frame being drawn.
pub(crate) fn leave() {
    let _guard = lock();
    restore();
}

/// Gives the terminal back: mouse reporting off if it was on, then raw mode off, the main
/// screen back and the cursor shown.
fn restore() {
    if MOUSE.load(AtomicOrdering::SeqCst) {
        let _ = execute!(io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
}

/// Writes an escape sequence ratatui knows nothing of (OSC 8 hyperlinks, OSC 52 copies)
/// straight to the terminal, between frames.
pub(crate) fn write_raw(bytes: &[u8]) -> io::Result<()> {
    let _guard = lock();
    let mut out = io::stdout();
    out.write_all(bytes)?;
    out.flush()
}

/// Ctrl-Z: gives the terminal back, stops like any job, and takes the screen again on `fg`.
pub(crate) fn suspend(terminal: &mut DefaultTerminal) -> Result<()> {
    {
        let _guard = lock();
        restore();
        signal_hook::low_level::raise(SIGTSTP).context("suspending")?;
    }
    // Running again after `fg`.
    let _guard = lock();
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
