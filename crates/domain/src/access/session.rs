//! Session lifetime policy: an idle timeout and an absolute one.

use crate::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_seconds: i64,
    pub absolute_seconds: i64,
}

impl Default for SessionPolicy {
    /// 30 minutes idle, 12 hours at most: a working day, not longer.
    fn default() -> Self {
        Self {
            idle_seconds: 30 * 60,
            absolute_seconds: 12 * 3600,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Active,
    IdleExpired,
    AbsoluteExpired,
}

impl SessionPolicy {
    pub fn status(&self, now: Timestamp, created_at: Timestamp, last_seen_at: Timestamp) -> SessionStatus {
        if now.seconds_since(created_at) > self.absolute_seconds {
            SessionStatus::AbsoluteExpired
        } else if now.seconds_since(last_seen_at) > self.idle_seconds {
            SessionStatus::IdleExpired
        } else {
            SessionStatus::Active
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_then_absolute() {
        let p = SessionPolicy {
            idle_seconds: 10,
            absolute_seconds: 100,
        };
        assert_eq!(
            p.status(Timestamp(10), Timestamp(0), Timestamp(5)),
            SessionStatus::Active
        );
        assert_eq!(
            p.status(Timestamp(16), Timestamp(0), Timestamp(5)),
            SessionStatus::IdleExpired
        );
        assert_eq!(
            p.status(Timestamp(101), Timestamp(0), Timestamp(100)),
            SessionStatus::AbsoluteExpired
        );
    }
}
