//! A progress line on stderr for long runs: `Linting [=====>    ] 120/340`. Drawn only when
//! stderr is a terminal, only once a run has lasted a moment, and at most ten times a
//! second; cleared when the run ends. Findings and errors are printed while the run goes
//! on: [`Progress::suspend`] takes the bar off the line while they are.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a run goes before the bar appears: short runs print nothing.
const DELAY: Duration = Duration::from_millis(300);
const INTERVAL: Duration = Duration::from_millis(100);
const BAR_WIDTH: usize = 30;

pub struct Progress {
    total: usize,
    done: AtomicUsize,
    enabled: bool,
    start: Instant,
    bar: Mutex<Bar>,
}

/// The bar on the screen.
#[derive(Default)]
struct Bar {
    /// When it was last drawn, `None` before the first time.
    drawn: Option<Instant>,
    /// Whether it is on the line now (not cleared since it was drawn).
    visible: bool,
}

impl Progress {
    pub fn new(total: usize, enabled: bool) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            enabled,
            start: Instant::now(),
            bar: Mutex::new(Bar::default()),
        }
    }

    /// Whether the bar may be drawn (stderr is a terminal).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// One more file done. Safe to call from many threads.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.enabled || self.start.elapsed() < DELAY {
            return;
        }
        // Another thread is drawing, or output is being printed: skip this tick.
        let Ok(mut bar) = self.bar.try_lock() else {
            return;
        };
        if bar.drawn.is_some_and(|t| t.elapsed() < INTERVAL) {
            return;
        }
        bar.drawn = Some(Instant::now());
        bar.visible = true;
        let filled = (BAR_WIDTH * done) / self.total.max(1);
        let line = format!(
            "{}>{}",
            "=".repeat(filled),
            " ".repeat(BAR_WIDTH - filled.min(BAR_WIDTH))
        );
        let _ = write!(
            std::io::stderr(),
            "\r\x1b[2KLinting [{line}] {done}/{}",
            self.total
        );
    }

    /// Runs `print` with the bar off the line, so that what it prints to the terminal
    /// starts on a clean line; the next tick draws the bar again below it. `print` must
    /// flush what it writes to the terminal.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        let mut bar = self.bar.lock().unwrap_or_else(PoisonError::into_inner);
        clear(&mut bar);
        print()
    }

    /// Clears the line if the bar is on it.
    pub fn finish(&self) {
        clear(&mut self.bar.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

fn clear(bar: &mut Bar) {
    if bar.visible {
        let _ = write!(std::io::stderr(), "\r\x1b[2K");
        bar.visible = false;
    }
}
