//! `relais demo generate --cases N` (issue 17, part 1): the demo, then N
//! cases' stories drawn like the demo's two-year history, at national scale,
//! for measuring pages and load on realistic volumes.
//!
//! Everything goes through the store's own functions (encryption, checks,
//! audit rows), as the pages would write it, in transactions of a few hundred
//! stories each: a failure loses one batch, and neither backend holds one
//! huge transaction. The draw is deterministic for a seed (who, where, which
//! path through the workflow, when); identifiers and ciphertexts are random,
//! as they are in production. The stories are written newest first, so that
//! the indexes on times grow at one end, as a database written day after day.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use relais_domain::access::authz::CaseAccess;
use relais_domain::casework::case_file::Sensitivity;
use relais_domain::casework::case_people::{Person, SafeContact};
use relais_domain::casework::onward_referral::Kind;
use relais_domain::casework::sharing::{Basis, Justification};
use relais_domain::casework::{case_access::SharePurpose, sharing::ShareDuration};
use relais_domain::ids::OrganisationId;
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::casework::{case_access, case_file, case_people, onward};
use relais_store::{Actor, Store, Tx};

use crate::demo_history::{self, Opened, Rights, Scale, chance, later, pick, reached};

/// Stories per transaction: large enough that commits (and SQLite's fsync)
/// do not dominate, small enough that a batch is quick to redo.
const BATCH: usize = 250;

/// Referrals per hundred cases opened: the others are rejected or still in triage
/// (1,113,278 for a million cases, 111,309 for 100,000). The arrivals are spread over
/// this many, so that the last case opens about two years back.
const REFERRALS_PER_HUNDRED_CASES: usize = 112;

/// What was generated, for the command's summary.
pub struct Generated {
    pub secrets: Vec<(&'static str, String)>,
    pub referrals: usize,
    pub cases: usize,
    pub seconds: f64,
}

/// Seeds the demo into an empty database, then writes stories until `cases`
/// cases have been opened (referrals rejected or not yet triaged come on top).
pub async fn generate(store: &Store, cases: usize, seed: u64) -> anyhow::Result<Generated> {
    let started = std::time::Instant::now();
    let seeded = crate::demo::seed(store).await?;
    let cast = demo_history::Cast {
        referrer: seeded.principal(crate::demo_referrals::REFERRER)?,
        officer: seeded.principal(crate::demo::OFFICER)?,
        second_officer: seeded.principal(crate::demo::SECOND_OFFICER)?,
    };
    let rights = Rights::of(&cast)?;
    let partner = seeded.principal(crate::demo::SUPPORT_WORKER)?.organisation_id().clone();
    let catalogue = crate::demo_referrals::screening_catalogue(store).await?;
    let catalogue = (crate::demo_referrals::CATALOGUE, catalogue.0);
    let now = relais_web::Clock::System.now();
    let service = {
        let mut tx = store.begin(Actor::system(), "cli-demo-generate", now).await?;
        let services = onward::services(&mut tx).await?;
        drop(tx);
        services.into_iter().next().map(|(id, _)| id).context("demo service")?
    };
    let work = Casework {
        rights: &rights,
        partner,
        service,
    };
    let bar = progress(cases);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut arrivals = demo_history::Arrivals::newest_first(cases.saturating_mul(REFERRALS_PER_HUNDRED_CASES) / 100);
    let (mut referrals, mut opened) = (0, 0);
    while opened < cases {
        let mut tx = store.begin(Actor::system(), "cli-demo-generate", now).await?;
        for _ in 0..BATCH {
            if opened >= cases {
                break;
            }
            let submitted = arrivals.next(&mut rng, now);
            let story = demo_history::story(&mut tx, &rights, &mut rng, submitted, now, catalogue, Scale::National)
                .await
                .context("generated story")?;
            referrals += 1;
            if let Some(case) = story {
                work.add(&mut tx, &mut rng, &case, now)
                    .await
                    .context("generated casework")?;
                demo_history::identification(&mut tx, &rights, &mut rng, &case.case, case.at, now)
                    .await
                    .context("generated decisions")?;
                opened += 1;
                bar.inc(1);
            }
        }
        tx.set_clock(now);
        tx.commit().await?;
    }
    bar.finish_and_clear();
    store.after_bulk_load().await?;
    Ok(Generated {
        secrets: seeded.secrets,
        referrals,
        cases: opened,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn progress(cases: usize) -> ProgressBar {
    let bar = ProgressBar::new(u64::try_from(cases).unwrap_or(u64::MAX));
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} cases, {per_sec}, {eta} left") {
        bar.set_style(style);
    }
    bar
}

/// The work around a case besides its decisions: the person's record with
/// aliases, notes, tasks, a share with the association, an onward referral.
struct Casework<'a> {
    rights: &'a Rights,
    partner: OrganisationId,
    service: String,
}

impl Casework<'_> {
    async fn add(&self, tx: &mut Tx, rng: &mut ChaCha8Rng, case: &Opened, now: Timestamp) -> anyhow::Result<()> {
        let recorded = later(rng, case.at, 1..=7);
        if !reached(tx, recorded, now) {
            return Ok(());
        }
        let access = case_access::open(tx, self.rights.file(), &case.case).await?;
        if chance(rng, 70) {
            case_people::save_person(tx, &access, &person(rng, case)).await?;
        }
        let mut at = recorded;
        for _ in 0..pick(rng, &[(1, 4), (2, 3), (3, 2), (5, 1)]) {
            at = later(rng, at, 1..=30);
            if !reached(tx, at, now) {
                return Ok(());
            }
            note(tx, rng, &access).await?;
        }
        if chance(rng, 50) {
            let due = Date::local(later(rng, at, 7..=21), &Zone::paris());
            case_file::add_task(tx, &access, "Rendez-vous de suivi (fictif)", due).await?;
        }
        if chance(rng, 15) {
            let basis = Justification {
                basis: Basis::Consent,
                override_reason: None,
            };
            let purpose = pick(
                rng,
                &[
                    (SharePurpose::Support, 5),
                    (SharePurpose::Accommodation, 3),
                    (SharePurpose::LegalAid, 2),
                ],
            );
            case_file::share(
                tx,
                self.rights.decide(),
                &case.case,
                &self.partner,
                purpose,
                &basis,
                ShareDuration::Quarter,
            )
            .await?;
        }
        if chance(rng, 10) {
            self.refer_onward(tx, rng, &access, at, now).await?;
        }
        Ok(())
    }

    async fn refer_onward(
        &self,
        tx: &mut Tx,
        rng: &mut ChaCha8Rng,
        access: &CaseAccess,
        after: Timestamp,
        now: Timestamp,
    ) -> anyhow::Result<()> {
        if !reached(tx, later(rng, after, 1..=20), now) {
            return Ok(());
        }
        let consent = Justification {
            basis: Basis::Consent,
            override_reason: None,
        };
        let extras = onward::Extras {
            needs: "Hébergement et accompagnement (fictif).".into(),
            ..onward::Extras::default()
        };
        onward::send(tx, access, Kind::Service, &self.service, &consent, &extras).await?;
        Ok(())
    }
}

/// The person's record as the authority keeps it: the referral's names, one
/// or two aliases the person is also known by.
fn person(rng: &mut ChaCha8Rng, case: &Opened) -> Person {
    let details = &case.details;
    let mut aliases = vec![format!(
        "{} {}",
        details.given_names,
        details.family_name.to_uppercase()
    )];
    if chance(rng, 30) {
        aliases.push(format!("« {} »", details.given_names.chars().rev().collect::<String>()));
    }
    Person {
        family_name: details.family_name.clone(),
        given_names: details.given_names.clone(),
        aliases,
        birth_date: details.birth_date.clone(),
        nationality: details.nationality.clone(),
        languages: details.languages.clone(),
        safe_contact: SafeContact {
            do_not_call: chance(rng, 40),
            safe_times: "En semaine, 10 h – 12 h, à l'accueil de jour (fictif)".into(),
            through_whom: String::new(),
        },
    }
}

const NOTES: [(Sensitivity, &str); 4] = [
    (
        Sensitivity::General,
        "Entretien de suivi, situation stable (note fictive).",
    ),
    (
        Sensitivity::Safety,
        "Menaces signalées par la personne ; hébergement à adapter (note fictive).",
    ),
    (Sensitivity::Legal, "Plainte déposée, audition prévue (note fictive)."),
    (Sensitivity::Health, "Orientation vers une consultation (note fictive)."),
];

/// A note at a level the authority may write (the policy refuses the others).
async fn note(tx: &mut Tx, rng: &mut ChaCha8Rng, access: &CaseAccess) -> anyhow::Result<()> {
    let levels = access.levels();
    let allowed: Vec<_> = NOTES.iter().filter(|(level, _)| levels.contains(level)).collect();
    if let Some((level, body)) = allowed.get(rand::RngExt::random_range(rng, 0..allowed.len().max(1))) {
        case_file::add_note(tx, access, *level, body).await?;
    }
    Ok(())
}
