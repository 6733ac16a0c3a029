//! Password and passphrase hashing (Argon2id, 19 MiB of memory each) off
//! the async workers, at most one per core at a time. Unbounded, a burst of
//! public signalements started one blocking thread and one 19 MiB block per
//! request, which the allocator then kept: the soak test saw the server grow
//! from 140 MiB to 1.7 GiB (docs/PERFORMANCE.md). More hashes at once than
//! cores would not finish sooner anyway; the others wait for a permit.

use std::sync::OnceLock;
use tokio::sync::Semaphore;
use tokio::task::JoinError;

fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(1, usize::from)))
}

/// Runs `work` on the blocking pool as soon as a permit is free.
pub async fn spawn<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, JoinError> {
    // The semaphore is never closed: the permit is always granted, and held until the work ends.
    let _permit = permits().acquire().await;
    tokio::task::spawn_blocking(work).await
}

#[cfg(test)]
mod tests {
    use super::spawn;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_hashes_run_at_once_than_cores() {
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let tasks: Vec<_> = (0..4 * cores + 4)
            .map(|_| {
                tokio::spawn(spawn(|| {
                    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                    MOST.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    RUNNING.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let most = MOST.load(Ordering::SeqCst);
        assert!((1..=cores).contains(&most), "{most} hashes at once on {cores} cores");
    }
}
