//! Work on numbered items spread over `jobs` threads, with the results handed back in item
//! order and a bounded number of items in flight: what lets `gen`, `diff` and the soak use every
//! core, print exactly what a one-job run prints, and keep memory flat however many items run.
//!
//! Items are taken in windows of [`WINDOW_PER_JOB`] × `jobs`: the threads produce a window's
//! results (each thread taking the next item not yet taken), then the caller consumes them in
//! order, then the next window starts. Only one window's results are ever held. With one job
//! nothing is spawned: each item is produced and consumed in turn.
//!
//! This module knows nothing of cases or oracles.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Items per job in one window.
pub const WINDOW_PER_JOB: usize = 32;

/// Produces an item for every index of `indices` with `produce` on `jobs` threads, and hands
/// each result to `consume` in the order of `indices`. `consume` may stop the run
/// (`ControlFlow::Break`), whose value is then returned; items already produced past that point
/// are dropped unconsumed.
pub fn for_each_ordered<T, B>(
    indices: impl Iterator<Item = usize>,
    jobs: usize,
    produce: impl Fn(usize) -> T + Sync,
    mut consume: impl FnMut(usize, T) -> ControlFlow<B>,
) -> Option<B>
where
    T: Send,
{
    let jobs = jobs.max(1);
    let mut indices = indices.peekable();
    if jobs == 1 {
        for i in indices {
            if let ControlFlow::Break(b) = consume(i, produce(i)) {
                return Some(b);
            }
        }
        return None;
    }
    let window = WINDOW_PER_JOB * jobs;
    while indices.peek().is_some() {
        let taken: Vec<usize> = indices.by_ref().take(window).collect();
        let slots: Vec<Mutex<Option<T>>> = taken.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..jobs.min(taken.len()) {
                scope.spawn(|| loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = taken.get(k) else { break };
                    let result = produce(i);
                    *lock(&slots[k]) = Some(result);
                });
            }
        });
        for (i, slot) in taken.into_iter().zip(slots) {
            let result = match slot.into_inner() {
                Ok(r) => r,
                Err(poisoned) => poisoned.into_inner(),
            };
            // A slot is empty only if `produce` panicked, and then the scope above has already
            // propagated the panic.
            let Some(result) = result else { continue };
            if let ControlFlow::Break(b) = consume(i, result) {
                return Some(b);
            }
        }
    }
    None
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_whatever_the_jobs() {
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            let stopped = for_each_ordered(
                (0..500).filter(|i| i % 3 != 1),
                jobs,
                |i| i * 10,
                |i, r| {
                    seen.push((i, r));
                    ControlFlow::<()>::Continue(())
                },
            );
            assert_eq!(stopped, None);
            let expected: Vec<(usize, usize)> = (0..500)
                .filter(|i| i % 3 != 1)
                .map(|i| (i, i * 10))
                .collect();
            assert_eq!(seen, expected, "jobs {jobs}");
        }
    }

    #[test]
    fn a_break_stops_the_run_and_returns_its_value() {
        for jobs in [1, 4] {
            let mut consumed = 0;
            let stopped = for_each_ordered(
                0..,
                jobs,
                |i| i,
                |i, _| {
                    consumed += 1;
                    if i == 100 {
                        ControlFlow::Break("stopped at 100")
                    } else {
                        ControlFlow::Continue(())
                    }
                },
            );
            assert_eq!(stopped, Some("stopped at 100"));
            assert_eq!(consumed, 101);
        }
    }

    #[test]
    fn at_most_one_window_is_produced_ahead_of_the_consumer() {
        let produced = AtomicUsize::new(0);
        let jobs = 4;
        for_each_ordered(
            0..10_000,
            jobs,
            |i| {
                produced.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i, _| {
                let ahead = produced.load(Ordering::SeqCst) - i;
                assert!(ahead <= WINDOW_PER_JOB * jobs, "{ahead} produced ahead");
                ControlFlow::<()>::Continue(())
            },
        );
        assert_eq!(produced.load(Ordering::SeqCst), 10_000);
    }
}
