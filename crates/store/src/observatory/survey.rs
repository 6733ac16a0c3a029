//! The associations' annual survey (issue 14, part 3; ADR 0041). The
//! observatory opens a campaign for a data year, which invites every active
//! association; each association's questionnaire holds its totals and its
//! coded profiles (encrypted: no name, but a nationality, an age group and a
//! form of exploitation still describe someone). An association reads and
//! writes only its own questionnaire, and only while the campaign is open.

use crate::audit::{Action, Object};
use crate::{Result, StoreError, Tx};
use relais_domain::access::authz::{AnswerSurvey, Capability, ManageObservatory};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::{Permission, Role};
use relais_domain::observatory::survey::{self, Campaign, Check, Profile, Totals};
use relais_domain::time::{Date, Timestamp};
use strum::EnumCount;

/// Where a questionnaire stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum State {
    Invited,
    InProgress,
    Submitted,
}

impl State {
    pub const ALL: [Self; Self::COUNT] = [Self::Invited, Self::InProgress, Self::Submitted];

    pub fn key(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::InProgress => "in-progress",
            Self::Submitted => "submitted",
        }
    }

    fn parse(key: &str) -> Result<Self> {
        match key {
            "invited" => Ok(Self::Invited),
            "in-progress" => Ok(Self::InProgress),
            "submitted" => Ok(Self::Submitted),
            _ => Err(StoreError::Corrupt("survey state")),
        }
    }
}

/// A campaign with how far its questionnaires are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignSummary {
    pub campaign: Campaign,
    pub invited: u32,
    pub submitted: u32,
}

/// One association's questionnaire, as the completion page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub organisation: String,
    pub state: State,
    pub profiles: u32,
    pub updated_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
}

/// A questionnaire the user's association was asked to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub campaign: Campaign,
    pub state: State,
}

/// A questionnaire with its answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questionnaire {
    pub id: String,
    pub campaign: Campaign,
    pub organisation: String,
    pub state: State,
    pub totals: Option<Totals>,
    /// Each profile with its id, in the order they were added.
    pub profiles: Vec<(String, Profile)>,
    pub submitted_at: Option<Timestamp>,
}

impl Questionnaire {
    /// The profiles counted against the totals (none before the totals).
    pub fn checks(&self) -> Vec<Check> {
        let profiles: Vec<Profile> = self.profiles.iter().map(|(_, p)| p.clone()).collect();
        self.totals
            .as_ref()
            .map(|totals| survey::check(totals, &profiles))
            .unwrap_or_default()
    }
}

fn day(raw: &str) -> Result<Date> {
    Date::parse(raw).ok_or(StoreError::Corrupt("survey date"))
}

fn campaign_of(year: i64, opens_on: &str, closes_on: &str) -> Result<Campaign> {
    Ok(Campaign {
        year: i32::try_from(year).map_err(|_| StoreError::Corrupt("survey year"))?,
        opens_on: day(opens_on)?,
        closes_on: day(closes_on)?,
    })
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn profile_context(id: &str) -> String {
    format!("survey-profile:{id}")
}

/// Opens the campaign of a data year and invites every active association.
/// A year has one campaign: a second is a conflict.
pub async fn open_campaign(tx: &mut Tx, can: &Capability<ManageObservatory>, campaign: &Campaign) -> Result<String> {
    let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM survey_campaigns WHERE year = $1")
        .bind(i64::from(campaign.year))
        .fetch_optional(tx.conn())
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict("a campaign already covers this year"));
    }
    let id = crate::record_id_hex();
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO survey_campaigns (id, year, opens_on, closes_on, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.clone())
    .bind(i64::from(campaign.year))
    .bind(campaign.opens_on.to_string())
    .bind(campaign.closes_on.to_string())
    .bind(now)
    .bind(can.actor().as_str().to_owned())
    .execute(tx.conn())
    .await?;
    let associations: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM organisations WHERE org_type = $1 AND active = 1 ORDER BY name, id")
            .bind(OrganisationType::Association.key())
            .fetch_all(tx.conn())
            .await?;
    for (organisation,) in associations {
        sqlx::query(
            "INSERT INTO survey_responses (id, campaign_id, organisation_id, state, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(crate::record_id_hex())
        .bind(id.clone())
        .bind(organisation)
        .bind(State::Invited.key())
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    tx.audit(Action::SurveyCampaignCreate, Object::SurveyCampaign, Some(&id), None)
        .await?;
    Ok(id)
}

/// Every campaign, the latest year first, with its counts (one query).
pub async fn campaigns(tx: &mut Tx, _can: &Capability<ManageObservatory>) -> Result<Vec<CampaignSummary>> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT c.year, c.opens_on, c.closes_on, COUNT(r.id), \
         COALESCE(SUM(CASE WHEN r.state = $1 THEN 1 ELSE 0 END), 0) \
         FROM survey_campaigns c LEFT JOIN survey_responses r ON r.campaign_id = c.id \
         GROUP BY c.id, c.year, c.opens_on, c.closes_on ORDER BY c.year DESC",
    )
    .bind(State::Submitted.key())
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::SurveyCampaignsRead, Object::SurveyCampaign, None, None)
        .await?;
    rows.into_iter()
        .map(|(year, opens, closes, invited, submitted)| {
            Ok(CampaignSummary {
                campaign: campaign_of(year, &opens, &closes)?,
                invited: count(invited),
                submitted: count(submitted),
            })
        })
        .collect()
}

/// A campaign and each invited association's progress (one query).
pub async fn completion(
    tx: &mut Tx,
    _can: &Capability<ManageObservatory>,
    year: i32,
) -> Result<(Campaign, Vec<Completion>)> {
    let found: Option<(String, String, String)> =
        sqlx::query_as("SELECT id, opens_on, closes_on FROM survey_campaigns WHERE year = $1")
            .bind(i64::from(year))
            .fetch_optional(tx.conn())
            .await?;
    let (id, opens, closes) = found.ok_or(StoreError::NotFound)?;
    let campaign = campaign_of(i64::from(year), &opens, &closes)?;
    let rows: Vec<(String, String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT o.name, r.state, (SELECT COUNT(*) FROM survey_profiles p WHERE p.response_id = r.id), \
         r.updated_at, r.submitted_at FROM survey_responses r JOIN organisations o ON o.id = r.organisation_id \
         WHERE r.campaign_id = $1 ORDER BY o.name, r.id",
    )
    .bind(id.clone())
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::SurveyCompletionRead, Object::SurveyCampaign, Some(&id), None)
        .await?;
    let list = rows
        .into_iter()
        .map(|(organisation, state, profiles, updated, submitted)| {
            Ok(Completion {
                organisation,
                state: State::parse(&state)?,
                profiles: count(profiles),
                updated_at: Timestamp(updated),
                submitted_at: submitted.map(Timestamp),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((campaign, list))
}

/// The questionnaires the user's association was asked for, latest year first.
pub async fn invitations(tx: &mut Tx, can: &Capability<AnswerSurvey>) -> Result<Vec<Invitation>> {
    let rows: Vec<(String, i64, String, String, String)> = sqlx::query_as(
        "SELECT r.id, c.year, c.opens_on, c.closes_on, r.state FROM survey_responses r \
         JOIN survey_campaigns c ON c.id = r.campaign_id WHERE r.organisation_id = $1 ORDER BY c.year DESC",
    )
    .bind(can.actor_organisation().as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::SurveyCampaignsRead, Object::SurveyResponse, None, None)
        .await?;
    rows.into_iter()
        .map(|(id, year, opens, closes, state)| {
            Ok(Invitation {
                id,
                campaign: campaign_of(year, &opens, &closes)?,
                state: State::parse(&state)?,
            })
        })
        .collect()
}

/// The user's association's questionnaire `id`; another's is not found.
pub async fn questionnaire(tx: &mut Tx, can: &Capability<AnswerSurvey>, id: &str) -> Result<Questionnaire> {
    let found = read(tx, can, id).await?;
    tx.audit(Action::SurveyResponseRead, Object::SurveyResponse, Some(id), None)
        .await?;
    Ok(found)
}

async fn read(tx: &mut Tx, can: &Capability<AnswerSurvey>, id: &str) -> Result<Questionnaire> {
    type Row = (i64, String, String, String, String, Option<String>, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT c.year, c.opens_on, c.closes_on, o.name, r.state, r.totals, r.submitted_at \
         FROM survey_responses r JOIN survey_campaigns c ON c.id = r.campaign_id \
         JOIN organisations o ON o.id = r.organisation_id WHERE r.id = $1 AND r.organisation_id = $2",
    )
    .bind(id.to_owned())
    .bind(can.actor_organisation().as_str().to_owned())
    .fetch_optional(tx.conn())
    .await?;
    let (year, opens, closes, organisation, state, totals, submitted_at) = row.ok_or(StoreError::NotFound)?;
    let totals = totals
        .map(|json| serde_json::from_str::<Totals>(&json).map_err(|_| StoreError::Corrupt("survey totals")))
        .transpose()?;
    let sealed: Vec<(String, String)> =
        sqlx::query_as("SELECT id, answers FROM survey_profiles WHERE response_id = $1 ORDER BY position")
            .bind(id.to_owned())
            .fetch_all(tx.conn())
            .await?;
    let profiles = sealed
        .into_iter()
        .map(|(profile_id, answers)| {
            let plain = tx.keys().decrypt(&answers, &profile_context(&profile_id))?;
            let profile =
                serde_json::from_slice::<Profile>(&plain).map_err(|_| StoreError::Corrupt("survey profile"))?;
            Ok((profile_id, profile))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Questionnaire {
        id: id.to_owned(),
        campaign: campaign_of(year, &opens, &closes)?,
        organisation,
        state: State::parse(&state)?,
        totals,
        profiles,
        submitted_at: submitted_at.map(Timestamp),
    })
}

/// The questionnaire if its answers may still change on `today`.
async fn writable(tx: &mut Tx, can: &Capability<AnswerSurvey>, id: &str, today: Date) -> Result<Questionnaire> {
    let found = read(tx, can, id).await?;
    if found.state == State::Submitted {
        return Err(StoreError::Conflict("this questionnaire was sent"));
    }
    if !found.campaign.is_open(today) {
        return Err(StoreError::Conflict("the campaign is not open"));
    }
    Ok(found)
}

async fn touch(tx: &mut Tx, can: &Capability<AnswerSurvey>, id: &str, state: State) -> Result<()> {
    let now = tx.now().0;
    sqlx::query("UPDATE survey_responses SET state = $1, updated_at = $2, updated_by = $3 WHERE id = $4")
        .bind(state.key())
        .bind(now)
        .bind(can.actor().as_str().to_owned())
        .bind(id.to_owned())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Saves the association's totals.
pub async fn save_totals(
    tx: &mut Tx,
    can: &Capability<AnswerSurvey>,
    id: &str,
    totals: &Totals,
    today: Date,
) -> Result<()> {
    writable(tx, can, id, today).await?;
    let json = serde_json::to_string(totals).map_err(|_| StoreError::Corrupt("survey totals"))?;
    sqlx::query("UPDATE survey_responses SET totals = $1 WHERE id = $2")
        .bind(json)
        .bind(id.to_owned())
        .execute(tx.conn())
        .await?;
    touch(tx, can, id, State::InProgress).await?;
    tx.audit(Action::SurveyTotalsSave, Object::SurveyResponse, Some(id), None)
        .await
}

/// Adds one person's profile.
pub async fn add_profile(
    tx: &mut Tx,
    can: &Capability<AnswerSurvey>,
    id: &str,
    profile: &Profile,
    today: Date,
) -> Result<()> {
    add_profiles(tx, can, id, std::slice::from_ref(profile), today).await
}

/// Adds the profiles of a spreadsheet, all in the caller's transaction.
pub async fn add_profiles(
    tx: &mut Tx,
    can: &Capability<AnswerSurvey>,
    id: &str,
    profiles: &[Profile],
    today: Date,
) -> Result<()> {
    writable(tx, can, id, today).await?;
    let now = tx.now().0;
    let (last,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(position), 0) FROM survey_profiles WHERE response_id = $1")
            .bind(id.to_owned())
            .fetch_one(tx.conn())
            .await?;
    for (position, profile) in (last + 1..).zip(profiles) {
        let profile_id = crate::record_id_hex();
        let json = serde_json::to_vec(profile).map_err(|_| StoreError::Corrupt("survey profile"))?;
        let sealed = tx.keys().encrypt(&json, &profile_context(&profile_id))?;
        sqlx::query(
            "INSERT INTO survey_profiles (id, response_id, position, answers, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(profile_id)
        .bind(id.to_owned())
        .bind(position)
        .bind(sealed)
        .bind(now)
        .execute(tx.conn())
        .await?;
    }
    touch(tx, can, id, State::InProgress).await?;
    let count = profiles.len().to_string();
    tx.audit(Action::SurveyProfileAdd, Object::SurveyResponse, Some(id), Some(&count))
        .await
}

/// Removes a profile of the questionnaire (another questionnaire's is not found).
pub async fn remove_profile(
    tx: &mut Tx,
    can: &Capability<AnswerSurvey>,
    id: &str,
    profile_id: &str,
    today: Date,
) -> Result<()> {
    writable(tx, can, id, today).await?;
    let removed = sqlx::query("DELETE FROM survey_profiles WHERE id = $1 AND response_id = $2")
        .bind(profile_id.to_owned())
        .bind(id.to_owned())
        .execute(tx.conn())
        .await?;
    if removed.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    touch(tx, can, id, State::InProgress).await?;
    tx.audit(Action::SurveyProfileRemove, Object::SurveyResponse, Some(id), None)
        .await
}

/// Sends the questionnaire: its totals given and no blocking inconsistency.
pub async fn submit(tx: &mut Tx, can: &Capability<AnswerSurvey>, id: &str, today: Date) -> Result<()> {
    let found = writable(tx, can, id, today).await?;
    if found.totals.is_none() {
        return Err(StoreError::Conflict("the totals are missing"));
    }
    if found.checks().iter().any(Check::blocks) {
        return Err(StoreError::Conflict("the profiles do not match the totals"));
    }
    touch(tx, can, id, State::Submitted).await?;
    let now = tx.now().0;
    sqlx::query("UPDATE survey_responses SET submitted_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id.to_owned())
        .execute(tx.conn())
        .await?;
    tx.audit(Action::SurveySubmit, Object::SurveyResponse, Some(id), None)
        .await
}

/// What the keyed pseudonyms of the survey's profiles are for.
const PURPOSE: &str = "observatory-survey-pseudonym";

/// One profile of a sent questionnaire, for the observatory's statistics:
/// under a keyed pseudonym, with the campaign's data year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyRecord {
    pub pseudonym: String,
    pub year: i32,
    pub profile: Profile,
}

/// Every profile of every sent questionnaire, by year (the system's read,
/// audited; no association is named).
pub async fn records(tx: &mut Tx) -> Result<Vec<SurveyRecord>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.answers, c.year FROM survey_profiles p JOIN survey_responses r ON r.id = p.response_id \
         JOIN survey_campaigns c ON c.id = r.campaign_id WHERE r.state = $1 ORDER BY c.year, r.id, p.position",
    )
    .bind(State::Submitted.key())
    .fetch_all(tx.conn())
    .await?;
    tx.audit(Action::SurveyExtract, Object::SurveyResponse, None, None)
        .await?;
    rows.into_iter()
        .map(|(id, answers, year)| {
            let plain = tx.keys().decrypt(&answers, &profile_context(&id))?;
            let profile =
                serde_json::from_slice::<Profile>(&plain).map_err(|_| StoreError::Corrupt("survey profile"))?;
            Ok(SurveyRecord {
                pseudonym: tx.keys().keyed_hash(PURPOSE, &id),
                year: i32::try_from(year).map_err(|_| StoreError::Corrupt("survey year"))?,
                profile,
            })
        })
        .collect()
}

/// The people to ask for a campaign's questionnaires not yet sent: the
/// active support workers and administrators of each association concerned.
pub async fn respondents_to_ask(tx: &mut Tx, year: i32) -> Result<Vec<crate::outbox::Recipient>> {
    // The roles that may answer, from the written policy (keys are the domain's constants).
    let roles = Role::ALL
        .into_iter()
        .filter(|r| r.grants().iter().any(|(p, _)| *p == Permission::AnswerSurvey))
        .map(|r| format!("'{}'", r.key()))
        .collect::<Vec<_>>()
        .join(", ");
    let query = format!(
        "SELECT DISTINCT u.email, u.locale FROM survey_responses r \
         JOIN survey_campaigns c ON c.id = r.campaign_id \
         JOIN users u ON u.organisation_id = r.organisation_id \
         JOIN user_roles ur ON ur.user_id = u.id \
         JOIN organisations o ON o.id = u.organisation_id \
         WHERE c.year = $1 AND r.state <> $2 AND ur.role IN ({roles}) \
         AND u.active = 1 AND o.active = 1 ORDER BY u.email"
    );
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(&query)
        .bind(i64::from(year))
        .bind(State::Submitted.key())
        .fetch_all(tx.conn())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(email, locale)| crate::outbox::Recipient { email, locale })
        .collect())
}

/// The campaigns whose answers close `days_before` days after `today`
/// (the day's reminder run, audited whether or not one is due).
pub async fn closing_in(tx: &mut Tx, today: Date, days_before: &[i64]) -> Result<Vec<Campaign>> {
    let days: Vec<String> = days_before.iter().map(|d| today.plus_days(*d).to_string()).collect();
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT year, opens_on, closes_on FROM survey_campaigns ORDER BY year")
            .fetch_all(tx.conn())
            .await?;
    tx.audit(Action::SurveyReminders, Object::Job, Some(&today.to_string()), None)
        .await?;
    rows.into_iter()
        .filter(|(_, _, closes)| days.contains(closes))
        .map(|(year, opens, closes)| campaign_of(year, &opens, &closes))
        .collect()
}
