//! Login throttling: failures are counted per account and per network
//! address over a sliding window; counters live in the database so every
//! app process sees the same numbers.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window_seconds: i64,
    pub max_failures_per_account: i64,
    pub max_failures_per_address: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            window_seconds: 15 * 60,
            max_failures_per_account: 5,
            max_failures_per_address: 20,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleVerdict {
    Allowed,
    Blocked,
}

impl ThrottlePolicy {
    /// Decides from the failures counted in the current window.
    pub fn verdict(&self, account_failures: i64, address_failures: i64) -> ThrottleVerdict {
        if account_failures >= self.max_failures_per_account || address_failures >= self.max_failures_per_address {
            ThrottleVerdict::Blocked
        } else {
            ThrottleVerdict::Allowed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_on_either_counter() {
        let p = ThrottlePolicy::default();
        assert_eq!(p.verdict(4, 19), ThrottleVerdict::Allowed);
        assert_eq!(p.verdict(5, 0), ThrottleVerdict::Blocked);
        assert_eq!(p.verdict(0, 20), ThrottleVerdict::Blocked);
    }
}
