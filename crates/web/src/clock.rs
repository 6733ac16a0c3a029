//! The only place the web front reads the time. Tests and demonstrations can
//! replace it with a clock they move by hand.

use relais_domain::time::Timestamp;
#[cfg(feature = "test-clock")]
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone, Debug)]
pub enum Clock {
    System,
    Manual(Arc<AtomicI64>),
    /// The system time shifted by the number of seconds written in a file,
    /// re-read at every call. Only for end-to-end tests that must live
    /// through a deadline (configuration key `test_clock_file`): a separate
    /// process moves every app process's time at once by writing the file.
    /// Exists only in a build with the `test-clock` feature (ADR 0015): in
    /// production, whoever can write a file must not move the time.
    #[cfg(feature = "test-clock")]
    OffsetFile(Arc<PathBuf>),
}

// The one sanctioned reading of the system clock (clippy.toml forbids it elsewhere).
#[allow(clippy::disallowed_methods)]
fn system_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Clock {
    pub fn manual(start: Timestamp) -> Self {
        Self::Manual(Arc::new(AtomicI64::new(start.0)))
    }

    pub fn now(&self) -> Timestamp {
        match self {
            Self::System => Timestamp(system_seconds()),
            Self::Manual(at) => Timestamp(at.load(Ordering::SeqCst)),
            #[cfg(feature = "test-clock")]
            Self::OffsetFile(path) => {
                // A missing or unreadable file means no offset: the clock
                // never stops because a test has not written it yet.
                let offset = std::fs::read_to_string(path.as_ref())
                    .ok()
                    .and_then(|text| text.trim().parse::<i64>().ok())
                    .unwrap_or(0);
                Timestamp(system_seconds().saturating_add(offset))
            }
        }
    }

    /// Moves a manual clock forward; does nothing to the other clocks.
    pub fn advance(&self, seconds: i64) {
        if let Self::Manual(at) = self {
            at.fetch_add(seconds, Ordering::SeqCst);
        }
    }
}

#[cfg(all(test, feature = "test-clock"))]
mod tests {
    use super::*;

    #[test]
    fn offset_file_shifts_the_system_time() {
        let dir = std::env::temp_dir().join(format!("relais-clock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("offset");
        let clock = Clock::OffsetFile(Arc::new(path.clone()));
        let before = Clock::System.now().0;
        assert!((clock.now().0 - before).abs() < 5, "no file: no offset");
        std::fs::write(&path, "2678400\n").unwrap();
        let shifted = clock.now().0 - Clock::System.now().0;
        assert!((shifted - 2_678_400).abs() < 5, "31 days ahead, got {shifted}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
