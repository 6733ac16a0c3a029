//! A fictional coordination committee: a member of every category (names,
//! bodies and addresses invented and marked so), two meetings held in 2025
//! with attendance, minutes, decisions and action items pointing at the
//! fictional plan's measures, and one meeting planned in December 2026 —
//! so that the page shows the two-meetings warning for 2026 until it is held.

use relais_domain::access::authz::{self, Principal};
use relais_domain::coordination::committee::{MeetingTimes, MemberCategory};
use relais_domain::time::{Date, Zone};
use relais_store::Tx;
use relais_store::coordination::committee::{self, MeetingDraft, MeetingRecord, NewActionItem, NewMember};

const MEMBERS: [(&str, MemberCategory, &str, &str); 7] = [
    (
        "Camille Ministère (fictive)",
        MemberCategory::Ministry,
        "Direction générale de la cohésion sociale (fictive)",
        "camille.ministere@demo.relais.test",
    ),
    (
        "Dominique Intérieur (fictif)",
        MemberCategory::Ministry,
        "Ministère de l’Intérieur — office central (fictif)",
        "dominique.interieur@demo.relais.test",
    ),
    (
        "Jules Comité (fictif)",
        MemberCategory::Association,
        "Association d’aide aux victimes (fictive)",
        "comite@demo.relais.test",
    ),
    (
        "Sacha Syndicat (fictif)",
        MemberCategory::TradeUnion,
        "Union syndicale des travailleurs (fictive)",
        "sacha.syndicat@demo.relais.test",
    ),
    (
        "Noa Témoin (fictive)",
        MemberCategory::VictimsRepresentatives,
        "Collectif de personnes concernées (fictif)",
        "noa.temoin@demo.relais.test",
    ),
    (
        "Alix Autorité (fictive)",
        MemberCategory::IndependentAuthority,
        "Autorité indépendante de démonstration (fictive)",
        "alix.autorite@demo.relais.test",
    ),
    (
        "Morgan Expert (fictif)",
        MemberCategory::Other,
        "Laboratoire de recherche (fictif)",
        "morgan.expert@demo.relais.test",
    ),
];

fn times(day: &str, start: (u8, u8), end: (u8, u8)) -> anyhow::Result<MeetingTimes> {
    let zone = Zone::paris();
    let day = Date::parse(day).ok_or_else(|| anyhow::anyhow!("demo meeting day"))?;
    let at = |(hour, minute)| {
        zone.instant(day, hour, minute)
            .ok_or_else(|| anyhow::anyhow!("demo meeting time"))
    };
    MeetingTimes::new(at(start)?, at(end)?).ok_or_else(|| anyhow::anyhow!("demo meeting times"))
}

fn day(raw: &str) -> anyhow::Result<Date> {
    Date::parse(raw).ok_or_else(|| anyhow::anyhow!("demo due day"))
}

/// Seeds the committee as `coordinator` (the demo coordination account).
pub async fn seed(tx: &mut Tx, coordinator: &Principal) -> anyhow::Result<()> {
    let manage = authz::authorize(coordinator).map_err(|_| anyhow::anyhow!("demo coordinator"))?;
    let view = authz::authorize(coordinator).map_err(|_| anyhow::anyhow!("demo coordinator"))?;
    let mut members = Vec::new();
    for (name, category, organisation, email) in MEMBERS {
        let member = NewMember {
            name: name.to_owned(),
            category,
            organisation_label: organisation.to_owned(),
            email: email.to_owned(),
        };
        members.push(committee::add_member(tx, &manage, &member).await?);
    }
    let measures = committee::measure_choices(tx, &view).await?;
    let measure = |number: u32| {
        measures
            .iter()
            .find(|m| m.plan_code == "DEMO-FICTIF" && m.number == number)
            .map(|m| m.id.clone())
            .ok_or_else(|| anyhow::anyhow!("demo measure {number}"))
    };
    let meetings = [
        (
            times("2025-03-18", (14, 0), (16, 30))?,
            "Ordre du jour (fictif) :\n1. Bilan de la formation des professionnels\n2. Places d’hébergement sécurisé",
            "Compte rendu (fictif) : le comité constate que 350 professionnels ont été formés ; \
             l’ouverture de places d’hébergement prend du retard faute de financement.",
            vec!["Publier un point d’étape trimestriel sur la formation (décision fictive)."],
            vec![(
                "Présenter un calendrier d’ouverture des places (fictif)",
                "DGCS (fictive)",
                "2025-06-30",
                Some(measure(2)?),
            )],
        ),
        (
            times("2025-10-07", (9, 30), (12, 0))?,
            "Ordre du jour (fictif) :\n1. Suivi des actions du 18 mars\n2. Préparation du plan annuel 2026",
            "Compte rendu (fictif) : le calendrier d’ouverture des places est présenté ; \
             les représentants des victimes demandent un référent dans chaque préfecture.",
            vec![
                "Adopter le calendrier d’ouverture des places (décision fictive).",
                "Inscrire la formation des magistrats au plan annuel 2026 (décision fictive).",
            ],
            vec![
                (
                    "Étendre la formation aux inspecteurs du travail (fictif)",
                    "MIPROF (fictive)",
                    "2026-03-31",
                    Some(measure(1)?),
                ),
                (
                    "Diffuser le compte rendu aux membres (fictif)",
                    "Secrétariat du comité (fictif)",
                    "2025-10-31",
                    None,
                ),
            ],
        ),
    ];
    for (when, agenda, minutes, decisions, actions) in meetings {
        let draft = MeetingDraft {
            times: when,
            place: "Paris, salle de réunion de démonstration (fictive)".to_owned(),
            agenda: agenda.to_owned(),
        };
        let id = committee::add_meeting(tx, &manage, &draft).await?;
        let record = MeetingRecord {
            minutes: minutes.to_owned(),
            held: true,
            // Everyone but the last member came.
            present: members.iter().take(MEMBERS.len() - 1).cloned().collect(),
        };
        committee::record_meeting(tx, &manage, &id, &record).await?;
        for decision in decisions {
            committee::add_decision(tx, &manage, &id, decision).await?;
        }
        for (text, owner, due, measure_id) in actions {
            let item = NewActionItem {
                text: text.to_owned(),
                owner: owner.to_owned(),
                due: day(due)?,
                measure_id,
            };
            committee::add_action_item(tx, &manage, &id, &item).await?;
        }
    }
    let planned = MeetingDraft {
        times: times("2026-12-15", (14, 0), (17, 0))?,
        place: "Paris, salle de réunion de démonstration (fictive)".to_owned(),
        agenda: "Ordre du jour (fictif) :\n1. Bilan 2026\n2. Plan annuel 2027".to_owned(),
    };
    committee::add_meeting(tx, &manage, &planned).await?;
    Ok(())
}
