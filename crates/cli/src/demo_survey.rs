//! The annual survey in the demo (issue 14, part 10): last year's campaign,
//! open today, to which the shelter has answered, the shelters' network is
//! answering and the association Passerelle has not started (its support
//! worker can fill it in). Profiles drawn from a fixed seed; all fictional.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use relais_domain::access::authz::{self, AnswerSurvey, Capability, ManageObservatory, Principal};
use relais_domain::observatory::survey::{Campaign, Profile, ProfileInput, QUESTIONS, Totals, TotalsInput};
use relais_domain::time::{Date, Zone};
use relais_store::Tx;
use relais_store::observatory::survey;

/// Who takes part: the observatory's analyst opens, two associations answer.
pub struct Cast<'a> {
    pub analyst: &'a Principal,
    pub answered: &'a Principal,
    pub answering: &'a Principal,
}

fn totals(accompanied: u32, new_in_year: u32, forms: &[(&str, u32)]) -> anyhow::Result<Totals> {
    let mut input = TotalsInput::new();
    input.insert("accompanied".into(), accompanied.to_string());
    input.insert("new_in_year".into(), new_in_year.to_string());
    for (field, n) in forms {
        input.insert((*field).into(), n.to_string());
    }
    Totals::parse(&input).map_err(|p| anyhow::anyhow!("demo survey totals: {p:?}"))
}

/// A profile with answers drawn for a person accompanied for `form`.
fn profile(rng: &mut ChaCha8Rng, form: &str) -> anyhow::Result<Profile> {
    let mut input = ProfileInput {
        nationality: ["NGA", "ROU", "CIV", "CHN", "BGR", "MAR"][rng.random_range(0..6)].into(),
        forms: vec![form.into()],
        ..ProfileInput::default()
    };
    for question in &QUESTIONS {
        let answer = match question.key {
            "relation" => "accompanied",
            "unaccompanied_minor" => "no",
            "age_group" => ["18-24", "25-34", "35-44"][rng.random_range(0..3)],
            "sex" => {
                if form == "labour" {
                    "male"
                } else {
                    "female"
                }
            }
            _ => question.answers[rng.random_range(0..question.answers.len())],
        };
        input.answers.insert(question.key.into(), answer.into());
    }
    Profile::parse(&input).map_err(|p| anyhow::anyhow!("demo survey profile: {p:?}"))
}

pub async fn seed(tx: &mut Tx, cast: &Cast<'_>) -> anyhow::Result<()> {
    let analyst: Capability<ManageObservatory> = authz::authorize(cast.analyst).map_err(anyhow::Error::msg)?;
    let today = Date::local(tx.now(), &Zone::paris());
    let campaign = Campaign {
        year: today.year - 1,
        opens_on: today.plus_days(-30),
        closes_on: today.plus_days(90),
    };
    survey::open_campaign(tx, &analyst, &campaign).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    for (who, total, send) in [(cast.answered, 6, true), (cast.answering, 4, false)] {
        let can: Capability<AnswerSurvey> = authz::authorize(who).map_err(anyhow::Error::msg)?;
        let id = survey::invitations(tx, &can)
            .await?
            .into_iter()
            .find(|i| i.campaign.year == campaign.year)
            .map(|i| i.id)
            .ok_or_else(|| anyhow::anyhow!("demo survey: no questionnaire"))?;
        let sexual = total - 1;
        let declared = totals(total, total / 2, &[("form_sexual", sexual), ("form_labour", 1)])?;
        survey::save_totals(tx, &can, &id, &declared, today).await?;
        let profiles = if send { total } else { total / 2 };
        for n in 0..profiles {
            let form = if n == 0 { "labour" } else { "sexual" };
            survey::add_profile(tx, &can, &id, &profile(&mut rng, form)?, today).await?;
        }
        if send {
            survey::submit(tx, &can, &id, today).await?;
        }
    }
    Ok(())
}
