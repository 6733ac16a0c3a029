//! Demonstration referrals and the child-protection directory: enough to
//! see the referrer's list, the triage queue, an anonymous notification and
//! a child's urgent notification right after `make run`. All fictional.

use anyhow::Context;
use relais_domain::access::authz::{self, Principal, SubmitReferrals};
use relais_domain::intake::catalogue::Catalogue;
use relais_domain::intake::referral::ReferralDetails;
use relais_domain::intake::referral::input;
use relais_domain::intake::referral::screen;
use relais_domain::intake::referral::steps::Step;
use relais_domain::territory::Departement;
use relais_domain::time::Date;
use relais_store::intake::child_protection::{self, Unit};
use relais_store::{Store, Tx, intake::catalogues, intake::referrals};

/// The demo first responder who writes the demo referrals.
pub const REFERRER: &str = "police@demo.relais.test";
/// The screening catalogue the demo referrals are written with.
pub const CATALOGUE: &str = "ilo-ec-delphi-2009-labour";

/// One fictional child-protection unit per département.
pub async fn seed_directory(tx: &mut Tx) -> anyhow::Result<()> {
    for departement in Departement::all() {
        let code = departement.code();
        let unit = Unit {
            departement: code.to_owned(),
            name: format!("CRIP du département {code} (fictive)"),
            email: format!("crip-{}@demo.relais.test", code.to_lowercase()),
            phone: "01 00 00 00 00".to_owned(),
        };
        child_protection::upsert(tx, &unit).await?;
    }
    Ok(())
}

fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// The fields posted at one step of the form.
type StepAnswers = (Step, Vec<(String, String)>);

/// The answers of each demo referral, step by step, and whether to submit it.
fn scenarios() -> Vec<(Vec<StepAnswers>, bool)> {
    let adult_consenting = vec![
        (
            Step::Person,
            posted(&[
                ("family_name", "Okafor"),
                ("given_names", "Blessing"),
                ("aliases", "Jessica"),
                ("birth_date", "1998"),
                ("age", "adult"),
                ("sex", "female"),
                ("nationality", "NGA"),
                ("departement", "93"),
                ("safe_contact", "Ne pas appeler. Passer par l'association Passerelle."),
            ]),
        ),
        (
            Step::Languages,
            posted(&[
                ("languages", "eng, bin"),
                ("interpreter_needed", "yes"),
                ("interpreter_language", "bin"),
            ]),
        ),
        (
            Step::Circumstances,
            posted(&[(
                "circumstances",
                "Rencontrée lors d'un contrôle routier. Dit devoir rembourser 40 000 euros, papiers confisqués.",
            )]),
        ),
        (Step::Exploitation, posted(&[("forms", "sexual")])),
        (
            Step::Places,
            posted(&[
                ("places", "Saint-Denis ; Lagos"),
                ("location", "both"),
                ("period_start", "2025"),
            ]),
        ),
        (
            Step::Needs,
            posted(&[("need_shelter_tonight", "on"), ("need_safety", "on")]),
        ),
        (
            Step::Consent,
            posted(&[
                ("consent", "given"),
                ("consent_language", "anglais"),
                ("consent_interpreter", "yes"),
                ("consent_explained_by", "Sacha Police, brigadier"),
                ("consent_date", "2026-11-20"),
            ]),
        ),
    ];
    let adult_refusing = vec![
        (
            Step::Person,
            posted(&[
                ("family_name", "Popescu"),
                ("age", "adult"),
                ("sex", "male"),
                ("nationality", "ROU"),
                ("departement", "13"),
            ]),
        ),
        (
            Step::Languages,
            posted(&[("languages", "ron"), ("interpreter_needed", "no")]),
        ),
        (
            Step::Circumstances,
            posted(&[("circumstances", "Ouvrier agricole logé par l'employeur, non payé.")]),
        ),
        (Step::Exploitation, posted(&[("forms", "labour")])),
        (Step::Places, posted(&[("location", "france")])),
        (Step::Consent, posted(&[("consent", "refused")])),
    ];
    let child = vec![
        (
            Step::Person,
            posted(&[
                ("given_names", "Ionut"),
                ("age", "disputed"),
                ("sex", "male"),
                ("nationality", "ROU"),
                ("departement", "93"),
            ]),
        ),
        (
            Step::Languages,
            posted(&[
                ("languages", "rom"),
                ("interpreter_needed", "yes"),
                ("interpreter_language", "rom"),
            ]),
        ),
        (
            Step::Circumstances,
            posted(&[(
                "circumstances",
                "Mendie chaque jour près de la gare, surveillé par un adulte.",
            )]),
        ),
        (Step::Exploitation, posted(&[("forms", "forced-begging")])),
        (Step::Places, posted(&[("location", "france")])),
        (Step::Indicators, posted(&[("act", "yes")])),
        (Step::Needs, posted(&[("need_shelter_tonight", "on")])),
    ];
    let draft = vec![(
        Step::Person,
        posted(&[
            ("family_name", "Petrova"),
            ("given_names", "Anna"),
            ("age", "adult"),
            ("sex", "female"),
        ]),
    )];
    vec![
        (adult_consenting, true),
        (adult_refusing, true),
        (child, true),
        (draft, false),
    ]
}

/// The screening catalogue's newest version (loaded at start: not demo data).
pub async fn screening_catalogue(store: &Store) -> anyhow::Result<(i64, std::sync::Arc<Catalogue>)> {
    let version = catalogues::list(store)
        .await?
        .into_iter()
        .filter(|v| v.id == CATALOGUE)
        .map(|v| v.version)
        .max()
        .context("screening catalogue")?;
    Ok((version, catalogues::get(store, CATALOGUE, version).await?))
}

/// Writes the demo referrals in the name of the demo first responder.
pub async fn seed_referrals(
    tx: &mut Tx,
    referrer: &Principal,
    catalogue: &(i64, std::sync::Arc<Catalogue>),
) -> anyhow::Result<()> {
    let can = authz::authorize::<SubmitReferrals>(referrer).map_err(anyhow::Error::msg)?;
    let (version, catalogue) = catalogue;
    let today = Date::local(tx.now(), &relais_domain::time::Zone::paris());
    for (steps, submit) in scenarios() {
        let id = referrals::create_draft(tx, &can, (CATALOGUE, *version)).await?;
        let mut details = ReferralDetails::default();
        for (step, fields) in &steps {
            input::apply(*step, &mut details, fields);
            referrals::save_draft(tx, &can, &id, *step, &details).await?;
        }
        if submit {
            let overall = screen::screen(&details, catalogue, None).ok().map(|s| s.overall());
            referrals::submit(tx, &can, &id, overall, today).await?;
        }
    }
    Ok(())
}
