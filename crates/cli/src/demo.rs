//! Demonstration data: fictional organisations of every type and one user
//! per role, each with a known password and an enrolled authenticator.

use anyhow::Context;
use relais_domain::access::account::DisplayName;
use relais_domain::access::authz::Principal;
use relais_domain::access::openid::Siret;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::email::Email;
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::Timestamp;
use relais_store::access::organisations::NewOrganisation;
use relais_store::access::users::NewUser;
use relais_store::audit::{Action, Object};
use relais_store::{Actor, Store, access::passwords, access::totp, access::users, bootstrap};

/// The password of every demo account. Demonstration only.
pub const DEMO_PASSWORD: &str = "demo-relais-2026";

/// (type, name, département or national)
const ORGANISATIONS: [(OrganisationType, &str, Option<&str>); 19] = [
    (
        OrganisationType::Police,
        "Commissariat de Saint-Denis (fictif)",
        Some("93"),
    ),
    (
        OrganisationType::Gendarmerie,
        "Brigade de recherches de Nîmes (fictive)",
        Some("30"),
    ),
    (
        OrganisationType::LabourInspectorate,
        "Inspection du travail des Bouches-du-Rhône (fictive)",
        Some("13"),
    ),
    (OrganisationType::Justice, "Parquet de Bobigny (fictif)", Some("93")),
    (
        OrganisationType::Health,
        "Centre hospitalier de Lille (fictif)",
        Some("59"),
    ),
    (OrganisationType::Education, "Collège Jean-Moulin (fictif)", Some("69")),
    (
        OrganisationType::SocialServices,
        "Service social départemental (fictif)",
        Some("93"),
    ),
    (
        OrganisationType::ChildProtection,
        "CRIP de Seine-Saint-Denis (fictive)",
        Some("93"),
    ),
    (
        OrganisationType::Association,
        "Association Passerelle (fictive)",
        Some("75"),
    ),
    (
        OrganisationType::Prefecture,
        "Préfecture de la Seine-Saint-Denis (fictive)",
        Some("93"),
    ),
    (
        OrganisationType::OfiiOfpra,
        "OFII — direction territoriale (fictive)",
        Some("75"),
    ),
    (
        OrganisationType::IdentificationAuthority,
        "Autorité nationale d'identification (fictive)",
        None,
    ),
    (
        OrganisationType::NationalCoordination,
        "Coordination interministérielle (fictive)",
        None,
    ),
    (OrganisationType::Observatory, "Observatoire national (fictif)", None),
    (
        OrganisationType::IndependentRapporteur,
        "Rapporteur national indépendant (fictif)",
        None,
    ),
    // A shelter that reports its places in the service directory.
    (
        OrganisationType::Association,
        crate::demo_directory::SHELTER,
        Some("93"),
    ),
    // The national network of distant shelters that safe distant placements reach.
    (OrganisationType::Association, crate::demo_directory::NETWORK, None),
    // A territorial office of the authority: cases elsewhere open to it only in an emergency.
    (
        OrganisationType::IdentificationAuthority,
        "Autorité d'identification — antenne du Nord (fictive)",
        Some("59"),
    ),
    // A directorate that pilots measures of the national action plan.
    (OrganisationType::Ministry, crate::demo_plans::PILOT_DIRECTORATE, None),
];

/// The fictitious SIRET of the demonstration police unit, which providers send with its agents.
pub const DEMO_POLICE_SIRET: &str = "00000000100017";

/// The accounts the seeded history acts through.
const COORDINATOR: &str = "coordination@demo.relais.test";
pub const OFFICER: &str = "identification@demo.relais.test";
pub const SECOND_OFFICER: &str = "decision@demo.relais.test";
/// The association's support worker, with whom the generated cases are shared.
pub const SUPPORT_WORKER: &str = "accompagnement@demo.relais.test";
/// The accounts the seeded survey campaign acts through.
const ANALYST: &str = "observatoire@demo.relais.test";
const SHELTER_WORKER: &str = "foyer@demo.relais.test";
const NETWORK_WORKER: &str = "reseau@demo.relais.test";

/// (role, e-mail, display name, index of the organisation above)
const USERS: [(Role, &str, &str, usize); 15] = [
    (Role::Administrator, "admin@demo.relais.test", "Camille Admin", 12),
    (
        Role::OrganisationAdministrator,
        "gestion@demo.relais.test",
        "Dominique Gestion",
        8,
    ),
    (Role::FirstResponder, "police@demo.relais.test", "Sacha Police", 0),
    (
        Role::IdentificationOfficer,
        "identification@demo.relais.test",
        "Alix Identification",
        11,
    ),
    // The second decision-maker a negative decision needs (four eyes).
    (
        Role::IdentificationOfficer,
        "decision@demo.relais.test",
        "Maxime Décision",
        11,
    ),
    (
        Role::SupportWorker,
        "accompagnement@demo.relais.test",
        "Noa Accompagnement",
        8,
    ),
    (
        Role::Coordinator,
        "coordination@demo.relais.test",
        "Lou Coordination",
        12,
    ),
    (Role::Analyst, "observatoire@demo.relais.test", "Eden Observatoire", 13),
    (
        Role::Rapporteur,
        "rapporteur@demo.relais.test",
        "Charlie Rapporteur",
        14,
    ),
    (Role::SupportWorker, "foyer@demo.relais.test", "Robin Foyer", 15),
    (Role::SupportWorker, "reseau@demo.relais.test", "Sam Réseau", 16),
    // The data-protection officer (délégué à la protection des données).
    (Role::Dpo, "dpd@demo.relais.test", "Claude Délégué", 11),
    (
        Role::IdentificationOfficer,
        "identification-nord@demo.relais.test",
        "Yaël Nord",
        17,
    ),
    // The directorate's focal point for the plan (correspondant ministériel).
    (
        Role::FocalPoint,
        "correspondant@demo.relais.test",
        "Ariel Correspondant",
        18,
    ),
    // An association's seat on the coordination committee.
    (Role::CommitteeMember, "comite@demo.relais.test", "Jules Comité", 8),
];

fn territory(code: Option<&str>) -> anyhow::Result<Territory> {
    match code {
        None => Ok(Territory::National),
        Some(c) => Departement::parse(c)
            .map(Territory::Departement)
            .context("demo département"),
    }
}

/// What the seed made: each demo account's e-mail with its TOTP secret
/// (base32), and the accounts as principals for whoever acts as them next
/// (`demo generate`).
pub struct Seeded {
    pub secrets: Vec<(&'static str, String)>,
    pub principals: Vec<(&'static str, Principal)>,
}

impl Seeded {
    pub fn principal(&self, email: &str) -> anyhow::Result<&Principal> {
        self.principals
            .iter()
            .find(|(e, _)| *e == email)
            .map(|(_, p)| p)
            .context("demo account")
    }
}

/// Seeds the data. Everything is written in one transaction: interrupted
/// or failing midway, the database keeps none of it (and can be seeded again).
pub async fn seed(store: &Store) -> anyhow::Result<Seeded> {
    let now = relais_web::Clock::System.now();
    let hash = passwords::hash(DEMO_PASSWORD)?;
    let catalogue = crate::demo_referrals::screening_catalogue(store).await?;
    let mut tx = store.begin(Actor::system(), "cli-demo-seed", now).await?;
    let mut organisation_ids = Vec::new();
    let mut secrets = Vec::new();
    for (org_type, name, code) in ORGANISATIONS {
        let new = NewOrganisation {
            name: name.into(),
            org_type,
            territory: territory(code)?,
        };
        organisation_ids.push(bootstrap::create_organisation(&mut tx, &new).await?);
    }
    // The police unit's agents can sign in through a provider (ADR 0051): a fictitious SIRET.
    let police = organisation_ids.first().context("demo organisation")?;
    let siret = Siret::parse(DEMO_POLICE_SIRET).context("demo SIRET")?;
    bootstrap::set_demo_siret(&mut tx, police, &siret).await?;
    let mut principals = Vec::new();
    for (role, email, name, org) in USERS {
        let organisation_id = organisation_ids.get(org).cloned().context("demo organisation")?;
        let new = NewUser {
            organisation_id: organisation_id.clone(),
            email: Email::parse(email).map_err(anyhow::Error::msg)?,
            display_name: DisplayName::parse(name).map_err(anyhow::Error::msg)?,
            roles: vec![role],
        };
        let secret = totp::new_secret();
        let user_id = bootstrap::create_demo_user(&mut tx, &new, &hash, &secret).await?;
        secrets.push((email, totp::to_base32(&secret)));
        let (_, _, code) = ORGANISATIONS.get(org).context("demo organisation")?;
        principals.push((
            email,
            Principal::authenticated(user_id, organisation_id, territory(*code)?, vec![role], now),
        ));
    }
    let principal = |email: &str| {
        principals
            .iter()
            .find(|(e, _)| *e == email)
            .map(|(_, p)| p)
            .context("demo account")
    };
    crate::demo_referrals::seed_directory(&mut tx).await?;
    let named: Vec<(&str, relais_domain::ids::OrganisationId)> = ORGANISATIONS
        .iter()
        .map(|(_, name, _)| *name)
        .zip(organisation_ids.iter().cloned())
        .collect();
    crate::demo_directory::seed(&mut tx, &named).await?;
    let directorate = ORGANISATIONS
        .iter()
        .position(|(_, name, _)| *name == crate::demo_plans::PILOT_DIRECTORATE)
        .and_then(|i| organisation_ids.get(i))
        .context("demo directorate")?;
    crate::demo_plans::seed(&mut tx, directorate, now).await?;
    crate::demo_committee::seed(&mut tx, principal(COORDINATOR)?).await?;
    crate::demo_observatory::seed(&mut tx).await?;
    let respondents = crate::demo_survey::Cast {
        analyst: principal(ANALYST)?,
        answered: principal(SHELTER_WORKER)?,
        answering: principal(NETWORK_WORKER)?,
    };
    crate::demo_survey::seed(&mut tx, &respondents).await?;
    crate::demo_release::seed(&mut tx, principal(ANALYST)?).await?;
    crate::demo_training::seed(&mut tx).await?;
    let cast = crate::demo_history::Cast {
        referrer: principal(crate::demo_referrals::REFERRER)?,
        officer: principal(OFFICER)?,
        second_officer: principal(SECOND_OFFICER)?,
    };
    crate::demo_history::seed(&mut tx, &cast, (crate::demo_referrals::CATALOGUE, catalogue.0)).await?;
    crate::demo_referrals::seed_referrals(&mut tx, cast.referrer, &catalogue).await?;
    // The observatory's NRM and survey sources, as the daily job and the sending would write them.
    relais_observatory::nrm::refresh(&mut tx).await?;
    relais_observatory::survey::refresh(&mut tx).await?;
    tx.commit().await?;
    Ok(Seeded { secrets, principals })
}

#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub fn print_logins(secrets: &[(&str, String)]) {
    println!("Demo accounts (fictional data) — password for all: {DEMO_PASSWORD}");
    for (role, email, _, _) in USERS {
        let secret = secrets
            .iter()
            .find(|(e, _)| *e == email)
            .map_or("", |(_, s)| s.as_str());
        println!("  {email:<34} {:<28} {secret}", role.key());
    }
    if !secrets.is_empty() {
        println!("The last column is each account's TOTP secret, for an authenticator app.");
    }
    println!("Current two-factor code for an account: relais demo code EMAIL");
}

/// The current TOTP code of a demo account.
/// The domain of every demo account: `demo code` works for these only, so
/// it can never hand out the second factor of a real account.
pub const DEMO_DOMAIN: &str = "demo.relais.test";

/// The current TOTP code of a demo account; the showing is audited.
pub async fn code(store: &Store, email: &str, now: Timestamp) -> anyhow::Result<String> {
    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
    let is_demo = email
        .as_str()
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain == DEMO_DOMAIN);
    anyhow::ensure!(
        is_demo,
        "demo code works only for demonstration accounts (@{DEMO_DOMAIN}); it never shows the code of another account"
    );
    let id = bootstrap::user_id_by_email(store, &email)
        .await
        .context("no account with that e-mail address")?;
    let secret = users::totp_secret(store, &id)
        .await?
        .context("that account has no authenticator enrolled")?;
    let code = totp::code_at(&secret, now)?;
    let mut tx = store.begin(Actor::system(), "cli-demo-code", now).await?;
    tx.audit(Action::DemoCodeShown, Object::User, Some(id.as_str()), None)
        .await?;
    tx.commit().await?;
    Ok(code)
}
