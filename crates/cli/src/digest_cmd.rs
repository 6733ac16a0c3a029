//! `relais digest send`: today's digest, now. Serving processes send it on
//! their own from the configured hour (`relais_web::jobs`); the claim in the
//! database makes sure a day's digest is sent once, whoever sends it.

use relais_domain::casework::deadline::Targets;
use relais_domain::jobs::AfterFailure;
use relais_web::AppState;
use relais_web::jobs::digest::{self, MailSettings, Outcome};

/// Runs today's digest now and says what happened.
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn send(state: &AppState, mail: &MailSettings) -> anyhow::Result<()> {
    match digest::run(state, mail, &Targets::default()).await? {
        Outcome::AlreadyDone => println!("today's digest was already sent"),
        Outcome::Sent { emails, items } => println!("digest sent: {emails} e-mail(s), {items} item(s) due"),
        Outcome::RetryLater { at } => println!("today's digest failed; its next attempt is due at {}", at.0),
        Outcome::Abandoned => println!("today's digest failed every allowed attempt"),
        Outcome::Failed { attempt, next, reason } => {
            let then = match next {
                AfterFailure::RetryAt(at) => format!("next attempt at {}", at.0),
                AfterFailure::GiveUp => "no attempt left".to_owned(),
            };
            anyhow::bail!("attempt {attempt} of today's digest failed ({reason}); {then}");
        }
    }
    Ok(())
}
