//! A parallel map whose results are consumed in the order of its input, through a bounded
//! window: `lexls lint` checks files on every core and prints them in a stable order, and
//! holds only a few files at a time however many there are.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};

use rayon::iter::{ParallelBridge, ParallelIterator};

/// Calls `work` on every item on rayon's threads and `sink` on each result on this thread,
/// in the order of `items`. Item `i` is started only once fewer than `window` items before
/// it are still unsunk, so at most `window` results exist at any time (being made, or
/// waiting for an earlier one): memory is bounded by `window` × the largest, whatever the
/// number of items. A panic in `work` is raised again here. An error from `sink` stops the
/// run: the items being worked on are finished and dropped, no other is started, and the
/// error is returned.
pub fn for_each<I, T, E>(
    items: &[I],
    window: usize,
    work: impl Fn(&I) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    I: Sync,
    T: Send,
{
    let window = Window::new(window.max(1));
    let window = &window;
    let work = &work;
    // The workers run on rayon's pool, `sink` on this thread (a caller outside the pool;
    // on one of its threads, waiting for results would take a worker away).
    rayon::in_place_scope(|scope| {
        let (tx, rx) = mpsc::channel();
        // Workers take the items in order (`par_bridge` hands out an iterator's items one
        // at a time), waiting at the window's edge.
        scope.spawn(move |_| {
            (0..items.len())
                .take_while(|&i| window.admit(i))
                .par_bridge()
                .for_each_with(tx, |tx, i| {
                    let done = panic::catch_unwind(AssertUnwindSafe(|| work(&items[i])));
                    // The receiver is gone only when `sink` failed: the result is not wanted.
                    let _ = tx.send((i, done));
                });
        });
        // However this ends (`sink` failed, a panic), the workers must not wait for it.
        let _close = CloseOnDrop(window);
        let mut early = BTreeMap::new();
        for next in 0..items.len() {
            let done = loop {
                if let Some(done) = early.remove(&next) {
                    break done;
                }
                let (i, done) = rx.recv().expect("every item admitted is sent");
                early.insert(i, done);
            };
            sink(done.unwrap_or_else(|panic| panic::resume_unwind(panic)))?;
            window.advance();
        }
        Ok(())
    })
}

/// Which items may start: those less than `limit` after the first one not yet sunk.
struct Window {
    limit: usize,
    state: Mutex<State>,
    moved: Condvar,
}

struct State {
    /// Items sunk so far.
    sunk: usize,
    /// No item may start any more.
    closed: bool,
    /// Workers waiting at the window's edge. Most of the time there are none (the sink
    /// keeps up), and a notification costs a system call even then: one per item.
    waiting: usize,
}

impl Window {
    fn new(limit: usize) -> Window {
        Window {
            limit,
            state: Mutex::new(State {
                sunk: 0,
                closed: false,
                waiting: 0,
            }),
            moved: Condvar::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until item `i` may start: `true`, or `false` once the window is closed.
    fn admit(&self, i: usize) -> bool {
        let mut s = self.state();
        while !s.closed && i >= s.sunk + self.limit {
            s.waiting += 1;
            s = self.moved.wait(s).unwrap_or_else(PoisonError::into_inner);
            s.waiting -= 1;
        }
        !s.closed
    }

    /// One more item sunk.
    fn advance(&self) {
        let mut s = self.state();
        s.sunk += 1;
        if s.waiting > 0 {
            drop(s);
            self.moved.notify_all();
        }
    }

    fn close(&self) {
        self.state().closed = true;
        self.moved.notify_all();
    }
}

struct CloseOnDrop<'a>(&'a Window);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    // On rayon's global pool, one thread per core (at least two where the tests run).

    #[test]
    fn results_come_in_order_whatever_order_they_finish_in() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        for_each(
            &items,
            3,
            |&i| {
                // Early items take longest, so later ones finish first.
                std::thread::sleep(Duration::from_micros((200 - i) * 20));
                i * 2
            },
            |r| {
                seen.push(r);
                Ok::<_, ()>(())
            },
        )
        .unwrap();
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn no_more_than_the_window_is_held() {
        // A result counts from the moment its work starts until the sink has taken it.
        let live = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let items: Vec<usize> = (0..300).collect();
        for_each(
            &items,
            5,
            |&i| {
                let now = live.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // Every 50th item is slow: without the window, the items after it would
                // pile up behind it on the other threads.
                if i % 50 == 0 {
                    std::thread::sleep(Duration::from_millis(20));
                }
                i
            },
            |_| {
                live.fetch_sub(1, Ordering::SeqCst);
                Ok::<_, ()>(())
            },
        )
        .unwrap();
        let most = most.load(Ordering::SeqCst);
        assert!((1..=5).contains(&most), "{most} results held at once");
    }

    #[test]
    fn an_error_from_the_sink_stops_the_run() {
        let started = AtomicUsize::new(0);
        let items: Vec<usize> = (0..10_000).collect();
        let got = for_each(
            &items,
            4,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| if i == 10 { Err(i) } else { Ok(()) },
        );
        assert_eq!(got, Err(10));
        // Items 0 to 10, and those the window let start while 10 was sunk: below 10 + 4.
        let started = started.load(Ordering::SeqCst);
        assert!((11..=14).contains(&started), "{started} items started");
    }

    #[test]
    fn a_panic_in_the_work_reaches_the_caller() {
        let items: Vec<usize> = (0..100).collect();
        let caught = panic::catch_unwind(|| {
            for_each(
                &items,
                4,
                |&i| assert_ne!(i, 42, "item 42"),
                |()| Ok::<_, ()>(()),
            )
        });
        let payload = caught.expect_err("the panic is raised again");
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(message.contains("item 42"), "{message}");
    }

    #[test]
    fn no_items() {
        let items: [u8; 0] = [];
        for_each(&items, 4, |_| (), |()| Err::<(), _>("never called")).unwrap();
    }
}
