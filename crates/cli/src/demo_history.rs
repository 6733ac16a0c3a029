//! Two years of fictional history (issue 16, part 10): a few hundred
//! referrals taken through triage, decisions, needs, permits and closures,
//! each act on the day it would have happened, so that the queues and the
//! timeliness and equal-access pages show shapes rather than "< 5".
//!
//! Written through the store's own functions, as the pages would, in the
//! seed's one transaction whose clock moves from act to act. Drawn from a
//! fixed seed: every demo database holds the same people and the same story.
//! The recent referrals stop where their story has reached today, so each
//! stage of the workflow has its share of open work.

use anyhow::Context;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use relais_domain::access::authz::{
    self, Capability, IdentifyVictims, Principal, SubmitReferrals, TriageReferrals, ViewCaseFile,
};
use relais_domain::casework::case_status::{Event, Policy};
use relais_domain::casework::closure::{Closure, Outcome as ClosureOutcome};
use relais_domain::casework::needs::{AccommodationType, Need, NeedKind, NeedStatus, UnmetReason, Urgency};
use relais_domain::casework::rights::{Outcome, Permit, PermitKind, RefusalReason};
use relais_domain::casework::statement::Draft;
use relais_domain::ids::CaseId;
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::steps::Step;
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::Tx;
use relais_store::casework::{case_access, cases, support};
use relais_store::intake::{referrals, triage};

/// How many referrals the history holds, and over how many days before today.
const REFERRALS: usize = 320;
const DAYS: i64 = 730;
const DAY: i64 = 86_400;
/// The seed of the draw: change it and every demo database tells another story.
const SEED: u64 = 2026;

/// Who acts in the history: the demo first responder refers, the national
/// authority's two officers triage and decide (the second one confirms the
/// negative decisions, four eyes) and follow the case.
pub struct Cast<'a> {
    pub referrer: &'a Principal,
    pub officer: &'a Principal,
    pub second_officer: &'a Principal,
}

pub(crate) struct Rights {
    submit: Capability<SubmitReferrals>,
    triage: Capability<TriageReferrals>,
    decide: Capability<IdentifyVictims>,
    confirm: Capability<IdentifyVictims>,
    file: Capability<ViewCaseFile>,
}

impl Rights {
    pub(crate) fn of(cast: &Cast<'_>) -> anyhow::Result<Self> {
        Ok(Self {
            submit: authz::authorize(cast.referrer).map_err(anyhow::Error::msg)?,
            triage: authz::authorize(cast.officer).map_err(anyhow::Error::msg)?,
            decide: authz::authorize(cast.officer).map_err(anyhow::Error::msg)?,
            confirm: authz::authorize(cast.second_officer).map_err(anyhow::Error::msg)?,
            file: authz::authorize(cast.officer).map_err(anyhow::Error::msg)?,
        })
    }

    /// The authority's reading of the case file, for the generator's casework.
    pub(crate) fn file(&self) -> &Capability<ViewCaseFile> {
        &self.file
    }

    pub(crate) fn decide(&self) -> &Capability<IdentifyVictims> {
        &self.decide
    }
}

/// A referral the history accepted: its case, the moment of acceptance and who it is about.
pub(crate) struct Opened {
    pub case: CaseId,
    pub at: Timestamp,
    pub details: ReferralDetails,
}

/// One weighted choice.
pub(crate) fn pick<T: Copy>(rng: &mut ChaCha8Rng, choices: &[(T, u32)]) -> T {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (choice, weight) in choices {
        if roll < *weight {
            return *choice;
        }
        roll -= weight;
    }
    choices[0].0
}

pub(crate) fn chance(rng: &mut ChaCha8Rng, percent: u32) -> bool {
    rng.random_range(0..100) < percent
}

/// When the formal decision comes, in days after the preliminary one: from the 32nd, as 31
/// times 24 hours after a preliminary decision taken just after midnight before the change to
/// winter time still ends on the reflection period's last day in Paris (the stories' hours
/// drift with the time of day the generator runs).
const FORMAL_AFTER_DAYS: std::ops::RangeInclusive<i64> = 32..=90;

/// Days, at a working hour.
pub(crate) fn later(rng: &mut ChaCha8Rng, at: Timestamp, days: std::ops::RangeInclusive<i64>) -> Timestamp {
    let day = rng.random_range(days);
    Timestamp(at.0 + day * DAY + rng.random_range(0..4 * 3600))
}

const DEPARTEMENTS: [(&str, u32); 12] = [
    ("93", 22),
    ("75", 18),
    ("13", 12),
    ("69", 8),
    ("59", 8),
    ("06", 6),
    ("33", 5),
    ("31", 4),
    ("44", 4),
    ("67", 3),
    ("971", 2),
    ("973", 3),
];

const FORMS: [(&str, u32); 6] = [
    ("sexual", 55),
    ("labour", 22),
    ("domestic-servitude", 8),
    ("forced-criminality", 7),
    ("forced-begging", 5),
    ("forced-marriage", 3),
];

/// Nationalities (ISO 3166-1 alpha-3) by form, in the proportions the
/// associations' surveys report; fictional weights.
fn nationalities(form: &str) -> &'static [(&'static str, u32)] {
    match form {
        "sexual" => &[
            ("NGA", 30),
            ("ROU", 14),
            ("FRA", 12),
            ("CHN", 10),
            ("BGR", 8),
            ("BRA", 6),
            ("CMR", 6),
            ("CIV", 5),
            ("COL", 5),
            ("UKR", 4),
        ],
        "labour" => &[
            ("MAR", 15),
            ("ROU", 14),
            ("MLI", 11),
            ("PAK", 10),
            ("SEN", 10),
            ("TUN", 10),
            ("IND", 8),
            ("BGR", 8),
            ("CHN", 7),
            ("LKA", 7),
        ],
        "domestic-servitude" => &[
            ("MAR", 20),
            ("PHL", 15),
            ("CIV", 15),
            ("MDG", 15),
            ("SEN", 10),
            ("DZA", 10),
            ("ERI", 10),
            ("IDN", 5),
        ],
        _ => &[("ROU", 40), ("BIH", 20), ("VNM", 20), ("FRA", 10), ("DZA", 10)],
    }
}

const FAMILY_NAMES: [&str; 24] = [
    "Adebayo",
    "Ionescu",
    "Martin",
    "Wang",
    "Dimitrova",
    "Silva",
    "Mbarga",
    "Kouassi",
    "Gómez",
    "Kovalenko",
    "Benali",
    "Traoré",
    "Khan",
    "Diop",
    "Haddad",
    "Sharma",
    "Santos",
    "Rakoto",
    "Tesfaye",
    "Nguyen",
    "Hodžić",
    "Popa",
    "Ndiaye",
    "Reyes",
];
const GIVEN_FEMALE: [&str; 12] = [
    "Grace", "Elena", "Mei", "Ana", "Aïcha", "Fatou", "Maria", "Hanna", "Joy", "Rosa", "Lalao", "Thi",
];
const GIVEN_MALE: [&str; 12] = [
    "Samuel", "Andrei", "Omar", "Moussa", "Ravi", "Ibrahima", "Karim", "Lin", "Emir", "Yonas", "Paulo", "Hugo",
];

/// The size of a history. The demo's few hundred people share a short list of
/// names; at national scale (`demo generate`) a second family name makes the many
/// people mostly distinct, as a national file's would be, so that the duplicate
/// search meets realistic blocks, and some referrals wait on an information request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    Demo,
    National,
}

fn family_name(rng: &mut ChaCha8Rng, scale: Scale) -> String {
    let first = FAMILY_NAMES[rng.random_range(0..FAMILY_NAMES.len())];
    match scale {
        Scale::Demo => first.into(),
        Scale::National => {
            let second = FAMILY_NAMES[rng.random_range(0..FAMILY_NAMES.len())];
            let given = GIVEN_MALE[rng.random_range(0..GIVEN_MALE.len())];
            format!("{first}-{second} {given}son")
        }
    }
}

fn person(rng: &mut ChaCha8Rng, submitted: Date, scale: Scale) -> ReferralDetails {
    let form = pick(rng, &FORMS);
    let female = match form {
        "sexual" => chance(rng, 90),
        "labour" => chance(rng, 30),
        "domestic-servitude" | "forced-marriage" => chance(rng, 85),
        _ => chance(rng, 50),
    };
    let child = chance(
        rng,
        if matches!(form, "forced-criminality" | "forced-begging") {
            40
        } else {
            10
        },
    );
    let age = if child {
        rng.random_range(12..18)
    } else {
        rng.random_range(18..52)
    };
    let given = if female { GIVEN_FEMALE } else { GIVEN_MALE };
    let language = pick(rng, &[("fra", 3), ("eng", 3), ("ron", 2), ("ara", 2)]);
    ReferralDetails {
        family_name: family_name(rng, scale),
        given_names: given[rng.random_range(0..given.len())].into(),
        birth_date: (submitted.year - age).to_string(),
        age: if child { "minor" } else { "adult" }.into(),
        sex: if female { "female" } else { "male" }.into(),
        nationality: pick(rng, nationalities(form)).into(),
        departement: pick(rng, &DEPARTEMENTS).into(),
        languages: language.into(),
        interpreter_needed: if language == "fra" { "no" } else { "yes" }.into(),
        interpreter_language: if language == "fra" {
            String::new()
        } else {
            language.into()
        },
        circumstances: "Situation fictive de démonstration, générée pour l'historique.".into(),
        forms: vec![form.into()],
        location: "france".into(),
        consent: "given".into(),
        consent_language: "français".into(),
        consent_interpreter: if language == "fra" { "no" } else { "yes" }.into(),
        consent_explained_by: "Sacha Police".into(),
        consent_date: submitted.to_string(),
        ..ReferralDetails::default()
    }
}

fn reasons(rng: &mut ChaCha8Rng) -> Draft {
    let second = pick(
        rng,
        &[("person-account", 3), ("third-party-information", 2), ("documents", 1)],
    );
    Draft {
        reasons: vec!["indicators".into(), second.into()],
        ..Draft::default()
    }
}

fn negative() -> Draft {
    Draft {
        reasons: vec!["insufficient-information".into()],
        note: "Les éléments recueillis ne permettent pas de retenir la qualité de victime (fictif).".into(),
        ..Draft::default()
    }
}

fn need(kind: NeedKind, status: NeedStatus, accommodation: Option<AccommodationType>) -> Need {
    Need {
        kind,
        urgency: if kind == NeedKind::Accommodation {
            Urgency::Immediate
        } else {
            Urgency::Normal
        },
        status,
        unmet_reason: (status == NeedStatus::Unmet).then_some(UnmetReason::NoPlace),
        accommodation,
        return_risk: None,
        actor: String::new(),
    }
}

/// Writes the history; the transaction's clock is back at `now` after it.
pub async fn seed(tx: &mut Tx, cast: &Cast<'_>, catalogue: (&str, i64)) -> anyhow::Result<()> {
    let now = tx.now();
    let rights = Rights::of(cast)?;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    for _ in 0..REFERRALS {
        let submitted = submission(&mut rng, now);
        let opened = story(tx, &rights, &mut rng, submitted, now, catalogue, Scale::Demo)
            .await
            .context("demo history")?;
        if let Some(opened) = opened {
            identification(tx, &rights, &mut rng, &opened.case, opened.at, now)
                .await
                .context("demo history")?;
        }
    }
    tx.set_clock(now);
    Ok(())
}

/// When a referral of the two years was sent: more lately, as the mechanism becomes known.
pub(crate) fn submission(rng: &mut ChaCha8Rng, now: Timestamp) -> Timestamp {
    let share = 1.0 - rng.random::<f64>().sqrt();
    sent(rng, now, share)
}

/// The day `share` of the two years before today (0 today, 1 two years ago), at an hour drawn.
fn sent(rng: &mut ChaCha8Rng, now: Timestamp, share: f64) -> Timestamp {
    let ago = (DAYS as f64 * share) as i64 + 2;
    Timestamp(now.0 - ago * DAY + rng.random_range(0..8 * 3600))
}

/// Submission times drawn in order, newest first, like [`submission`]'s: the points of a
/// Poisson process whose count over the two years is `expected` on average. Given their
/// number, such points are independent draws of [`submission`]'s law, put in order.
///
/// `relais demo generate` writes its stories in this order, so that each index on a time
/// (the audit trail's, the queues') grows at one end as in a database written day after day,
/// instead of taking a page at random for every row (ADR 0070). More referrals than expected
/// go on before the two years, as many a day as the two years' mean.
pub(crate) struct Arrivals {
    expected: f64,
    /// The process's cumulative intensity so far, in expected referrals.
    drawn: f64,
}

impl Arrivals {
    pub(crate) fn newest_first(expected: usize) -> Self {
        Self {
            expected: expected.max(1) as f64,
            drawn: 0.0,
        }
    }

    pub(crate) fn next(&mut self, rng: &mut ChaCha8Rng, now: Timestamp) -> Timestamp {
        // An exponential gap; `1 − U` is in (0, 1], so its logarithm is finite.
        self.drawn -= (1.0 - rng.random::<f64>()).ln();
        let fraction = self.drawn / self.expected;
        // The inverse of `submission`'s law, F(x) = 1 − (1 − x)², up to its end.
        let share = if fraction < 1.0 {
            1.0 - (1.0 - fraction).sqrt()
        } else {
            fraction
        };
        sent(rng, now, share)
    }
}

/// Moves the seed's clock to `at`, unless the story has not got there by `now`.
pub(crate) fn reached(tx: &mut Tx, at: Timestamp, now: Timestamp) -> bool {
    if at > now {
        return false;
    }
    tx.set_clock(at);
    true
}

/// Records a decision or a step of the identification workflow.
async fn decide(
    tx: &mut Tx,
    can: &Capability<IdentifyVictims>,
    case: &CaseId,
    event: Event,
    draft: &Draft,
) -> anyhow::Result<()> {
    cases::apply(tx, can, case, event, draft, &Policy::default()).await?;
    Ok(())
}

/// Closes a case with its outcome and a fictional summary.
async fn close(
    tx: &mut Tx,
    rights: &Rights,
    case: &CaseId,
    outcome: ClosureOutcome,
    summary: &str,
) -> anyhow::Result<()> {
    let closure = Closure {
        outcome,
        summary: summary.into(),
    };
    support::close(tx, &rights.decide, case, &closure, &Policy::default()).await?;
    Ok(())
}

/// One referral's story up to triage, until it reaches `now`; the case when it
/// was accepted, whose decisions [`identification`] then writes.
pub(crate) async fn story(
    tx: &mut Tx,
    rights: &Rights,
    rng: &mut ChaCha8Rng,
    submitted: Timestamp,
    now: Timestamp,
    catalogue: (&str, i64),
    scale: Scale,
) -> anyhow::Result<Option<Opened>> {
    let zone = Zone::paris();
    let day = |at: Timestamp| Date::local(at, &zone);
    tx.set_clock(submitted);
    let details = person(rng, day(submitted), scale);
    let id = referrals::create_draft(tx, &rights.submit, catalogue).await?;
    referrals::save_draft(tx, &rights.submit, &id, Step::Consent, &details).await?;
    referrals::submit(tx, &rights.submit, &id, None, day(submitted)).await?;

    let triaged = later(rng, submitted, 0..=5);
    if !reached(tx, triaged, now) {
        return Ok(None);
    }
    if scale == Scale::National && chance(rng, 3) {
        let question = "Pouvez-vous préciser les conditions de travail décrites ? (fictif)";
        triage::request_information(tx, &rights.triage, &id, question).await?;
        return Ok(None);
    }
    if chance(rng, 7) {
        triage::reject(
            tx,
            &rights.triage,
            &id,
            "Hors du champ de la traite des êtres humains (fictif).",
        )
        .await?;
        return Ok(None);
    }
    let case = triage::accept(tx, &rights.triage, &id).await?;
    Ok(Some(Opened {
        case,
        at: triaged,
        details,
    }))
}

/// The accepted referral's case through its decisions, support and closure, until `now`.
pub(crate) async fn identification(
    tx: &mut Tx,
    rights: &Rights,
    rng: &mut ChaCha8Rng,
    case: &CaseId,
    triaged: Timestamp,
    now: Timestamp,
) -> anyhow::Result<()> {
    // The preliminary decision (reasonable grounds).
    let mut at = later(rng, triaged, 2..=20);
    if !reached(tx, at, now) {
        return Ok(());
    }
    if chance(rng, 12) {
        decide(
            tx,
            &rights.decide,
            case,
            Event::PreliminaryMoreInformation,
            &reasons(rng),
        )
        .await?;
        at = later(rng, at, 5..=25);
        if !reached(tx, at, now) {
            return Ok(());
        }
        decide(tx, &rights.decide, case, Event::InformationReceived, &Draft::default()).await?;
        at = later(rng, at, 1..=7);
        if !reached(tx, at, now) {
            return Ok(());
        }
    }
    if chance(rng, 9) {
        return refuse(tx, rights, rng, case, Event::PreliminaryNegative, at, now).await;
    }
    decide(tx, &rights.decide, case, Event::PreliminaryPositive, &reasons(rng)).await?;
    let reflection = at;
    let assessed = later(rng, reflection, 2..=10);
    assess(tx, rights, rng, case, assessed, now).await?;

    // The formal decision, once the 30-day reflection period has run.
    at = later(rng, reflection, FORMAL_AFTER_DAYS);
    if !reached(tx, at, now) {
        return Ok(());
    }
    match pick(
        rng,
        &[
            (Event::FormalPositive, 76),
            (Event::FormalNegative, 14),
            (Event::FormalInsufficientEvidence, 10),
        ],
    ) {
        Event::FormalPositive => decide(tx, &rights.decide, case, Event::FormalPositive, &reasons(rng)).await?,
        refused => return refuse(tx, rights, rng, case, refused, at, now).await,
    };
    let identified = at;
    permit(tx, rights, rng, case, identified, now).await?;
    at = later(rng, identified, 1..=10);
    if !reached(tx, at, now) {
        return Ok(());
    }
    decide(tx, &rights.decide, case, Event::StartSupport, &Draft::default()).await?;
    at = later(rng, at, 150..=420);
    if !reached(tx, at, now) {
        return Ok(());
    }
    let outcome = pick(
        rng,
        &[
            (ClosureOutcome::Integrated, 70),
            (ClosureOutcome::ReturnedWithSupport, 10),
            (ClosureOutcome::LostContact, 20),
        ],
    );
    close(
        tx,
        rights,
        case,
        outcome,
        "Fin de l'accompagnement (historique fictif).",
    )
    .await
}

/// A negative decision: proposed by the officer, confirmed by the second
/// one a few days later, the case closed a few weeks after.
async fn refuse(
    tx: &mut Tx,
    rights: &Rights,
    rng: &mut ChaCha8Rng,
    case: &CaseId,
    event: Event,
    at: Timestamp,
    now: Timestamp,
) -> anyhow::Result<()> {
    tx.set_clock(at);
    decide(tx, &rights.decide, case, event, &negative()).await?;
    let confirmed = later(rng, at, 1..=4);
    if !reached(tx, confirmed, now) {
        return Ok(());
    }
    decide(tx, &rights.confirm, case, Event::ConfirmDecision, &Draft::default()).await?;
    let closed = later(rng, confirmed, 60..=120);
    if !reached(tx, closed, now) {
        return Ok(());
    }
    close(
        tx,
        rights,
        case,
        ClosureOutcome::Other,
        "Orientation vers le droit commun après la décision (fictif).",
    )
    .await
}

/// The needs assessed after the reasonable-grounds decision; accommodation
/// is asked for most often and not always found.
async fn assess(
    tx: &mut Tx,
    rights: &Rights,
    rng: &mut ChaCha8Rng,
    case: &CaseId,
    at: Timestamp,
    now: Timestamp,
) -> anyhow::Result<()> {
    if !reached(tx, at, now) {
        return Ok(());
    }
    let access = case_access::open(tx, &rights.file, case).await?;
    let mut needs = vec![need(NeedKind::LegalAid, NeedStatus::Met, None)];
    if chance(rng, 72) {
        let status = pick(
            rng,
            &[(NeedStatus::Met, 62), (NeedStatus::Open, 23), (NeedStatus::Unmet, 15)],
        );
        let kind = pick(
            rng,
            &[
                (AccommodationType::Specialised, 5),
                (AccommodationType::Emergency, 3),
                (AccommodationType::SecureDistant, 2),
            ],
        );
        needs.push(need(NeedKind::Accommodation, status, Some(kind)));
    }
    if chance(rng, 55) {
        needs.push(need(NeedKind::Psychological, NeedStatus::Open, None));
    }
    let on = Date::local(at, &Zone::paris());
    support::add_assessment(tx, &access, on, &needs).await?;
    Ok(())
}

/// The temporary residence card most identified people apply for, decided
/// by the prefecture months later (or not yet).
async fn permit(
    tx: &mut Tx,
    rights: &Rights,
    rng: &mut ChaCha8Rng,
    case: &CaseId,
    identified: Timestamp,
    now: Timestamp,
) -> anyhow::Result<()> {
    let applied = later(rng, identified, 10..=60);
    if applied > now || !chance(rng, 80) {
        return Ok(());
    }
    tx.set_clock(applied);
    let decided = later(rng, applied, 45..=180);
    let zone = Zone::paris();
    let decided_day = Date::local(decided, &zone);
    let outcome = if decided > now {
        Outcome::Pending
    } else {
        pick(
            rng,
            &[(Outcome::Granted, 82), (Outcome::Refused, 12), (Outcome::Withdrawn, 6)],
        )
    };
    let card = Permit {
        kind: PermitKind::TemporaryResidenceCard,
        applied_on: Some(Date::local(applied, &zone)),
        receipt_on: Some(Date::local(applied, &zone).plus_days(7)),
        decided_on: (outcome != Outcome::Pending).then_some(decided_day),
        expires_on: (outcome == Outcome::Granted).then_some(decided_day.plus_days(365)),
        outcome,
        refusal_reason: (outcome == Outcome::Refused).then_some(RefusalReason::NoCooperation),
    };
    if outcome != Outcome::Pending {
        tx.set_clock(decided);
    }
    let access = case_access::open(tx, &rights.file, case).await?;
    let prefecture = Departement::parse("93");
    support::save_permit(tx, &access, None, &card, prefecture, "").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use relais_domain::casework::case_status::Policy;
    use relais_domain::time::{Date, Zone};

    /// Every hour of a year, summer and winter time: the earliest formal decision falls after
    /// the reflection period the domain computes (it refused the 31st day on the night of the
    /// change to winter time).
    #[test]
    fn the_formal_decision_never_falls_within_the_reflection_period() {
        let paris = Zone::paris();
        let start = 1_767_225_600; // 2026-01-01T00:00:00Z
        for hour in 0..366 * 24 {
            let preliminary = Timestamp(start + hour * 3600);
            let ends = Date::local(preliminary, &paris).plus_days(Policy::default().reflection_days);
            let earliest = Timestamp(preliminary.0 + FORMAL_AFTER_DAYS.start() * DAY);
            assert!(Date::local(earliest, &paris) > ends, "preliminary at {}", preliminary.0);
        }
    }

    /// The arrivals come newest first (the hour within a day apart) and follow `submission`'s
    /// law: a quarter of them more than a year ago, where F(½) = ¾; as many as expected
    /// within the two years, give or take the Poisson count's spread.
    #[test]
    fn arrivals_come_newest_first_with_the_law_of_submission() {
        let now = Timestamp(1_796_601_600);
        let day = |at: Timestamp| (now.0 - at.0).div_euclid(DAY);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut arrivals = Arrivals::newest_first(100_000);
        let mut days = Vec::new();
        while days.last().is_none_or(|&d| d <= DAYS + 2) {
            days.push(day(arrivals.next(&mut rng, now)));
        }
        assert!(days.windows(2).all(|w| w[0] <= w[1] + 1), "newest first, within a day");
        let within: Vec<i64> = days.iter().copied().filter(|&d| d < DAYS + 2).collect();
        assert!(
            (99_000..=101_000).contains(&within.len()),
            "{} within the two years",
            within.len()
        );
        let older = within.iter().filter(|&&d| d >= DAYS / 2 + 2).count() as f64 / within.len() as f64;
        assert!((older - 0.25).abs() < 0.01, "{older} more than a year ago");
        let iid = (0..100_000)
            .filter(|_| day(submission(&mut rng, now)) >= DAYS / 2 + 2)
            .count();
        assert!(
            (iid as f64 / 100_000.0 - older).abs() < 0.01,
            "{iid} of submission's against {older}"
        );
    }
}
