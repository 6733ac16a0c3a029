//! The NRM's own referrals as one of the observatory's sources (issue 14,
//! part 4): a `records` source whose file is written by Relais itself from
//! the referrals (`relais_store::observatory::nrm`), one line per referral
//! under the person's keyed pseudonym, and imported like any other file, so
//! that it is checked, versioned and shown with its definitions. A refresh
//! that would import the same file again imports nothing.

use crate::sources::ImportError;
pub use crate::written_source::Refreshed;
use crate::written_source::{self, Written};
use relais_domain::access::organisation::OrganisationType;
use relais_domain::intake::referral::ExploitationForm;
use relais_domain::intake::referral::status::Status;
use relais_domain::observatory::source::RawDefinition;
use relais_store::Tx;
use relais_store::observatory::{self as store, nrm::NrmRecord};

/// The source's code.
pub const CODE: &str = "relais-mnr";

/// The form column's value for a referral declaring several forms.
const SEVERAL: &str = "multiple";

fn quoted(values: impl IntoIterator<Item = &'static str>) -> String {
    let list: Vec<String> = values.into_iter().map(|v| format!("\"{v}\"")).collect();
    format!("[{}]", list.join(", "))
}

/// The source's Table Schema descriptor.
pub fn schema() -> String {
    let forms = quoted(
        ExploitationForm::ALL
            .map(ExploitationForm::key)
            .into_iter()
            .chain([SEVERAL]),
    );
    let referrers = quoted(
        OrganisationType::ALL
            .map(OrganisationType::key)
            .into_iter()
            .chain(["public"]),
    );
    let statuses = quoted(Status::ALL.into_iter().filter(|s| *s != Status::Draft).map(Status::key));
    format!(
        r#"{{
  "fields": [
    {{"name": "pseudonyme", "type": "string", "title": "Pseudonyme de la personne (clé du serveur)", "constraints": {{"required": true, "pattern": "[0-9a-f]{{64}}"}}}},
    {{"name": "annee", "type": "year", "title": "Année de l’orientation", "constraints": {{"required": true, "minimum": 2000, "maximum": 2100}}}},
    {{"name": "departement", "type": "string", "title": "Département", "constraints": {{"pattern": "0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6]"}}}},
    {{"name": "forme", "type": "string", "title": "Forme d’exploitation", "constraints": {{"enum": {forms}}}}},
    {{"name": "sexe", "type": "string", "title": "Sexe", "constraints": {{"enum": ["F", "M", "autre"]}}}},
    {{"name": "mineur", "type": "string", "title": "Mineur ou âge contesté", "constraints": {{"required": true, "enum": ["oui", "non"]}}}},
    {{"name": "nationalite", "type": "string", "title": "Nationalité (ISO 3166 alpha-3)", "constraints": {{"pattern": "[A-Z]{{3}}"}}}},
    {{"name": "orienteur", "type": "string", "title": "Type d’organisation qui oriente", "constraints": {{"required": true, "enum": {referrers}}}}},
    {{"name": "statut", "type": "string", "title": "Statut de l’orientation", "constraints": {{"required": true, "enum": {statuses}}}}}
  ],
  "missingValues": [""]
}}"#
    )
}

/// The source's definitions.
pub fn definition() -> RawDefinition {
    let text = |s: &str| s.to_owned();
    RawDefinition {
        code: text(CODE),
        name: text("Orientations reçues par le mécanisme national d’orientation (Relais)"),
        producer: text("Relais — mécanisme national d’orientation"),
        unit: text("victim"),
        data_kind: text("records"),
        counting_rule: text(
            "Une ligne par orientation transmise, sous le pseudonyme de la personne (le même pour ses \
             orientations successives lorsqu’elle est reconnue), comptée l’année de sa transmission. \
             Les brouillons ne sont pas comptés.",
        ),
        period: text("Depuis la mise en service"),
        territory: text("France entière"),
        contact: text("L’équipe de l’observatoire"),
        quality_notes: text(
            "Écrit par Relais à partir des orientations : catégories seulement, aucune donnée nominative \
             ni texte libre, l’année et non la date. Plusieurs formes déclarées : « multiple ». \
             Actualisé chaque jour ; un changement de clé du serveur change les pseudonymes.",
        ),
    }
}

/// The file's first line: the schema's fields in order.
const HEADER: &str = "pseudonyme,annee,departement,forme,sexe,mineur,nationalite,orienteur,statut\n";

/// Appends `r`'s line to the file: its fields in the schema's order.
fn push_line(file: &mut String, r: &NrmRecord) {
    let form = match r.forms.as_slice() {
        [] => "",
        [one] => one.as_str(),
        _ => SEVERAL,
    };
    let sex = match r.sex.as_deref() {
        Some("female") => "F",
        Some("male") => "M",
        Some("other") => "autre",
        _ => "",
    };
    let year = r.year.to_string();
    let fields = [
        r.pseudonym.as_str(),
        &year,
        r.departement.as_deref().unwrap_or(""),
        form,
        sex,
        if r.child { "oui" } else { "non" },
        r.nationality.as_deref().unwrap_or(""),
        r.referrer.as_deref().unwrap_or("public"),
        r.status.as_str(),
    ];
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            file.push(',');
        }
        file.push_str(field);
    }
    file.push('\n');
}

/// Writes the referrals' file and imports it as the source's next version,
/// creating the source the first time; the caller commits.
pub async fn refresh(tx: &mut Tx) -> Result<Refreshed, ImportError> {
    let file = file(tx).await?;
    import(tx, &file).await
}

/// The referrals' pseudonymised file. Only reads: the daily job calls it in
/// a read transaction, so reading every referral holds no lock (ADR 0052).
pub async fn file(tx: &mut Tx) -> Result<String, ImportError> {
    let mut file = HEADER.to_owned();
    store::nrm::each_record(tx, |record| push_line(&mut file, &record)).await?;
    Ok(file)
}

/// Imports `file` as the source's next version unless it is the current
/// one, creating the source the first time; the caller commits.
pub async fn import(tx: &mut Tx, file: &str) -> Result<Refreshed, ImportError> {
    let written = Written {
        code: CODE,
        definition: definition(),
        schema: schema(),
        file,
        file_name: "relais-orientations.csv",
        note: "Actualisation automatique à partir des orientations.",
    };
    written_source::refresh(tx, &written).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{self, Schema};

    fn record(forms: &[&str], sex: Option<&str>, referrer: Option<&str>) -> NrmRecord {
        NrmRecord {
            pseudonym: "ab".repeat(32),
            year: 2026,
            departement: Some("93".into()),
            forms: forms.iter().map(|f| (*f).to_owned()).collect(),
            sex: sex.map(str::to_owned),
            child: false,
            nationality: Some("NGA".into()),
            referrer: referrer.map(str::to_owned),
            status: "accepted".into(),
        }
    }

    #[test]
    fn the_file_follows_the_schema_and_coarsens_the_categories() {
        let records = [
            record(&["sexual"], Some("female"), Some("police")),
            record(&["labour", "sexual"], Some("unknown"), None),
            record(&[], None, Some("association")),
        ];
        let mut file = HEADER.to_owned();
        for r in &records {
            push_line(&mut file, r);
        }
        let schema = Schema::parse(&schema()).unwrap();
        let rows = import::prepare(&schema, file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert!(file.contains(",2026,93,sexual,F,non,NGA,police,accepted"));
        assert!(file.contains(",multiple,,non,NGA,public,accepted"), "{file}");
        assert!(definition().check().is_ok());
    }
}
