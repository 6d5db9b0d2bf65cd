//! Cost control on the client side: a minimum interval between calls (the rate limit) and a
//! hard budget of calls per run (`--max-calls`). The SDK's own retry with backoff handles
//! throttling inside one call.

use std::time::{Duration, Instant};

/// The rate limit and the budget.
#[derive(Debug, Clone)]
pub struct Limits {
    interval: Duration,
    last: Option<Instant>,
    budget: Option<usize>,
    spent: usize,
}

impl Limits {
    /// At most one call per `interval`; at most `budget` calls (`None`: no cap).
    pub fn new(interval: Duration, budget: Option<usize>) -> Limits {
        Limits {
            interval,
            last: None,
            budget,
            spent: 0,
        }
    }

    /// Calls made so far.
    pub fn spent(&self) -> usize {
        self.spent
    }

    /// The budget, if any.
    pub fn budget(&self) -> Option<usize> {
        self.budget
    }

    /// True when another call is within budget.
    pub fn can_call(&self) -> bool {
        self.budget.is_none_or(|b| self.spent < b)
    }

    /// Counts calls made beyond the one [`Limits::take`] counted (further pages of one call).
    pub fn add(&mut self, calls: usize) {
        self.spent += calls;
    }

    /// Waits until the next call may start, and counts it. Returns false (without waiting)
    /// when the budget is spent.
    pub fn take(&mut self) -> bool {
        if !self.can_call() {
            return false;
        }
        if let Some(last) = self.last {
            let next = last + self.interval;
            let now = Instant::now();
            if next > now {
                std::thread::sleep(next - now);
            }
        }
        self.last = Some(Instant::now());
        self.spent += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_hard() {
        let mut l = Limits::new(Duration::ZERO, Some(2));
        assert!(l.take() && l.take());
        assert!(!l.take());
        assert_eq!(l.spent(), 2);
        let mut free = Limits::new(Duration::ZERO, None);
        assert!((0..100).all(|_| free.take()));
    }
}
