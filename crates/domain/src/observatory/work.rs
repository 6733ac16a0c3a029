//! Work an analyst queues that a serving process does (*travaux de l'observatoire*): the linkage
//! runs and the estimates with the methods side by side. Either waits in the database until a
//! serving process claims it; the process reports its progress as it goes, and work whose
//! process stopped giving signs of life is taken up by another (ADR 0053).

use crate::time::Timestamp;
use strum::EnumCount;

/// A running run without a sign of life for this long was left by a process that stopped.
pub const ABANDONED_AFTER_SECONDS: i64 = 120;

/// Where a run of work stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum RunState {
    /// Waiting for a process.
    Queued,
    /// A process is doing it.
    Running,
    /// Its outcome is stored.
    Done,
    /// It stopped on an error, said in words.
    Failed,
}

/// What happens to a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A process takes it.
    Claim,
    /// The process that had it stopped giving signs of life; another takes it.
    TakeOver,
    Finish,
    Fail,
}

/// The transition table: every move a run can make.
const TRANSITIONS: [(RunState, Event, RunState); 4] = [
    (RunState::Queued, Event::Claim, RunState::Running),
    (RunState::Running, Event::TakeOver, RunState::Running),
    (RunState::Running, Event::Finish, RunState::Done),
    (RunState::Running, Event::Fail, RunState::Failed),
];

impl RunState {
    pub const ALL: [Self; Self::COUNT] = [Self::Queued, Self::Running, Self::Done, Self::Failed];

    /// The stored value and the key of its label.
    pub fn key(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Where `event` leads from here, if it may happen.
    pub fn after(self, event: Event) -> Option<Self> {
        TRANSITIONS
            .iter()
            .find(|(from, e, _)| *from == self && *e == event)
            .map(|(_, _, to)| *to)
    }

    /// Whether the run is over (its page stops asking for progress).
    pub fn is_over(self) -> bool {
        matches!(self, Self::Done | Self::Failed)
    }
}

/// Whether a running run whose last sign of life was at `heartbeat` may be taken over `now`.
pub fn abandoned(heartbeat: Timestamp, now: Timestamp) -> bool {
    now.0 - heartbeat.0 >= ABANDONED_AFTER_SECONDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_moves_by_its_table_and_a_silent_process_is_taken_over() {
        assert_eq!(RunState::Queued.after(Event::Claim), Some(RunState::Running));
        assert_eq!(RunState::Running.after(Event::TakeOver), Some(RunState::Running));
        assert_eq!(RunState::Running.after(Event::Finish), Some(RunState::Done));
        assert_eq!(RunState::Done.after(Event::Claim), None);
        assert_eq!(RunState::Queued.after(Event::Finish), None);
        for state in RunState::ALL {
            assert_eq!(RunState::parse(state.key()), Some(state));
        }
        assert!(!abandoned(
            Timestamp(1000),
            Timestamp(1000 + ABANDONED_AFTER_SECONDS - 1)
        ));
        assert!(abandoned(Timestamp(1000), Timestamp(1000 + ABANDONED_AFTER_SECONDS)));
    }
}
