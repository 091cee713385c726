//! A progress line on stderr for long runs: `Linting [=====>    ] 120/340`. Drawn only when
//! stderr is a terminal, only once a run has lasted a moment, and at most ten times a
//! second; cleared when the run ends.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// When the bar was last drawn, `None` before the first time.
    drawn: Mutex<Option<Instant>>,
}

impl Progress {
    pub fn new(total: usize, enabled: bool) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            enabled,
            start: Instant::now(),
            drawn: Mutex::new(None),
        }
    }

    /// One more file done. Safe to call from many threads.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.enabled || self.start.elapsed() < DELAY {
            return;
        }
        let Ok(mut drawn) = self.drawn.try_lock() else {
            return;
        };
        if drawn.is_some_and(|t| t.elapsed() < INTERVAL) {
            return;
        }
        *drawn = Some(Instant::now());
        let filled = (BAR_WIDTH * done) / self.total.max(1);
        let bar = format!(
            "{}>{}",
            "=".repeat(filled),
            " ".repeat(BAR_WIDTH - filled.min(BAR_WIDTH))
        );
        let _ = write!(
            std::io::stderr(),
            "\r\x1b[2KLinting [{bar}] {done}/{}",
            self.total
        );
    }

    /// Clears the line if the bar was drawn.
    pub fn finish(&self) {
        let drawn = self.drawn.lock().map(|d| d.is_some()).unwrap_or(false);
        if drawn {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
