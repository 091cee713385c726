//! A parallel map whose results are consumed in the order of its input, through a bounded
//! window: `lexls lint` checks files on every core and prints them in a stable order, and
//! holds only a few files at a time however many there are.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

use rayon::iter::{ParallelBridge, ParallelIterator};

/// Calls `work` on every item on rayon's threads and `sink` on each result on this thread,
/// in the order of `items`. Item `i` is started only once fewer than `window` items before
/// it are still unsunk, so at most `window` results exist at any time (being made, or
/// waiting for an earlier one), and as many sunk and not yet dropped: memory is bounded by
/// twice `window` × the largest, whatever the number of items. A panic in `work` is raised
/// again here. An error from `sink` stops the run: the items being worked on are finished
/// and dropped, no other is started, and the error is returned.
///
/// Results are handed over in batches: waking this thread costs the worker a system call,
/// and doing it for every result took 5% of a lint run of small files. So a worker wakes it
/// only when half the window is ready in order, when a worker waits for the window to
/// move, or when nothing more is coming.
///
/// A result is dropped by the first worker to finish an item after it was sunk (the last
/// window's results, by this thread): freeing a linted file's findings, allocated on a
/// worker, cost the printing thread 4.0 M instructions on `lexls lint`'s 2.78 MB sample,
/// 3.0 M of them in mimalloc's path for memory of another thread.
pub fn for_each<I, T, E>(
    items: &[I],
    window: usize,
    work: impl Fn(&I) -> T + Sync,
    mut sink: impl FnMut(&T) -> Result<(), E>,
) -> Result<(), E>
where
    I: Sync,
    T: Send,
{
    let shared = Shared::new(window.max(1), items.len());
    let shared = &shared;
    let work = &work;
    // The workers run on rayon's pool, `sink` on this thread (a caller outside the pool;
    // on one of its threads, waiting for results would take a worker away).
    rayon::in_place_scope(|scope| {
        // Workers take the items in order (`par_bridge` hands out an iterator's items one
        // at a time), waiting at the window's edge.
        scope.spawn(move |_| {
            (0..items.len())
                .take_while(|&i| shared.admit(i))
                .par_bridge()
                .for_each(|i| {
                    let done = panic::catch_unwind(AssertUnwindSafe(|| work(&items[i])));
                    shared.finish(i, done);
                });
        });
        // However this ends (`sink` failed, a panic), the workers must not wait for it.
        let _close = CloseOnDrop(shared);
        let mut ready = Vec::new();
        while shared.take_ready(&mut ready) {
            for done in ready.drain(..) {
                let done = done.unwrap_or_else(|panic| panic::resume_unwind(panic));
                sink(&done)?;
                shared.advance(done);
            }
        }
        Ok(())
    })
}

/// The window, and the results waiting to be sunk.
struct Shared<T> {
    /// How many items may be admitted and not yet sunk.
    limit: usize,
    /// How many results ready in order are worth waking the sink for.
    batch: usize,
    /// How many items there are.
    len: usize,
    state: Mutex<State<T>>,
    /// Workers wait on it at the window's edge.
    moved: Condvar,
    /// The sink waits on it for results.
    ready: Condvar,
}

struct State<T> {
    /// Items sunk so far: `limit` past it, no item may start.
    sunk: usize,
    /// Items handed to the sink so far: the results from here on are in `done`.
    taken: usize,
    /// Results not yet handed to the sink, by item.
    done: BTreeMap<usize, thread::Result<T>>,
    /// No item may start any more.
    closed: bool,
    /// Workers waiting at the window's edge.
    waiting: usize,
    /// The sink is waiting for results.
    sink_waiting: bool,
    /// Results sunk, for the next worker that finishes an item to drop.
    spent: Vec<T>,
}

impl<T> Shared<T> {
    fn new(limit: usize, len: usize) -> Shared<T> {
        Shared {
            limit,
            batch: limit.div_ceil(2),
            len,
            state: Mutex::new(State {
                sunk: 0,
                taken: 0,
                done: BTreeMap::new(),
                closed: false,
                waiting: 0,
                sink_waiting: false,
                spent: Vec::new(),
            }),
            moved: Condvar::new(),
            ready: Condvar::new(),
        }
    }

    fn state(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until item `i` may start: `true`, or `false` once the window is closed.
    fn admit(&self, i: usize) -> bool {
        let mut s = self.state();
        while !s.closed && i >= s.sunk + self.limit {
            s.waiting += 1;
            // The window moves only when the sink sinks what is ready.
            self.wake_sink(&s);
            s = self.moved.wait(s).unwrap_or_else(PoisonError::into_inner);
            s.waiting -= 1;
        }
        !s.closed
    }

    /// Item `i` is done. The results sunk meanwhile are dropped here, once the lock is
    /// released.
    fn finish(&self, i: usize, done: thread::Result<T>) {
        let mut s = self.state();
        s.done.insert(i, done);
        self.wake_sink(&s);
        let spent = std::mem::take(&mut s.spent);
        drop(s);
        drop(spent);
    }

    /// Wakes the sink if it waits and should not wait any longer.
    fn wake_sink(&self, s: &State<T>) {
        if s.sink_waiting && self.worth_taking(s) {
            self.ready.notify_one();
        }
    }

    /// Whether the sink should take what is ready: the next result is, and so are enough
    /// after it, or a worker waits for the window to move, or every item is done.
    fn worth_taking(&self, s: &State<T>) -> bool {
        if !s.done.contains_key(&s.taken) {
            return false;
        }
        let in_order = (s.taken..s.taken + self.batch)
            .take_while(|i| s.done.contains_key(i))
            .count();
        in_order == self.batch || s.waiting > 0 || s.taken + s.done.len() == self.len
    }

    /// Waits for results to sink and moves those ready in order to `out`: `false` when
    /// every item has been taken.
    fn take_ready(&self, out: &mut Vec<thread::Result<T>>) -> bool {
        let mut s = self.state();
        loop {
            if s.taken == self.len {
                return false;
            }
            if self.worth_taking(&s) {
                break;
            }
            s.sink_waiting = true;
            s = self.ready.wait(s).unwrap_or_else(PoisonError::into_inner);
            s.sink_waiting = false;
        }
        let s = &mut *s;
        while let Some(done) = s.done.remove(&s.taken) {
            out.push(done);
            s.taken += 1;
        }
        true
    }

    /// One more item sunk: its result, for a worker to drop.
    fn advance(&self, spent: T) {
        let mut s = self.state();
        s.sunk += 1;
        s.spent.push(spent);
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

struct CloseOnDrop<'a, T>(&'a Shared<T>);

impl<T> Drop for CloseOnDrop<'_, T> {
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
            |&r| {
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
            |&i| if i == 10 { Err(i) } else { Ok(()) },
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
                |_| Ok::<_, ()>(()),
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
    fn every_window_size_finishes_whatever_the_timing() {
        // Results are handed over in batches of half a window: a batch that never fills
        // (a slow item, the last items) must still reach the sink.
        for window in 1..=6 {
            for slow in [0, 1, 7, 19] {
                let items: Vec<u64> = (0..20).collect();
                let mut seen = Vec::new();
                for_each(
                    &items,
                    window,
                    |&i| {
                        if i == slow {
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        i
                    },
                    |&r| {
                        seen.push(r);
                        Ok::<_, ()>(())
                    },
                )
                .unwrap();
                assert_eq!(seen, items, "window {window}, slow item {slow}");
            }
        }
    }

    /// A result sunk is dropped by a worker, but for the last window's, which no item after
    /// them is left to drop.
    #[test]
    fn results_are_dropped_on_the_workers() {
        struct Noted<'a>(&'a AtomicUsize);
        impl Drop for Noted<'_> {
            fn drop(&mut self) {
                if rayon::current_thread_index().is_none() {
                    self.0.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        let here = AtomicUsize::new(0);
        let items: Vec<usize> = (0..300).collect();
        for_each(&items, 4, |_| Noted(&here), |_| Ok::<_, ()>(())).unwrap();
        let here = here.load(Ordering::SeqCst);
        assert!(here <= 4, "{here} results dropped on the sink's thread");
    }

    #[test]
    fn no_items() {
        let items: [u8; 0] = [];
        for_each(&items, 4, |_| (), |_| Err::<(), _>("never called")).unwrap();
    }
}
