//! When a scheduled run (the day's digest, an hour's session purge, the
//! day's retention run) may be attempted again: a run that failed is retried
//! after a growing delay, a fixed number of times; a run that succeeded is
//! never run again. Time is a parameter; the store keeps the state.

use crate::time::Timestamp;

/// Where one run stands, as recorded in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// A process claimed the run at `claimed_at` and has not reported yet.
    Running { claimed_at: Timestamp },
    /// The run succeeded: it is never attempted again.
    Done,
    /// The last attempt failed; the next one may start at `next_attempt_at`.
    Failed { next_attempt_at: Timestamp },
    /// Every allowed attempt failed: operators are told, nothing retries.
    Abandoned,
}

impl RunState {
    /// The word stored in `job_runs.state`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Running { .. } => "running",
            Self::Done => "done",
            Self::Failed { .. } => "failed",
            Self::Abandoned => "abandoned",
        }
    }

    /// Rebuilds the state from the stored columns; `None` for a word this
    /// version does not know or a failed run without its next attempt.
    pub fn from_columns(key: &str, claimed_at: Timestamp, next_attempt_at: Option<Timestamp>) -> Option<Self> {
        match (key, next_attempt_at) {
            ("running", _) => Some(Self::Running { claimed_at }),
            ("done", _) => Some(Self::Done),
            ("failed", Some(next_attempt_at)) => Some(Self::Failed { next_attempt_at }),
            ("abandoned", _) => Some(Self::Abandoned),
            _ => None,
        }
    }
}

/// What follows a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(Timestamp),
    GiveUp,
}

/// How often and how late a failed run is attempted again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Delay before the second, third… attempt; the last delay repeats.
    pub backoff_seconds: &'static [i64],
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// A run still marked running this long after its claim is taken to
    /// have died with its process (a crash, a restart) and may be claimed again.
    pub lease_seconds: i64,
}

impl RetryPolicy {
    /// 5 minutes, 15 minutes, then every hour, six attempts in all: a relay
    /// down for a few hours delays the day's digest, it does not lose it.
    pub const STANDARD: Self = Self {
        backoff_seconds: &[5 * 60, 15 * 60, 60 * 60],
        max_attempts: 6,
        lease_seconds: 60 * 60,
    };

    /// What follows the failure of attempt number `attempt` (1 for the first) at `now`.
    pub fn after_failure(&self, attempt: u32, now: Timestamp) -> AfterFailure {
        if attempt >= self.max_attempts {
            return AfterFailure::GiveUp;
        }
        let index = usize::try_from(attempt.saturating_sub(1)).unwrap_or(usize::MAX);
        match self.backoff_seconds.get(index).or_else(|| self.backoff_seconds.last()) {
            Some(delay) => AfterFailure::RetryAt(now.plus_seconds(*delay)),
            None => AfterFailure::GiveUp,
        }
    }

    /// Whether a run in `state` may be claimed (again) at `now`.
    pub fn is_due(&self, state: RunState, now: Timestamp) -> bool {
        match state {
            RunState::Running { claimed_at } => now.seconds_since(claimed_at) >= self.lease_seconds,
            RunState::Failed { next_attempt_at } => now >= next_attempt_at,
            RunState::Done | RunState::Abandoned => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_800_000_000);
    const POLICY: RetryPolicy = RetryPolicy::STANDARD;

    #[test]
    fn the_delay_grows_then_repeats_its_last_step_until_the_attempts_run_out() {
        let delays: Vec<_> = (1..=7)
            .map(|attempt| match POLICY.after_failure(attempt, NOW) {
                AfterFailure::RetryAt(at) => Some(at.seconds_since(NOW)),
                AfterFailure::GiveUp => None,
            })
            .collect();
        assert_eq!(
            delays,
            vec![Some(300), Some(900), Some(3600), Some(3600), Some(3600), None, None]
        );
    }

    #[test]
    fn a_policy_without_delays_gives_up_at_once() {
        let never = RetryPolicy {
            backoff_seconds: &[],
            max_attempts: 3,
            lease_seconds: 60,
        };
        assert_eq!(never.after_failure(1, NOW), AfterFailure::GiveUp);
    }

    #[test]
    fn a_failed_run_is_due_from_its_next_attempt_on() {
        let failed = RunState::Failed {
            next_attempt_at: NOW.plus_seconds(300),
        };
        assert!(!POLICY.is_due(failed, NOW));
        assert!(!POLICY.is_due(failed, NOW.plus_seconds(299)));
        assert!(POLICY.is_due(failed, NOW.plus_seconds(300)));
        assert!(POLICY.is_due(failed, NOW.plus_seconds(86_400)));
    }

    #[test]
    fn a_success_or_an_abandoned_run_is_never_due() {
        for state in [RunState::Done, RunState::Abandoned] {
            assert!(!POLICY.is_due(state, NOW));
            assert!(!POLICY.is_due(state, NOW.plus_seconds(365 * 86_400)));
        }
    }

    #[test]
    fn a_run_left_running_is_due_once_its_lease_has_passed() {
        let running = RunState::Running { claimed_at: NOW };
        assert!(!POLICY.is_due(running, NOW.plus_seconds(POLICY.lease_seconds - 1)));
        assert!(POLICY.is_due(running, NOW.plus_seconds(POLICY.lease_seconds)));
    }

    #[test]
    fn states_round_trip_through_their_columns() {
        let states = [
            RunState::Running { claimed_at: NOW },
            RunState::Done,
            RunState::Failed {
                next_attempt_at: NOW.plus_seconds(60),
            },
            RunState::Abandoned,
        ];
        for state in states {
            let next = match state {
                RunState::Failed { next_attempt_at } => Some(next_attempt_at),
                _ => None,
            };
            assert_eq!(RunState::from_columns(state.key(), NOW, next), Some(state));
        }
        assert_eq!(RunState::from_columns("failed", NOW, None), None);
        assert_eq!(RunState::from_columns("paused", NOW, None), None);
    }
}
