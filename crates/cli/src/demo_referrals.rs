//! Demonstration referrals and the child-protection directory: enough to
//! see the referrer's list, the triage queue, an anonymous notification and
//! a child's urgent notification right after `make run`. All fictional.

use anyhow::Context;
use relais_domain::authz::{self, SubmitReferrals};
use relais_domain::email::Email;
use relais_domain::referral::ReferralDetails;
use relais_domain::referral::input;
use relais_domain::referral::screen;
use relais_domain::referral::steps::Step;
use relais_domain::territory::Departement;
use relais_domain::time::{Date, Timestamp};
use relais_store::child_protection::{self, Unit};
use relais_store::{Actor, Store, bootstrap, catalogues, referrals, users};

const REFERRER: &str = "police@demo.relais.test";
const CATALOGUE: &str = "ilo-ec-delphi-2009-labour";

/// One fictional child-protection unit per département.
pub async fn seed_directory(store: &Store, now: Timestamp) -> anyhow::Result<()> {
    let mut tx = store.begin(Actor::system(), "cli-demo-directory", now).await?;
    for departement in Departement::all() {
        let code = departement.code();
        let unit = Unit {
            departement: code.to_owned(),
            name: format!("CRIP du département {code} (fictive)"),
            email: format!("crip-{}@demo.relais.test", code.to_lowercase()),
            phone: "01 00 00 00 00".to_owned(),
        };
        child_protection::upsert(&mut tx, &unit).await?;
    }
    tx.commit().await?;
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
                ("languages", "anglais, edo"),
                ("interpreter_needed", "yes"),
                ("interpreter_language", "edo"),
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
            posted(&[("languages", "roumain"), ("interpreter_needed", "no")]),
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
                ("languages", "romani"),
                ("interpreter_needed", "yes"),
                ("interpreter_language", "romani"),
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

/// Writes the demo referrals as the demo first responder.
pub async fn seed_referrals(store: &Store, now: Timestamp) -> anyhow::Result<()> {
    let email = Email::parse(REFERRER).map_err(anyhow::Error::msg)?;
    let user = bootstrap::user_id_by_email(store, &email)
        .await
        .context("demo referrer")?;
    let (principal, _) = users::principal(store, &user, now).await?.context("demo referrer")?;
    let can = authz::authorize::<SubmitReferrals>(&principal).map_err(anyhow::Error::msg)?;
    let version = catalogues::list(store)
        .await?
        .into_iter()
        .find(|v| v.id == CATALOGUE)
        .context("screening catalogue")?
        .version;
    let catalogue = catalogues::get(store, CATALOGUE, version).await?;
    for (steps, submit) in scenarios() {
        let mut tx = store
            .begin(
                Actor::user(user.clone(), principal.organisation_id.clone()),
                "cli-demo-referrals",
                now,
            )
            .await?;
        let id = referrals::create_draft(&mut tx, &can, (CATALOGUE, version)).await?;
        let mut details = ReferralDetails::default();
        for (step, fields) in &steps {
            input::apply(*step, &mut details, fields);
            referrals::save_draft(&mut tx, &can, &id, *step, &details).await?;
        }
        if submit {
            let overall = screen::screen(&details, &catalogue).ok().map(|s| s.overall());
            referrals::submit(&mut tx, &can, &id, overall, Date::of(now)).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
