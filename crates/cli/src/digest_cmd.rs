//! The daily digest: sent by `relais digest send`, or by every `relais
//! serve` process once the configured hour has passed — the database claim
//! makes sure only one of them sends each day's digest.

use relais_domain::casework::deadline::Targets;
use relais_web::AppState;
use relais_web::digest::{self, MailSettings, Outcome};
use std::time::Duration;

/// How often a serving process checks whether today's digest is due.
const CHECK_EVERY: Duration = Duration::from_secs(15 * 60);

/// Runs today's digest now and says what happened.
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn send(state: &AppState, mail: &MailSettings) -> anyhow::Result<()> {
    match digest::run(state, mail, &Targets::default()).await? {
        Outcome::AlreadyDone => println!("today's digest was already sent"),
        Outcome::Sent { emails, items } => println!("digest sent: {emails} e-mail(s), {items} item(s) due"),
    }
    Ok(())
}

/// Checks every quarter of an hour, from `hour_utc` on, whether today's digest is due.
pub fn spawn_daily(state: AppState, mail: MailSettings, hour_utc: i64) {
    tokio::spawn(async move {
        loop {
            let now = state.clock.now().0;
            if now.rem_euclid(86_400) / 3600 >= hour_utc {
                match digest::run(&state, &mail, &Targets::default()).await {
                    Ok(Outcome::Sent { emails, items }) => tracing::info!(emails, items, "daily digest sent"),
                    Ok(Outcome::AlreadyDone) => {}
                    // The claim is taken: the error is logged for operators (no personal data in it).
                    Err(error) => tracing::error!(%error, "daily digest failed"),
                }
            }
            tokio::time::sleep(CHECK_EVERY).await;
        }
    });
}
