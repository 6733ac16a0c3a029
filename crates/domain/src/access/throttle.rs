//! Login throttling without lockouts (ADR 0015). Failures are counted per
//! subject — an account tried from browsers it does not trust, a network
//! address, one device cookie — and past a number of free failures every
//! further attempt of that subject waits a delay that doubles with each
//! failure, up to a cap. Nothing locks: a browser holding the device cookie
//! of an earlier sign-in (OWASP "device cookies") is judged by its own
//! failures only, so an attacker elsewhere cannot keep the owner out.
//! Counters live in the database; this is the policy, time a parameter.

use crate::time::Timestamp;

/// What failures are counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// An account, from browsers without its device cookie.
    Account,
    /// A network address, whatever the account.
    Address,
    /// One browser's device cookie for one account.
    Device,
}

impl Subject {
    /// The subjects an attempt is judged and counted by: a trusted device
    /// only by itself, any other browser by the account and the address.
    pub fn counted(trusted_device: bool) -> &'static [Self] {
        if trusted_device {
            &[Self::Device]
        } else {
            &[Self::Account, Self::Address]
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures of an account from untrusted browsers before delays start.
    pub free_account_failures: i64,
    /// Failures from one address (many accounts: password spraying).
    pub free_address_failures: i64,
    /// Failures of one device cookie.
    pub free_device_failures: i64,
    /// The wait after the last free failure; it doubles with each failure.
    pub first_delay_seconds: i64,
    pub max_delay_seconds: i64,
    /// A subject without failure for this long starts again from zero.
    pub forget_after_seconds: i64,
    /// How long a device cookie is trusted after the sign-in that gave it.
    pub device_trust_seconds: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            free_account_failures: 5,
            free_address_failures: 20,
            free_device_failures: 5,
            first_delay_seconds: 30,
            max_delay_seconds: 15 * 60,
            forget_after_seconds: 24 * 3600,
            device_trust_seconds: 180 * 24 * 3600,
        }
    }
}

/// A subject's failures as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub last_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Refused: try again in this many seconds.
    Wait {
        seconds: i64,
    },
}

impl Verdict {
    /// The longer wait of two verdicts.
    pub fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::Wait { seconds: a }, Self::Wait { seconds: b }) => Self::Wait { seconds: a.max(b) },
            (wait @ Self::Wait { .. }, Self::Allowed) | (Self::Allowed, wait @ Self::Wait { .. }) => wait,
            (Self::Allowed, Self::Allowed) => Self::Allowed,
        }
    }

    /// Whole minutes to tell the user, at least one.
    pub fn minutes(self) -> i64 {
        match self {
            Self::Allowed => 0,
            Self::Wait { seconds } => ((seconds + 59) / 60).max(1),
        }
    }
}

impl ThrottlePolicy {
    fn free(&self, subject: Subject) -> i64 {
        match subject {
            Subject::Account => self.free_account_failures,
            Subject::Address => self.free_address_failures,
            Subject::Device => self.free_device_failures,
        }
    }

    /// Failures still counted at `now`: none once forgotten.
    pub fn live(&self, failures: Option<Failures>, now: Timestamp) -> Option<Failures> {
        failures.filter(|f| now.seconds_since(f.last_at) < self.forget_after_seconds)
    }

    /// Whether `subject` is in the delayed regime after `count` failures.
    pub fn is_delayed(&self, subject: Subject, count: i64) -> bool {
        count >= self.free(subject)
    }

    /// The wait after `count` failures of `subject`: none while free, then
    /// the first delay, doubling with each failure, capped.
    pub fn delay(&self, subject: Subject, count: i64) -> i64 {
        let excess = count - self.free(subject);
        if excess < 0 {
            return 0;
        }
        let doublings = u32::try_from(excess.min(62)).unwrap_or(62);
        self.first_delay_seconds
            .saturating_mul(2_i64.saturating_pow(doublings))
            .min(self.max_delay_seconds)
    }

    /// Whether `subject`, with these failures, may try at `now`.
    pub fn verdict(&self, subject: Subject, failures: Option<Failures>, now: Timestamp) -> Verdict {
        let Some(f) = self.live(failures, now) else {
            return Verdict::Allowed;
        };
        let ready_at = f.last_at.0.saturating_add(self.delay(subject, f.count));
        if now.0 >= ready_at {
            Verdict::Allowed
        } else {
            Verdict::Wait {
                seconds: ready_at - now.0,
            }
        }
    }

    /// Whether a device cookie issued at `issued_at` is still trusted.
    pub fn device_trusted(&self, issued_at: Timestamp, now: Timestamp) -> bool {
        let age = now.seconds_since(issued_at);
        (0..self.device_trust_seconds).contains(&age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Timestamp = Timestamp(1_000_000);

    fn failed(count: i64, at: Timestamp) -> Option<Failures> {
        Some(Failures { count, last_at: at })
    }

    #[test]
    fn free_failures_then_doubling_delays_up_to_the_cap() {
        let p = ThrottlePolicy::default();
        let delays: Vec<i64> = (0..12).map(|n| p.delay(Subject::Account, n)).collect();
        assert_eq!(delays, [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]);
        assert_eq!(p.delay(Subject::Address, 19), 0);
        assert_eq!(p.delay(Subject::Address, 20), 30);
        assert_eq!(p.delay(Subject::Device, i64::MAX), 900, "no overflow");
    }

    #[test]
    fn the_next_attempt_waits_for_the_delay_then_is_allowed() {
        let p = ThrottlePolicy::default();
        assert_eq!(p.verdict(Subject::Account, None, T), Verdict::Allowed);
        assert_eq!(p.verdict(Subject::Account, failed(4, T), T), Verdict::Allowed);
        assert_eq!(
            p.verdict(Subject::Account, failed(5, T), T.plus_seconds(10)),
            Verdict::Wait { seconds: 20 }
        );
        assert_eq!(
            p.verdict(Subject::Account, failed(5, T), T.plus_seconds(30)),
            Verdict::Allowed
        );
        assert_eq!(
            p.verdict(Subject::Account, failed(7, T), T.plus_seconds(30)),
            Verdict::Wait { seconds: 90 }
        );
    }

    #[test]
    fn failures_are_forgotten_after_a_quiet_day() {
        let p = ThrottlePolicy::default();
        let day = p.forget_after_seconds;
        assert!(p.live(failed(50, T), T.plus_seconds(day - 1)).is_some());
        assert_eq!(p.live(failed(50, T), T.plus_seconds(day)), None);
    }

    #[test]
    fn a_trusted_device_is_judged_by_its_own_failures_only() {
        assert_eq!(Subject::counted(true), [Subject::Device]);
        assert_eq!(Subject::counted(false), [Subject::Account, Subject::Address]);
    }

    #[test]
    fn the_longest_wait_wins_and_is_told_in_minutes() {
        let wait = |seconds| Verdict::Wait { seconds };
        assert_eq!(Verdict::Allowed.and(wait(5)), wait(5));
        assert_eq!(wait(90).and(wait(5)), wait(90));
        assert_eq!(Verdict::Allowed.and(Verdict::Allowed), Verdict::Allowed);
        assert_eq!(wait(1).minutes(), 1);
        assert_eq!(wait(60).minutes(), 1);
        assert_eq!(wait(61).minutes(), 2);
    }

    #[test]
    fn device_cookies_are_trusted_for_a_limited_time() {
        let p = ThrottlePolicy::default();
        assert!(p.device_trusted(T, T));
        assert!(!p.device_trusted(T, T.plus_seconds(p.device_trust_seconds)));
        assert!(!p.device_trusted(T.plus_seconds(10), T), "not from the future");
    }
}
