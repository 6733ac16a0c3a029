//! The demo's published release: last complete year of the two fictitious
//! sources, frozen and published as an analyst would, so that the public
//! page of publications has something to show.

use relais_domain::access::authz::{self, Capability, ManageObservatory, Principal};
use relais_domain::observatory::release::{Act, DraftInput};
use relais_observatory::release::{self, Prepared};
use relais_stats::{DEFAULT_MIN_GROUP, Disclosure};
use relais_store::Tx;
use relais_store::observatory::release as store;

use crate::demo_observatory::{LABOUR, VICTIMS};

const NOTE: &str = "Données fictives de démonstration. Les victimes enregistrées par les services de police \
et de gendarmerie sont comptées une fois par procédure ; les personnes repérées par l’inspection du travail \
une fois par contrôle. Les deux sources se recoupent et ne s’additionnent pas. Aucun chiffre ne porte sur \
moins de cinq personnes, et les chiffres qui permettraient de retrouver un petit effectif par soustraction \
sont masqués (« x »).";

pub async fn seed(tx: &mut Tx, analyst: &Principal) -> anyhow::Result<()> {
    let can: Capability<ManageObservatory> = authz::authorize(analyst).map_err(anyhow::Error::msg)?;
    let tables = [
        format!("{VICTIMS}/form"),
        format!("{VICTIMS}/sex"),
        format!("{VICTIMS}/age_group"),
        format!("{LABOUR}/departement"),
    ];
    let draft = DraftInput {
        title: "Rapport annuel de l’observatoire 2024 (démonstration)".into(),
        year: "2024".into(),
        note: NOTE.into(),
        tables: tables.to_vec(),
        epsilon: String::new(),
    }
    .check(2024)
    .map_err(|p| anyhow::anyhow!("demo release: {p:?}"))?;
    let id = match release::prepare(tx, &can, &draft, Disclosure::new(DEFAULT_MIN_GROUP)).await? {
        Prepared::Drafted(id) => id,
        Prepared::Refused(refused) => anyhow::bail!("demo release refused: {refused:?}"),
    };
    store::decide(tx, &can, &id, Act::Publish).await?;
    Ok(())
}
