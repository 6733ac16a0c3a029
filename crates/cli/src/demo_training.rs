//! Studies and training in the demo (issue 14, part 8): a few library
//! entries (published with a link or a PDF, a draft, a withdrawn one), a
//! dozen training sessions of 2025, and two indicators of the fictional
//! plan's first measure counted from them. Everything is fictional, and
//! the links point at the reserved example.org domain.

use relais_domain::coordination::annual::Indicator;
use relais_domain::coordination::measure::PlanCode;
use relais_domain::observatory::library::{Event, RawEntry};
use relais_domain::observatory::training::{Profession, RawSession, TrainingCount};
use relais_domain::time::{Date, Zone};
use relais_store::Tx;
use relais_store::coordination::annual::{self, YearMeasure, YearSeed};
use relais_store::observatory::{library, training};

/// A one-page PDF saying it is a demonstration document.
const DEMO_PDF: &[u8] = b"%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 62 >> stream
BT /F1 18 Tf 72 760 Td (Document de demonstration - fictif) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
trailer << /Root 1 0 R >>
%%EOF
";

/// Title, producer, publication day, kind, audiences, summary, link (or the
/// PDF when empty), and what happens to it after it is saved.
type DemoEntry = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static [Event],
);

const ENTRIES: [DemoEntry; 5] = [
    (
        "Repérer et orienter les victimes de traite : guide pour les professionnels (fictif)",
        "Observatoire de démonstration",
        "2025-10-18",
        "guide",
        &[
            "police",
            "gendarmerie",
            "labour-inspectorate",
            "health",
            "social-services",
            "association",
        ],
        "Les indicateurs de repérage, les questions à poser sans mettre la personne en danger et les \
         contacts utiles par département. Document fictif de démonstration.",
        "https://www.example.org/relais-demo/guide-reperage.pdf",
        &[Event::Publish],
    ),
    (
        "Enquête annuelle auprès des associations : principaux résultats (fictif)",
        "Observatoire de démonstration",
        "2025-11-20",
        "study",
        &["association", "social-services", "other"],
        "Les personnes accompagnées par les associations, par forme d’exploitation, sexe et âge. \
         Chiffres fictifs de démonstration.",
        "",
        &[Event::Publish],
    ),
    (
        "Affiche : « Travail forcé, vous pouvez en parler » (fictif)",
        "Coordination nationale de démonstration",
        "2025-03-08",
        "awareness",
        &["labour-inspectorate", "health", "education"],
        "Une affiche pour les salles d’attente et les lieux de contrôle, avec le numéro d’écoute. \
         Support fictif de démonstration.",
        "https://www.example.org/relais-demo/affiche-travail-force",
        &[Event::Publish, Event::Withdraw],
    ),
    (
        "Kit de formation des magistrats référents (fictif)",
        "École de démonstration",
        "2025-06-02",
        "training-kit",
        &["justice"],
        "Déroulé, cas pratiques et supports projetés d’une journée de formation. Kit fictif de démonstration.",
        "https://www.example.org/relais-demo/kit-magistrats",
        &[Event::Publish],
    ),
    (
        "Rapport d’évaluation des formations 2025 (brouillon, fictif)",
        "Observatoire de démonstration",
        "2025-12-01",
        "report",
        &["police", "gendarmerie", "justice"],
        "Bilan des sessions de formation de l’année. Brouillon fictif, non publié.",
        "https://www.example.org/relais-demo/bilan-formations",
        &[],
    ),
];

/// Day, theme, organiser, département and people trained by profession.
type DemoSession = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, u32)],
);

const SESSIONS: [DemoSession; 12] = [
    (
        "2025-01-21",
        "Repérer les victimes d’exploitation sexuelle",
        "École de police de démonstration",
        "13",
        &[("police", 34), ("gendarmerie", 6)],
    ),
    (
        "2025-02-11",
        "Le travail forcé dans l’agriculture",
        "Institut du travail de démonstration",
        "33",
        &[("labour-inspectorate", 22), ("gendarmerie", 9)],
    ),
    (
        "2025-03-04",
        "Accueillir une victime aux urgences",
        "Centre hospitalier de démonstration",
        "69",
        &[("health", 41), ("social-services", 3)],
    ),
    (
        "2025-03-25",
        "Mineurs contraints à commettre des délits",
        "École de la magistrature de démonstration",
        "75",
        &[("justice", 28), ("social-services", 12)],
    ),
    (
        "2025-04-15",
        "Repérage en milieu scolaire",
        "Rectorat de démonstration",
        "59",
        &[("education", 57)],
    ),
    (
        "2025-05-13",
        "L’orientation vers un hébergement sécurisé",
        "Association Passerelle (fictive)",
        "31",
        &[("association", 19), ("social-services", 15)],
    ),
    (
        "2025-06-10",
        "Servitude domestique : signaux d’alerte",
        "Association de démonstration",
        "06",
        &[("association", 11), ("social-services", 8), ("other", 2)],
    ),
    (
        "2025-09-16",
        "Les contrôles conjoints sur les chantiers",
        "Institut du travail de démonstration",
        "93",
        &[("labour-inspectorate", 17), ("police", 12)],
    ),
    (
        "2025-10-07",
        "Auditionner une victime",
        "École de police de démonstration",
        "67",
        &[("police", 26), ("gendarmerie", 14)],
    ),
    (
        "2025-10-21",
        "Mendicité forcée : repérer et protéger",
        "Coordination nationale de démonstration",
        "971",
        &[("police", 7), ("social-services", 9), ("association", 4)],
    ),
    (
        "2025-11-18",
        "Les droits au séjour des victimes",
        "Préfecture de démonstration",
        "44",
        &[("association", 13), ("justice", 3), ("other", 6)],
    ),
    (
        "2025-12-02",
        "Repérer les victimes d’exploitation sexuelle",
        "Gendarmerie de démonstration",
        "974",
        &[("gendarmerie", 31)],
    ),
];

fn check_entry(entry: &DemoEntry, today: Date) -> anyhow::Result<relais_domain::observatory::library::Entry> {
    let (title, producer, published_on, kind, audience, summary, link, _) = entry;
    let raw = RawEntry {
        title: (*title).to_owned(),
        producer: (*producer).to_owned(),
        published_on: (*published_on).to_owned(),
        kind: (*kind).to_owned(),
        audience: audience.iter().map(|a| (*a).to_owned()).collect(),
        summary: (*summary).to_owned(),
        link: (*link).to_owned(),
    };
    let file = link.is_empty().then_some(("synthese-enquete-fictive.pdf", DEMO_PDF));
    raw.check(today, file)
        .map_err(|p| anyhow::anyhow!("demo library entry {title}: {p:?}"))
}

pub async fn seed(tx: &mut Tx) -> anyhow::Result<()> {
    let today = Date::local(tx.now(), &Zone::paris());
    for demo in &ENTRIES {
        let entry = check_entry(demo, today)?;
        let file = demo.6.is_empty().then_some(DEMO_PDF);
        let id = library::create_as_system(tx, &entry, file).await?;
        for event in demo.7 {
            let reason = match event {
                Event::Withdraw => "Remplacée par une nouvelle affiche (fictif)",
                Event::Publish => "",
            };
            library::change_as_system(tx, &id, *event, reason).await?;
        }
    }
    for (held_on, title, organiser, departement, counts) in SESSIONS {
        let raw = RawSession {
            held_on: held_on.to_owned(),
            title: title.to_owned(),
            organiser: organiser.to_owned(),
            departement: departement.to_owned(),
            counts: counts.iter().map(|(k, n)| ((*k).to_owned(), n.to_string())).collect(),
        };
        let session = raw
            .check(today)
            .map_err(|p| anyhow::anyhow!("demo training session {title}: {p:?}"))?;
        training::record_as_system(tx, &session).await?;
    }
    seed_indicators(tx).await
}

/// Two indicators of the fictional plan's first measure (training the
/// professionals) counted from the training records of 2025.
async fn seed_indicators(tx: &mut Tx) -> anyhow::Result<()> {
    let at = YearMeasure {
        code: PlanCode::parse("DEMO-FICTIF").ok_or_else(|| anyhow::anyhow!("demo plan code"))?,
        year: 2025,
        number: 1,
    };
    let social_work = Profession::parse("social-services").ok_or_else(|| anyhow::anyhow!("demo profession"))?;
    let counted = |definition: &str, target: &str, profession| Indicator {
        definition: definition.to_owned(),
        unit: "personnes".to_owned(),
        source: Some("Registre des formations de Relais".to_owned()),
        baseline: None,
        target: Some(target.to_owned()),
        counts: Some(TrainingCount { profession }),
    };
    let seed = YearSeed {
        indicators: vec![
            (
                counted("Professionnels formés, registre des formations (fictif)", "600", None),
                Vec::new(),
            ),
            (
                counted("Travailleurs sociaux formés (fictif)", "60", Some(social_work)),
                Vec::new(),
            ),
        ],
        ..YearSeed::default()
    };
    annual::seed_year_as_system(tx, &at, &seed).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_entries_and_sessions_pass_the_checks() {
        let today = Date {
            year: 2026,
            month: 1,
            day: 1,
        };
        for entry in &ENTRIES {
            check_entry(entry, today).unwrap();
        }
        for (held_on, title, organiser, departement, counts) in SESSIONS {
            let raw = RawSession {
                held_on: held_on.to_owned(),
                title: title.to_owned(),
                organiser: organiser.to_owned(),
                departement: departement.to_owned(),
                counts: counts.iter().map(|(k, n)| ((*k).to_owned(), n.to_string())).collect(),
            };
            raw.check(today).unwrap();
        }
    }
}
