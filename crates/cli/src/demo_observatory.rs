//! Demo data for the observatory: two fictitious sources, each with one
//! import. Every number is invented (a fixed formula, not real statistics),
//! and each source says so in its name and quality notes.

use anyhow::Context;
use relais_domain::observatory::source::RawDefinition;
use relais_observatory::import::Schema;
use relais_observatory::sources::{self, Importer, Upload};
use relais_store::Tx;
use relais_store::observatory as store;

const FORMS: [&str; 5] = [
    "sexual",
    "labour",
    "domestic-servitude",
    "forced-begging",
    "forced-criminality",
];
const AGE_GROUPS: [&str; 5] = ["0-17", "18-24", "25-34", "35-49", "50+"];
const YEARS: [i32; 3] = [2022, 2023, 2024];

/// The police and gendarmerie's victims, an aggregated table.
pub const VICTIMS: &str = "demo-victimes-police";
/// The labour inspection's pseudonymised records.
pub const LABOUR: &str = "demo-inspection-travail";

fn victims_schema() -> String {
    format!(
        r#"{{
  "fields": [
    {{"name": "annee", "type": "year", "title": "Année d’enregistrement", "constraints": {{"required": true, "minimum": 2016, "maximum": 2030}}}},
    {{"name": "forme", "type": "string", "title": "Forme d’exploitation", "constraints": {{"required": true, "enum": {forms}}}}},
    {{"name": "sexe", "type": "string", "title": "Sexe", "constraints": {{"required": true, "enum": ["F", "M"]}}}},
    {{"name": "tranche_age", "type": "string", "title": "Tranche d’âge", "constraints": {{"required": true, "enum": {ages}}}}},
    {{"name": "victimes", "type": "integer", "title": "Victimes enregistrées", "constraints": {{"required": true, "minimum": 0}}}}
  ],
  "missingValues": [""],
  "primaryKey": ["annee", "forme", "sexe", "tranche_age"]
}}"#,
        forms = serde_json_list(&FORMS),
        ages = serde_json_list(&AGE_GROUPS),
    )
}

fn labour_schema() -> String {
    format!(
        r#"{{
  "fields": [
    {{"name": "pseudonyme", "type": "string", "title": "Pseudonyme attribué par le producteur", "constraints": {{"required": true, "pattern": "IT-[0-9A-F]{{8}}"}}}},
    {{"name": "annee", "type": "year", "title": "Année du contrôle", "constraints": {{"required": true, "minimum": 2016, "maximum": 2030}}}},
    {{"name": "departement", "type": "string", "title": "Département", "constraints": {{"required": true, "pattern": "0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6]"}}}},
    {{"name": "forme", "type": "string", "title": "Forme d’exploitation", "constraints": {{"required": true, "enum": ["labour", "domestic-servitude"]}}}},
    {{"name": "sexe", "type": "string", "title": "Sexe", "constraints": {{"enum": ["F", "M"]}}}},
    {{"name": "tranche_age", "type": "string", "title": "Tranche d’âge", "constraints": {{"enum": {ages}}}}}
  ],
  "missingValues": ["", "NR"],
  "primaryKey": ["pseudonyme"]
}}"#,
        ages = serde_json_list(&AGE_GROUPS),
    )
}

fn serde_json_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// Invented but plausible counts: a fixed formula over the cell's position.
fn victims_csv() -> String {
    let mut lines = vec!["annee;forme;sexe;tranche_age;victimes".to_owned()];
    for (y, year) in YEARS.iter().enumerate() {
        for (f, form) in FORMS.iter().enumerate() {
            for (s, sex) in ["F", "M"].iter().enumerate() {
                for (a, age) in AGE_GROUPS.iter().enumerate() {
                    // Sexual exploitation mostly women, labour mostly men; fewer minors and over-50s.
                    let base = [90, 40, 12, 8, 10][f];
                    let sex_weight = match (f, s) {
                        (0 | 2, 0) | (1 | 4, 1) => 3,
                        _ => 1,
                    };
                    let age_weight = [1, 4, 5, 3, 1][a];
                    let count = (base * sex_weight * age_weight) / 20 + (y * 3 + f + a + s) % 4;
                    lines.push(format!("{year};{form};{sex};{age};{count}"));
                }
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Three hundred invented records under invented pseudonyms, more each year (80, 100, 120),
/// spread over eight départements unevenly (Paris and Seine-Saint-Denis most, Corsica and La Réunion a few)
/// so that the statistics page's map shows circles of several sizes and hidden figures.
fn labour_csv() -> String {
    const DEPARTEMENTS: [(&str, usize); 8] = [
        ("13", 6),
        ("33", 3),
        ("59", 5),
        ("69", 4),
        ("75", 10),
        ("93", 8),
        ("2A", 1),
        ("974", 1),
    ];
    let slots: Vec<&str> = DEPARTEMENTS
        .iter()
        .flat_map(|(code, weight)| std::iter::repeat_n(*code, *weight))
        .collect();
    let mut lines = vec!["pseudonyme,annee,departement,forme,sexe,tranche_age".to_owned()];
    for i in 0..300_usize {
        let pseudonym = format!("IT-{:08X}", 0x1A2B_0000_u32 + u32::try_from(i * 7919).unwrap_or(0));
        let year = match i {
            0..80 => YEARS[0],
            80..180 => YEARS[1],
            _ => YEARS[2],
        };
        // 7 and the number of slots have no common factor: every slot comes round.
        let departement = slots[(i * 7) % slots.len()];
        let form = if i % 6 == 0 { "domestic-servitude" } else { "labour" };
        let sex = if i % 6 == 0 || i % 5 == 0 { "F" } else { "M" };
        let age = if i % 11 == 0 { "NR" } else { AGE_GROUPS[1 + (i * 3) % 4] };
        lines.push(format!("{pseudonym},{year},{departement},{form},{sex},{age}"));
    }
    lines.join("\n") + "\n"
}

struct DemoSource {
    definition: RawDefinition,
    schema: String,
    file_name: &'static str,
    file: String,
    note: &'static str,
}

fn demo_sources() -> [DemoSource; 2] {
    let text = |s: &str| s.to_owned();
    [
        DemoSource {
            definition: RawDefinition {
                code: text(VICTIMS),
                name: text("Victimes enregistrées par la police et la gendarmerie (données fictives)"),
                producer: text(
                    "Service statistique ministériel de la sécurité intérieure — source fictive de démonstration",
                ),
                unit: text("victim"),
                data_kind: text("aggregated"),
                counting_rule: text(
                    "Une victime par procédure enregistrée pour traite ou exploitation, comptée l’année de l’enregistrement.",
                ),
                period: text("2022 à 2024"),
                territory: text("France entière (hors Nouvelle-Calédonie et Polynésie française)"),
                contact: text("bureau-statistiques@demo.relais.test"),
                quality_notes: text(
                    "DONNÉES FICTIVES pour la démonstration : chiffres inventés, sans lien avec les statistiques publiées.",
                ),
            },
            schema: victims_schema(),
            file_name: "victimes-2022-2024-fictif.csv",
            file: victims_csv(),
            note: "Tableau de démonstration (fictif).",
        },
        DemoSource {
            definition: RawDefinition {
                code: text(LABOUR),
                name: text("Situations relevées par l’inspection du travail (données fictives)"),
                producer: text("Direction générale du travail — source fictive de démonstration"),
                unit: text("victim"),
                data_kind: text("records"),
                counting_rule: text(
                    "Une ligne par personne repérée lors d’un contrôle, sous un pseudonyme stable attribué par le producteur.",
                ),
                period: text("2022 à 2024"),
                territory: text("France entière"),
                contact: text("observatoire-dgt@demo.relais.test"),
                quality_notes: text(
                    "DONNÉES FICTIVES pour la démonstration : pseudonymes et situations inventés. NR : non renseigné.",
                ),
            },
            schema: labour_schema(),
            file_name: "inspection-travail-fictif.csv",
            file: labour_csv(),
            note: "Extraction de démonstration (fictive).",
        },
    ]
}

/// Creates the two sources and imports their files.
pub async fn seed(tx: &mut Tx) -> anyhow::Result<()> {
    for source in demo_sources() {
        let definition = source
            .definition
            .check()
            .map_err(|p| anyhow::anyhow!("demo source definition: {p:?}"))?;
        Schema::parse(&source.schema).map_err(|p| anyhow::anyhow!("demo schema: {p:?}"))?;
        store::create_source_as_system(tx, &definition, &source.schema).await?;
        let upload = Upload {
            file_name: source.file_name,
            bytes: source.file.as_bytes(),
            note: source.note,
        };
        sources::import(tx, Importer::System, &definition.code, &upload)
            .await
            .map_err(|e| match e {
                sources::ImportError::Invalid(problems) => anyhow::anyhow!(
                    "demo file: {}",
                    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
                ),
                other => anyhow::Error::from(other),
            })
            .context("demo observatory import")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_files_follow_their_schemas() {
        for source in demo_sources() {
            let schema = Schema::parse(&source.schema).unwrap();
            let rows = relais_observatory::import::prepare(&schema, source.file.as_bytes()).unwrap();
            assert!(rows.len() >= 60, "{}", source.file_name);
            assert!(source.definition.check().is_ok());
            assert!(source.definition.quality_notes.contains("FICTIVES"));
        }
    }
}
