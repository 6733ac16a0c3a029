//! Demonstration service directory: fictional shelters with secure distant
//! places near the demo referrals (Seine-Saint-Denis, one of them full) and
//! far from there, a few other services, and one fictional trafficking
//! contact per prefecture.

use anyhow::Context;
use relais_domain::directory::{PrefectureContact, RawPrefectureContact, RawService, ServiceRecord};
use relais_domain::ids::OrganisationId;
use relais_domain::territory::Departement;
use relais_store::{Tx, directory};

/// The demo shelter whose support worker (`foyer@demo.relais.test`) reports its places.
pub const SHELTER: &str = "Foyer Horizon (fictif)";
/// A national network of distant shelters, whose support worker
/// (`reseau@demo.relais.test`) answers safe distant placement requests.
pub const NETWORK: &str = "Réseau d'hébergement sécurisé (fictif)";

/// (owner, département, name, kind, covers, sexes, min age, max age, children, forms, languages, places)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const SERVICES: [Row; 12] = [
    (
        SHELTER,
        "93",
        "Foyer Horizon — Saint-Denis (fictif)",
        "accommodation",
        "*",
        "female",
        "18",
        "",
        "yes",
        "",
        "fr en",
        "emergency:1/3 secure-distant:2/4",
    ),
    (
        SHELTER,
        "93",
        "Foyer Horizon — Montreuil (fictif)",
        "accommodation",
        "*",
        "",
        "18",
        "",
        "no",
        "",
        "fr ar",
        "secure-distant:0/3",
    ),
    (
        "Association Passerelle (fictive)",
        "75",
        "Maison Passerelle (fictive)",
        "accommodation",
        "75 92 93 94",
        "female",
        "18",
        "",
        "yes",
        "sexual",
        "fr en ro",
        "specialised:1/5 secure-distant:1/2",
    ),
    (
        NETWORK,
        "13",
        "Escale Sud — Marseille (fictive)",
        "accommodation",
        "*",
        "female",
        "18",
        "",
        "yes",
        "",
        "fr en es",
        "secure-distant:3/6",
    ),
    (
        NETWORK,
        "33",
        "Refuge Atlantique — Bordeaux (fictif)",
        "accommodation",
        "*",
        "",
        "18",
        "",
        "no",
        "labour domestic-servitude",
        "fr pt",
        "secure-distant:2/5",
    ),
    (
        NETWORK,
        "35",
        "Foyer Armor — Rennes (fictif)",
        "accommodation",
        "*",
        "male",
        "18",
        "",
        "no",
        "",
        "fr en",
        "secure-distant:1/4",
    ),
    (
        NETWORK,
        "67",
        "Maison Rhin — Strasbourg (fictive)",
        "accommodation",
        "*",
        "",
        "18",
        "",
        "yes",
        "",
        "fr de ro",
        "secure-distant:2/3",
    ),
    (
        NETWORK,
        "69",
        "Foyer Rhône — Lyon (fictif)",
        "accommodation",
        "*",
        "female",
        "18",
        "25",
        "yes",
        "sexual forced-criminality",
        "fr en",
        "secure-distant:1/2",
    ),
    (
        "Centre hospitalier de Lille (fictif)",
        "59",
        "Consultation victimes de violences (fictive)",
        "medical",
        "59 62",
        "",
        "",
        "",
        "yes",
        "",
        "fr en nl",
        "",
    ),
    (
        "Association Passerelle (fictive)",
        "75",
        "Permanence juridique Passerelle (fictive)",
        "legal-aid",
        "75 92 93 94",
        "",
        "",
        "",
        "yes",
        "",
        "fr en",
        "",
    ),
    (
        "Association Passerelle (fictive)",
        "75",
        "Interprétariat par téléphone (fictif)",
        "interpreting",
        "*",
        "",
        "",
        "",
        "yes",
        "",
        "en es ro bg zh vi ar",
        "",
    ),
    (
        "OFII — direction territoriale (fictive)",
        "75",
        "Aide au retour volontaire (fictive)",
        "return",
        "*",
        "",
        "18",
        "",
        "yes",
        "",
        "fr en",
        "",
    ),
];

/// Seeds the directory; `named` gives the demo organisations by name.
pub async fn seed(tx: &mut Tx, named: &[(&str, OrganisationId)]) -> anyhow::Result<()> {
    for (owner, departement, name, kind, covers, sexes, min_age, max_age, children, forms, languages, places) in
        SERVICES
    {
        let organisation = named
            .iter()
            .find(|(n, _)| *n == owner)
            .map(|(_, id)| id.clone())
            .context("demo service owner")?;
        let slug: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(12)
            .collect::<String>()
            .to_lowercase();
        let raw = RawService {
            departement: departement.into(),
            organisation: owner.into(),
            name: name.into(),
            kind: kind.into(),
            covers: covers.into(),
            sexes: sexes.into(),
            min_age: min_age.into(),
            max_age: max_age.into(),
            children: children.into(),
            forms: forms.into(),
            languages: languages.into(),
            contact: format!("{slug}@demo.relais.test — 01 00 00 00 00"),
            places: places.into(),
        };
        let record = ServiceRecord::parse(&raw).map_err(|p| anyhow::anyhow!("demo service {name}: {p:?}"))?;
        directory::upsert_service(tx, &organisation, &record).await?;
    }
    for departement in Departement::all() {
        let code = departement.code();
        let town = relais_domain::geo::place(departement).map_or(code, |p| p.prefecture);
        let raw = RawPrefectureContact {
            departement: code.into(),
            prefecture: format!("Préfecture de {town} (fictive)"),
            name: format!("Référent traite des êtres humains — Préfecture de {town} (fictif)"),
            email: format!("referent-teh-{}@demo.relais.test", code.to_lowercase()),
            phone: "01 00 00 00 00".into(),
        };
        let contact =
            PrefectureContact::parse(&raw).map_err(|p| anyhow::anyhow!("demo prefecture contact {code}: {p:?}"))?;
        directory::upsert_prefecture_contact(tx, &contact).await?;
    }
    Ok(())
}
