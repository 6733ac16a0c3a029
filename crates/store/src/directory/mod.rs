//! The service directory (issue 6): services with whom they accept and their
//! accommodation places, prefecture contact persons, CSV import (all or
//! nothing) and export. None of it is about a person, so nothing here is
//! encrypted; reads and writes are audited like everything else.

use crate::audit::{Action, Object};
use crate::csv_rows::CsvRow;
use crate::{Actor, Result, Store, StoreError, Tx};
use relais_domain::access::authz::{Capability, Denied, ImportDirectory, ManageServices, ViewDirectory};
use relais_domain::casework::needs::AccommodationType;
use relais_domain::casework::placement::{Acceptance, Offer};
use relais_domain::directory::{
    self, PREFECTURE_COLUMNS, Places, PrefectureContact, Problem, RawPrefectureContact, RawService, SERVICE_COLUMNS,
    ServiceKind, ServiceRecord,
};
use relais_domain::ids::{OrganisationId, ServiceId, UserId};
use relais_domain::spreadsheet;
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::Timestamp;
use std::collections::{HashMap, HashSet};
use strum::EnumCount;

/// Places of one type as stored, with who reported them and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceRow {
    pub place_type: String,
    pub total: i64,
    pub free: i64,
    pub updated_at: Timestamp,
}

/// A service as stored; list fields are space-separated keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub id: ServiceId,
    pub organisation_id: OrganisationId,
    pub organisation: String,
    pub name: String,
    pub kind: String,
    pub departement: String,
    pub covers: String,
    pub accepts_sexes: String,
    pub min_age: Option<i64>,
    pub max_age: Option<i64>,
    pub accepts_children: bool,
    pub forms: String,
    pub languages: String,
    pub contact: String,
    pub updated_at: Timestamp,
    pub places: Vec<PlaceRow>,
}

/// The list's filters; `None` is "any".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    /// Services covering this département (or the whole country).
    pub departement: Option<Departement>,
    pub kind: Option<ServiceKind>,
}

#[derive(sqlx::FromRow)]
struct ServiceSql {
    id: String,
    organisation_id: String,
    organisation: String,
    name: String,
    kind: String,
    departement: String,
    covers: String,
    accepts_sexes: String,
    min_age: Option<i64>,
    max_age: Option<i64>,
    accepts_children: i64,
    forms: String,
    languages: String,
    contact: String,
    updated_at: i64,
}

const SERVICE_COLUMNS_SQL: &str = "s.id, s.organisation_id, o.name AS organisation, s.name, s.kind, s.departement, \
     s.covers, s.accepts_sexes, s.min_age, s.max_age, s.accepts_children, s.forms, s.languages, s.contact, s.updated_at";

fn from_sql(row: ServiceSql) -> Result<Service> {
    Ok(Service {
        id: ServiceId::parse(&row.id).ok_or(StoreError::Corrupt("service id"))?,
        organisation_id: OrganisationId::parse(&row.organisation_id).ok_or(StoreError::Corrupt("organisation id"))?,
        organisation: row.organisation,
        name: row.name,
        kind: row.kind,
        departement: row.departement,
        covers: row.covers,
        accepts_sexes: row.accepts_sexes,
        min_age: row.min_age,
        max_age: row.max_age,
        accepts_children: row.accepts_children != 0,
        forms: row.forms,
        languages: row.languages,
        contact: row.contact,
        updated_at: Timestamp(row.updated_at),
        places: vec![],
    })
}

/// The WHERE clause of a filter and its bound values. The clause is built
/// from fixed text only; values are bound.
fn filter_sql(filter: &Filter) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    if let Some(kind) = filter.kind {
        binds.push(kind.key().to_owned());
        clauses.push(format!("s.kind = ${}", binds.len()));
    }
    if let Some(departement) = filter.departement {
        binds.push(departement.code().to_owned());
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM service_covers c WHERE c.service_id = s.id AND c.departement IN ('*', ${}))",
            binds.len()
        ));
    }
    let clause = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    (clause, binds)
}

/// Services matching the filter with their places: two queries whatever the
/// number of services.
async fn services(tx: &mut Tx, filter: &Filter) -> Result<Vec<Service>> {
    let (clause, binds) = filter_sql(filter);
    let query = format!(
        "SELECT {SERVICE_COLUMNS_SQL} FROM services s JOIN organisations o ON o.id = s.organisation_id{clause} \
         ORDER BY s.departement, s.name, s.id"
    );
    let mut select = sqlx::query_as::<_, ServiceSql>(&query);
    for value in &binds {
        select = select.bind(value.clone());
    }
    let rows = select.fetch_all(tx.conn()).await?;
    let mut list = rows.into_iter().map(from_sql).collect::<Result<Vec<_>>>()?;
    let places_query = format!(
        "SELECT p.service_id, p.place_type, p.total, p.free, p.updated_at FROM service_places p \
         JOIN services s ON s.id = p.service_id{clause} ORDER BY p.service_id, p.place_type"
    );
    let mut select = sqlx::query_as::<_, (String, String, i64, i64, i64)>(&places_query);
    for value in &binds {
        select = select.bind(value.clone());
    }
    let mut by_service: HashMap<String, Vec<PlaceRow>> = HashMap::new();
    for (service_id, place_type, total, free, updated_at) in select.fetch_all(tx.conn()).await? {
        by_service.entry(service_id).or_default().push(PlaceRow {
            place_type,
            total,
            free,
            updated_at: Timestamp(updated_at),
        });
    }
    for service in &mut list {
        service.places = by_service.remove(service.id.as_str()).unwrap_or_default();
    }
    Ok(list)
}

/// The directory's services matching `filter`, with their places.
pub async fn list_services(tx: &mut Tx, _can: &Capability<ViewDirectory>, filter: &Filter) -> Result<Vec<Service>> {
    let list = services(tx, filter).await?;
    tx.audit(Action::DirectoryServiceList, Object::Service, None, None)
        .await?;
    Ok(list)
}

async fn find(tx: &mut Tx, id: &ServiceId) -> Result<Service> {
    let query = format!(
        "SELECT {SERVICE_COLUMNS_SQL} FROM services s JOIN organisations o ON o.id = s.organisation_id WHERE s.id = $1"
    );
    let row: ServiceSql = sqlx::query_as(&query)
        .bind(id.as_str().to_owned())
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut service = from_sql(row)?;
    let places: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT place_type, total, free, updated_at FROM service_places WHERE service_id = $1 ORDER BY place_type",
    )
    .bind(id.as_str().to_owned())
    .fetch_all(tx.conn())
    .await?;
    service.places = places
        .into_iter()
        .map(|(place_type, total, free, updated_at)| PlaceRow {
            place_type,
            total,
            free,
            updated_at: Timestamp(updated_at),
        })
        .collect();
    Ok(service)
}

/// One service with its places.
pub async fn service(tx: &mut Tx, _can: &Capability<ViewDirectory>, id: &ServiceId) -> Result<Service> {
    let service = find(tx, id).await?;
    tx.audit(Action::DirectoryServiceRead, Object::Service, Some(id.as_str()), None)
        .await?;
    Ok(service)
}

/// Whether the capability lets its holder report this service's places
/// (their own organisation's accommodation services only).
pub fn may_manage(can: &Capability<ManageServices>, service: &Service) -> bool {
    service.kind == ServiceKind::Accommodation.key()
        && can.scope().covers(&service.organisation_id, Territory::National)
}

/// Reports the places of the actor's own organisation's service: each type
/// given is replaced, with the reporter and the time.
pub async fn update_places(
    tx: &mut Tx,
    can: &Capability<ManageServices>,
    id: &ServiceId,
    places: &[Places],
) -> Result<()> {
    let service = find(tx, id).await?;
    if !may_manage(can, &service) {
        return Err(StoreError::Denied(Denied::NotPermitted));
    }
    let actor = Some(can.actor().clone());
    for p in places {
        write_places(tx, id, p, actor.as_ref()).await?;
    }
    tx.audit(Action::DirectoryPlacesUpdate, Object::Service, Some(id.as_str()), None)
        .await
}

async fn write_places(tx: &mut Tx, id: &ServiceId, places: &Places, by: Option<&UserId>) -> Result<()> {
    let now = tx.now().0;
    sqlx::query("DELETE FROM service_places WHERE service_id = $1 AND place_type = $2")
        .bind(id.as_str().to_owned())
        .bind(places.place_type.key())
        .execute(tx.conn())
        .await?;
    sqlx::query(
        "INSERT INTO service_places (service_id, place_type, total, free, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.as_str().to_owned())
    .bind(places.place_type.key())
    .bind(i64::from(places.total))
    .bind(i64::from(places.free))
    .bind(now)
    .bind(by.map(|u| u.as_str().to_owned()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

fn joined<T>(items: &[T], key: impl Fn(&T) -> &str) -> String {
    items.iter().map(key).collect::<Vec<_>>().join(" ")
}

/// Adds a service, or replaces the one of the same organisation and name.
/// Its places are replaced by the record's. Used by the import and the demo.
pub async fn upsert_service(tx: &mut Tx, organisation: &OrganisationId, record: &ServiceRecord) -> Result<ServiceId> {
    let now = tx.now().0;
    let existing: Option<(String,)> =
        sqlx::query_as("SELECT id FROM services WHERE organisation_id = $1 AND name = $2")
            .bind(organisation.as_str().to_owned())
            .bind(record.name.clone())
            .fetch_optional(tx.conn())
            .await?;
    let accepts = &record.accepts;
    let sexes = joined(&accepts.sexes, |s| s.key());
    let forms = joined(&accepts.forms, |f| f.key());
    let languages = accepts.languages.join(" ");
    let id = match existing {
        Some((id,)) => {
            let id = ServiceId::parse(&id).ok_or(StoreError::Corrupt("service id"))?;
            sqlx::query(
                "UPDATE services SET kind = $1, departement = $2, covers = $3, accepts_sexes = $4, min_age = $5, \
                 max_age = $6, accepts_children = $7, forms = $8, languages = $9, contact = $10, updated_at = $11 \
                 WHERE id = $12",
            )
            .bind(record.kind.key())
            .bind(record.departement.code())
            .bind(record.covers.to_text())
            .bind(sexes)
            .bind(accepts.min_age.map(i64::from))
            .bind(accepts.max_age.map(i64::from))
            .bind(i64::from(accepts.children))
            .bind(forms)
            .bind(languages)
            .bind(record.contact.clone())
            .bind(now)
            .bind(id.as_str().to_owned())
            .execute(tx.conn())
            .await?;
            for table in ["service_covers", "service_places"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE service_id = $1"))
                    .bind(id.as_str().to_owned())
                    .execute(tx.conn())
                    .await?;
            }
            id
        }
        None => {
            let id = ServiceId::from_bytes(crate::record_id());
            sqlx::query(
                "INSERT INTO services (id, organisation_id, name, kind, departement, covers, accepts_sexes, min_age, \
                 max_age, accepts_children, forms, languages, contact, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
            )
            .bind(id.as_str().to_owned())
            .bind(organisation.as_str().to_owned())
            .bind(record.name.clone())
            .bind(record.kind.key())
            .bind(record.departement.code())
            .bind(record.covers.to_text())
            .bind(sexes)
            .bind(accepts.min_age.map(i64::from))
            .bind(accepts.max_age.map(i64::from))
            .bind(i64::from(accepts.children))
            .bind(forms)
            .bind(languages)
            .bind(record.contact.clone())
            .bind(now)
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::on_unique(e, "service"))?;
            id
        }
    };
    for code in record.covers.codes() {
        sqlx::query("INSERT INTO service_covers (service_id, departement) VALUES ($1, $2)")
            .bind(id.as_str().to_owned())
            .bind(code)
            .execute(tx.conn())
            .await?;
    }
    let by = tx.actor().user_id.clone();
    for places in &record.places {
        write_places(tx, &id, places, by.as_ref()).await?;
    }
    tx.audit(Action::DirectoryServiceUpdate, Object::Service, Some(id.as_str()), None)
        .await?;
    Ok(id)
}

/// A prefecture contact as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub departement: String,
    pub prefecture: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub updated_at: Timestamp,
}

async fn contacts(tx: &mut Tx, departement: Option<Departement>) -> Result<Vec<Contact>> {
    let base = "SELECT departement, prefecture, name, email, phone, updated_at FROM prefecture_contacts";
    let rows: Vec<(String, String, String, String, String, i64)> = match departement {
        Some(d) => {
            sqlx::query_as(&format!("{base} WHERE departement = $1 ORDER BY name, email"))
                .bind(d.code().to_owned())
                .fetch_all(tx.conn())
                .await?
        }
        None => {
            sqlx::query_as(&format!("{base} ORDER BY departement, name, email"))
                .fetch_all(tx.conn())
                .await?
        }
    };
    let mut list: Vec<Contact> = rows
        .into_iter()
        .map(|(departement, prefecture, name, email, phone, updated_at)| Contact {
            departement,
            prefecture,
            name,
            email,
            phone,
            updated_at: Timestamp(updated_at),
        })
        .collect();
    // Official order ("2A" after "19", overseas last), not the text order.
    list.sort_by_key(|c| Departement::parse(&c.departement));
    Ok(list)
}

/// The prefecture contacts of one département, or of all.
pub async fn prefecture_contacts(
    tx: &mut Tx,
    _can: &Capability<ViewDirectory>,
    departement: Option<Departement>,
) -> Result<Vec<Contact>> {
    let list = contacts(tx, departement).await?;
    tx.audit(
        Action::DirectoryPrefectureList,
        Object::PrefectureContact,
        departement.map(Departement::code),
        None,
    )
    .await?;
    Ok(list)
}

/// Adds a contact, or replaces the one of the same département and e-mail address.
pub async fn upsert_prefecture_contact(tx: &mut Tx, contact: &PrefectureContact) -> Result<()> {
    let now = tx.now().0;
    sqlx::query("DELETE FROM prefecture_contacts WHERE departement = $1 AND email = $2")
        .bind(contact.departement.code())
        .bind(contact.email.as_str().to_owned())
        .execute(tx.conn())
        .await?;
    let id = crate::record_id_hex();
    sqlx::query(
        "INSERT INTO prefecture_contacts (id, departement, prefecture, name, email, phone, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.clone())
    .bind(contact.departement.code())
    .bind(contact.prefecture.clone())
    .bind(contact.name.clone())
    .bind(contact.email.as_str().to_owned())
    .bind(contact.phone.clone())
    .bind(now)
    .execute(tx.conn())
    .await?;
    tx.audit(
        Action::DirectoryPrefectureUpdate,
        Object::PrefectureContact,
        Some(contact.departement.code()),
        None,
    )
    .await
}

// ---------------------------------------------------------------- placement

/// An accommodation service's places of one type, with whom it accepts:
/// what the placement matcher needs, and what the coordinator reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRow {
    pub service_id: ServiceId,
    pub service: String,
    pub organisation: String,
    pub departement: String,
    pub place_type: String,
    pub free: i64,
    pub total: i64,
    pub updated_at: Timestamp,
    pub accepts_sexes: String,
    pub min_age: Option<i64>,
    pub max_age: Option<i64>,
    pub accepts_children: bool,
    pub forms: String,
    pub languages: String,
    pub contact: String,
}

fn stored_age(age: Option<i64>) -> Result<String> {
    match age {
        None => Ok(String::new()),
        Some(a) => u8::try_from(a)
            .map(|a| a.to_string())
            .map_err(|_| StoreError::Corrupt("service age")),
    }
}

impl OfferRow {
    /// Whom the service accepts, parsed from the stored keys.
    pub fn acceptance(&self) -> Result<Acceptance> {
        directory::parse_acceptance(
            &self.accepts_sexes,
            &stored_age(self.min_age)?,
            &stored_age(self.max_age)?,
            if self.accepts_children { "yes" } else { "no" },
            &self.forms,
            &self.languages,
        )
        .map_err(|_| StoreError::Corrupt("service acceptance"))
    }

    /// The placement offer (its id is the service id).
    pub fn to_offer(&self) -> Result<Offer> {
        let departement = Departement::parse(&self.departement).ok_or(StoreError::Corrupt("service département"))?;
        let free = u32::try_from(self.free.max(0)).map_err(|_| StoreError::Corrupt("free places"))?;
        Ok(directory::to_offer(
            self.service_id.as_str(),
            departement,
            self.acceptance()?,
            free,
        ))
    }
}

#[derive(sqlx::FromRow)]
struct OfferSql {
    id: String,
    service: String,
    organisation: String,
    departement: String,
    free: i64,
    total: i64,
    updated_at: i64,
    accepts_sexes: String,
    min_age: Option<i64>,
    max_age: Option<i64>,
    accepts_children: i64,
    forms: String,
    languages: String,
    contact: String,
}

/// Every accommodation service having places of `place_type` (a
/// [`AccommodationType`] key), with free and total places and when they were
/// last reported; full ones included (the matcher says why they are excluded).
pub async fn accommodation_offers(tx: &mut Tx, place_type: &str) -> Result<Vec<OfferRow>> {
    let place_type = AccommodationType::parse(place_type).ok_or(StoreError::NotFound)?;
    let rows: Vec<OfferSql> = sqlx::query_as(
        "SELECT s.id, s.name AS service, o.name AS organisation, s.departement, p.free, p.total, p.updated_at, \
         s.accepts_sexes, s.min_age, s.max_age, s.accepts_children, s.forms, s.languages, s.contact \
         FROM service_places p JOIN services s ON s.id = p.service_id JOIN organisations o ON o.id = s.organisation_id \
         WHERE p.place_type = $1 AND s.kind = $2 ORDER BY s.id",
    )
    .bind(place_type.key())
    .bind(ServiceKind::Accommodation.key())
    .fetch_all(tx.conn())
    .await?;
    let offers = rows
        .into_iter()
        .map(|row| {
            Ok(OfferRow {
                service_id: ServiceId::parse(&row.id).ok_or(StoreError::Corrupt("service id"))?,
                service: row.service,
                organisation: row.organisation,
                departement: row.departement,
                place_type: place_type.key().to_owned(),
                free: row.free,
                total: row.total,
                updated_at: Timestamp(row.updated_at),
                accepts_sexes: row.accepts_sexes,
                min_age: row.min_age,
                max_age: row.max_age,
                accepts_children: row.accepts_children != 0,
                forms: row.forms,
                languages: row.languages,
                contact: row.contact,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    tx.audit(
        Action::DirectoryOffersRead,
        Object::Service,
        None,
        Some(place_type.key()),
    )
    .await?;
    Ok(offers)
}

// ---------------------------------------------------------------- CSV import and export

/// Which file is imported or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount)]
pub enum FileKind {
    Services,
    PrefectureContacts,
}

impl FileKind {
    pub const ALL: [Self; Self::COUNT] = [Self::Services, Self::PrefectureContacts];

    pub fn key(self) -> &'static str {
        match self {
            Self::Services => "services",
            Self::PrefectureContacts => "prefecture-contacts",
        }
    }

    /// How the export names the file in the audit trail.
    fn audit_object(self) -> Object {
        match self {
            Self::Services => Object::Services,
            Self::PrefectureContacts => Object::PrefectureContacts,
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Services => &SERVICE_COLUMNS,
            Self::PrefectureContacts => &PREFECTURE_COLUMNS,
        }
    }
}

/// A problem on one line of an imported file (the header is line 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineProblem {
    pub line: u64,
    pub problem: Problem,
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, {}: {}",
            self.line,
            self.problem.field,
            self.problem.describe()
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Nothing was imported: every problem of the file.
    #[error("{} problem(s) in the file", .0.len())]
    Invalid(Vec<LineProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn columns_problem(line: u64) -> ImportError {
    ImportError::Invalid(vec![LineProblem {
        line,
        problem: Problem {
            field: "header",
            key: "columns",
        },
    }])
}

/// Reads the lines of a CSV file as maps from column name to value.
fn read_csv(kind: FileKind, text: &str) -> Result<Vec<CsvRow>, ImportError> {
    crate::csv_rows::read(kind.columns(), text).map_err(columns_problem)
}

fn field(values: &HashMap<&'static str, String>, column: &str) -> String {
    values.get(column).cloned().unwrap_or_default()
}

/// How many rows an import added or replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Imported {
    pub rows: usize,
}

/// Rows staged per transaction: each lasts milliseconds, so that public
/// forms and everyone else write in between however long the file.
const STAGE_BATCH: usize = 500;

/// Rows per INSERT statement while staging (well under every backend's
/// limit of bound values).
const ROWS_PER_STATEMENT: usize = 50;

/// Staged imports older than this were interrupted: their rows are dropped.
const STALE_IMPORT_SECONDS: i64 = 24 * 60 * 60;

/// Who runs an import, and when: each of its transactions is opened with them.
#[derive(Debug, Clone)]
pub struct ImportRun<'a> {
    pub actor: Actor,
    pub request_id: &'a str,
    pub now: Timestamp,
}

/// Imports a CSV file of `kind`, whole or not at all. Every line is checked
/// first, and nothing is written when any line is wrong. The rows are then
/// staged in short transactions and applied in one short transaction, so
/// the directory is always as it was before or after the import — also if
/// the process is killed — and no transaction holds the database for long.
pub async fn import(
    store: &Store,
    run: &ImportRun<'_>,
    _can: &Capability<ImportDirectory>,
    kind: FileKind,
    text: &str,
) -> Result<Imported, ImportError> {
    import_as_system(store, run, kind, text, &|_, _| {}).await
}

/// [`import`] from the command line; `progress` hears the rows staged.
pub async fn import_as_system(
    store: &Store,
    run: &ImportRun<'_>,
    kind: FileKind,
    text: &str,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Imported, ImportError> {
    let rows = read_csv(kind, text)?;
    let staged = match kind {
        FileKind::Services => {
            let organisations: Vec<(String, String)> = sqlx::query_as("SELECT name, id FROM organisations")
                .fetch_all(store.pool())
                .await
                .map_err(StoreError::from)?;
            StagedRows::Services(check_services(rows, &organisations.into_iter().collect())?)
        }
        FileKind::PrefectureContacts => StagedRows::Contacts(check_contacts(rows)?),
    };
    let total = staged.len();
    let import_id = crate::record_id_hex();
    let begin = || store.begin(run.actor.clone(), run.request_id, run.now);

    let mut tx = begin().await?;
    forget_stale_imports(&mut tx).await?;
    sqlx::query("INSERT INTO directory_imports (id, kind, created_at) VALUES ($1, $2, $3)")
        .bind(import_id.clone())
        .bind(kind.key())
        .bind(tx.now().0)
        .execute(tx.conn())
        .await
        .map_err(StoreError::from)?;
    tx.audit(
        Action::DirectoryImportStart,
        Object::DirectoryImport,
        Some(&import_id),
        Some(&format!("{}:{total}", kind.key())),
    )
    .await?;
    tx.commit().await?;

    for (batch, start) in (0..total).step_by(STAGE_BATCH).enumerate() {
        let end = (start + STAGE_BATCH).min(total);
        let mut tx = begin().await?;
        staged.stage(&mut tx, &import_id, start..end).await?;
        tx.audit(
            Action::DirectoryImportStage,
            Object::DirectoryImport,
            Some(&import_id),
            Some(&format!("batch:{}", batch + 1)),
        )
        .await?;
        tx.commit().await?;
        progress(end, total);
    }

    let mut tx = begin().await?;
    match kind {
        FileKind::Services => apply_services(&mut tx, &import_id).await?,
        FileKind::PrefectureContacts => apply_contacts(&mut tx, &import_id).await?,
    }
    sqlx::query("UPDATE directory_imports SET applied = 1 WHERE id = $1")
        .bind(import_id.clone())
        .execute(tx.conn())
        .await
        .map_err(StoreError::from)?;
    tx.audit(
        Action::DirectoryImport,
        Object::DirectoryImport,
        Some(&import_id),
        Some(&format!("{}:{total}", kind.key())),
    )
    .await?;
    tx.commit().await?;

    // The staged rows are no longer needed; should this fail or the process
    // stop here, the next import drops them.
    let mut tx = begin().await?;
    drop_staged(&mut tx, &import_id).await?;
    tx.audit(
        Action::DirectoryImportCleanup,
        Object::DirectoryImport,
        Some(&import_id),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Imported { rows: total })
}

/// A checked file, ready to stage.
enum StagedRows {
    Services(Vec<(u64, OrganisationId, ServiceRecord)>),
    Contacts(Vec<(u64, PrefectureContact)>),
}

/// One bound value of a staging INSERT.
enum Cell {
    Text(String),
    Int(i64),
    MaybeInt(Option<i64>),
}

impl StagedRows {
    fn len(&self) -> usize {
        match self {
            Self::Services(rows) => rows.len(),
            Self::Contacts(rows) => rows.len(),
        }
    }

    async fn stage(&self, tx: &mut Tx, import_id: &str, range: std::ops::Range<usize>) -> Result<()> {
        let id = || Cell::Text(import_id.to_owned());
        match self {
            Self::Services(rows) => {
                let rows = rows.get(range).unwrap_or_default();
                let line_of = |row: Option<&(u64, OrganisationId, ServiceRecord)>| {
                    row.map_or(Ok(0), |(line, _, _)| i64::try_from(*line))
                        .map_err(|_| StoreError::Corrupt("line number"))
                };
                let (first_line, last_line) = (line_of(rows.first())?, line_of(rows.last())?);
                let mut services = Vec::new();
                let mut covers = Vec::new();
                let mut places = Vec::new();
                for (line, organisation, record) in rows {
                    let line = i64::try_from(*line).map_err(|_| StoreError::Corrupt("line number"))?;
                    let accepts = &record.accepts;
                    services.push(vec![
                        id(),
                        Cell::Int(line),
                        Cell::Text(ServiceId::from_bytes(crate::record_id()).as_str().to_owned()),
                        Cell::Text(organisation.as_str().to_owned()),
                        Cell::Text(record.name.clone()),
                        Cell::Text(record.kind.key().to_owned()),
                        Cell::Text(record.departement.code().to_owned()),
                        Cell::Text(record.covers.to_text()),
                        Cell::Text(joined(&accepts.sexes, |s| s.key())),
                        Cell::MaybeInt(accepts.min_age.map(i64::from)),
                        Cell::MaybeInt(accepts.max_age.map(i64::from)),
                        Cell::Int(i64::from(accepts.children)),
                        Cell::Text(joined(&accepts.forms, |f| f.key())),
                        Cell::Text(accepts.languages.join(" ")),
                        Cell::Text(record.contact.clone()),
                    ]);
                    for code in record.covers.codes() {
                        covers.push(vec![id(), Cell::Int(line), Cell::Text(code.to_owned())]);
                    }
                    // The last report of a type wins, as when places are reported by hand.
                    let mut by_type: HashMap<&str, &Places> = HashMap::new();
                    for p in &record.places {
                        by_type.insert(p.place_type.key(), p);
                    }
                    for (place_type, p) in by_type {
                        places.push(vec![
                            id(),
                            Cell::Int(line),
                            Cell::Text(place_type.to_owned()),
                            Cell::Int(i64::from(p.total)),
                            Cell::Int(i64::from(p.free)),
                        ]);
                    }
                }
                insert_rows(
                    tx,
                    "directory_import_services",
                    &[
                        "import_id",
                        "line",
                        "service_id",
                        "organisation_id",
                        "name",
                        "kind",
                        "departement",
                        "covers",
                        "accepts_sexes",
                        "min_age",
                        "max_age",
                        "accepts_children",
                        "forms",
                        "languages",
                        "contact",
                    ],
                    services,
                )
                .await?;
                insert_rows(
                    tx,
                    "directory_import_covers",
                    &["import_id", "line", "departement"],
                    covers,
                )
                .await?;
                insert_rows(
                    tx,
                    "directory_import_places",
                    &["import_id", "line", "place_type", "total", "free"],
                    places,
                )
                .await?;
                // A service already in the directory keeps its id.
                sqlx::query(&format!(
                    "UPDATE directory_import_services SET service_id = ({EXISTING_SERVICE_ID}) \
                     WHERE import_id = $1 AND line BETWEEN $2 AND $3 AND EXISTS ({EXISTING_SERVICE_ID})"
                ))
                .bind(import_id.to_owned())
                .bind(first_line)
                .bind(last_line)
                .execute(tx.conn())
                .await?;
                Ok(())
            }
            Self::Contacts(rows) => {
                let rows = rows.get(range).unwrap_or_default();
                let mut contacts = Vec::new();
                for (line, contact) in rows {
                    contacts.push(vec![
                        id(),
                        Cell::Int(i64::try_from(*line).map_err(|_| StoreError::Corrupt("line number"))?),
                        Cell::Text(crate::record_id_hex()),
                        Cell::Text(contact.departement.code().to_owned()),
                        Cell::Text(contact.prefecture.clone()),
                        Cell::Text(contact.name.clone()),
                        Cell::Text(contact.email.as_str().to_owned()),
                        Cell::Text(contact.phone.clone()),
                    ]);
                }
                insert_rows(
                    tx,
                    "directory_import_contacts",
                    &[
                        "import_id",
                        "line",
                        "contact_id",
                        "departement",
                        "prefecture",
                        "name",
                        "email",
                        "phone",
                    ],
                    contacts,
                )
                .await
            }
        }
    }
}

/// Inserts `rows` into a staging `table` (a fixed name), several rows per
/// statement.
async fn insert_rows(tx: &mut Tx, table: &str, columns: &[&str], rows: Vec<Vec<Cell>>) -> Result<()> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, row) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..row.len() {
                n += 1;
                sql.push_str(&format!("{}${n}", if j == 0 { "" } else { ", " }));
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for cell in chunk.iter().flatten() {
            query = match cell {
                Cell::Text(text) => query.bind(text.clone()),
                Cell::Int(value) => query.bind(*value),
                Cell::MaybeInt(value) => query.bind(*value),
            };
        }
        query.execute(tx.conn()).await?;
    }
    Ok(())
}

/// The id of the live service with a staged row's organisation and name.
const EXISTING_SERVICE_ID: &str = "SELECT s.id FROM services s WHERE s.organisation_id = \
     directory_import_services.organisation_id AND s.name = directory_import_services.name";

/// The ids of an import's services.
const STAGED_SERVICE_IDS: &str = "SELECT service_id FROM directory_import_services WHERE import_id = $1";

/// An import's coverage rows `c` with their service `st` (a WHERE clause follows).
const STAGED_COVERS: &str = "directory_import_covers c JOIN directory_import_services st \
     ON st.import_id = c.import_id AND st.line = c.line WHERE c.import_id = $1";

/// An import's places `p` with their service `st` (a WHERE clause follows).
const STAGED_PLACES: &str = "directory_import_places p JOIN directory_import_services st \
     ON st.import_id = p.import_id AND st.line = p.line WHERE p.import_id = $1";

/// Adds the staged services or replaces those of the same organisation and
/// name, with their coverage and places, in set-based statements that use
/// the ids resolved while staging.
async fn apply_services(tx: &mut Tx, import_id: &str) -> Result<()> {
    let now = tx.now().0;
    sqlx::query(
        "INSERT INTO services (id, organisation_id, name, kind, departement, covers, accepts_sexes, min_age, \
         max_age, accepts_children, forms, languages, contact, created_at, updated_at) \
         SELECT service_id, organisation_id, name, kind, departement, covers, accepts_sexes, min_age, max_age, \
         accepts_children, forms, languages, contact, $2, $2 FROM directory_import_services WHERE import_id = $1 \
         ON CONFLICT (organisation_id, name) DO UPDATE SET kind = excluded.kind, departement = excluded.departement, \
         covers = excluded.covers, accepts_sexes = excluded.accepts_sexes, min_age = excluded.min_age, \
         max_age = excluded.max_age, accepts_children = excluded.accepts_children, forms = excluded.forms, \
         languages = excluded.languages, contact = excluded.contact, updated_at = excluded.updated_at",
    )
    .bind(import_id.to_owned())
    .bind(now)
    .execute(tx.conn())
    .await?;
    // A service another import added since this one was staged kept its own id.
    sqlx::query(&format!(
        "UPDATE directory_import_services SET service_id = ({EXISTING_SERVICE_ID}) WHERE import_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM services s WHERE s.id = directory_import_services.service_id)"
    ))
    .bind(import_id.to_owned())
    .execute(tx.conn())
    .await?;
    // Coverage and places are changed only where the file differs from the
    // directory (a re-imported export mostly does not): fewer writes, a
    // shorter transaction.
    sqlx::query(&format!(
        "DELETE FROM service_covers WHERE service_id IN ({STAGED_SERVICE_IDS}) \
         AND (service_id, departement) NOT IN (SELECT st.service_id, c.departement FROM {STAGED_COVERS})"
    ))
    .bind(import_id.to_owned())
    .execute(tx.conn())
    .await?;
    sqlx::query(&format!(
        "INSERT INTO service_covers (service_id, departement) SELECT st.service_id, c.departement \
         FROM {STAGED_COVERS} AND NOT EXISTS (SELECT 1 FROM service_covers sc \
         WHERE sc.service_id = st.service_id AND sc.departement = c.departement)"
    ))
    .bind(import_id.to_owned())
    .execute(tx.conn())
    .await?;
    sqlx::query(&format!(
        "DELETE FROM service_places WHERE service_id IN ({STAGED_SERVICE_IDS}) \
         AND (service_id, place_type) NOT IN (SELECT st.service_id, p.place_type FROM {STAGED_PLACES})"
    ))
    .bind(import_id.to_owned())
    .execute(tx.conn())
    .await?;
    // Every place the file states is reported again now, changed or not.
    let by = tx.actor().user_id.as_ref().map(|u| u.as_str().to_owned());
    sqlx::query(&format!(
        "UPDATE service_places SET total = x.total, free = x.free, updated_at = $2, updated_by = $3 \
         FROM (SELECT st.service_id, p.place_type, p.total, p.free FROM {STAGED_PLACES}) AS x \
         WHERE service_places.service_id = x.service_id AND service_places.place_type = x.place_type"
    ))
    .bind(import_id.to_owned())
    .bind(now)
    .bind(by.clone())
    .execute(tx.conn())
    .await?;
    sqlx::query(&format!(
        "INSERT INTO service_places (service_id, place_type, total, free, updated_at, updated_by) \
         SELECT st.service_id, p.place_type, p.total, p.free, $2, $3 FROM {STAGED_PLACES} \
         AND NOT EXISTS (SELECT 1 FROM service_places sp WHERE sp.service_id = st.service_id \
         AND sp.place_type = p.place_type)"
    ))
    .bind(import_id.to_owned())
    .bind(now)
    .bind(by)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Adds the staged contacts or replaces those of the same département and
/// e-mail address.
async fn apply_contacts(tx: &mut Tx, import_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO prefecture_contacts (id, departement, prefecture, name, email, phone, updated_at) \
         SELECT contact_id, departement, prefecture, name, email, phone, $2 FROM directory_import_contacts \
         WHERE import_id = $1 \
         ON CONFLICT (departement, email) DO UPDATE SET prefecture = excluded.prefecture, name = excluded.name, \
         phone = excluded.phone, updated_at = excluded.updated_at",
    )
    .bind(import_id.to_owned())
    .bind(tx.now().0)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Deletes an import's staged rows (children first: no cascade to walk).
async fn drop_staged(tx: &mut Tx, import_id: &str) -> Result<()> {
    for table in [
        "directory_import_covers",
        "directory_import_places",
        "directory_import_services",
        "directory_import_contacts",
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE import_id = $1"))
            .bind(import_id.to_owned())
            .execute(tx.conn())
            .await?;
    }
    sqlx::query("DELETE FROM directory_imports WHERE id = $1")
        .bind(import_id.to_owned())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Drops what earlier imports left staged: applied ones (their clean-up
/// did not run), and interrupted ones (a killed process) after a day.
async fn forget_stale_imports(tx: &mut Tx) -> Result<()> {
    let stale: Vec<(String,)> = sqlx::query_as("SELECT id FROM directory_imports WHERE applied = 1 OR created_at < $1")
        .bind(tx.now().0 - STALE_IMPORT_SECONDS)
        .fetch_all(tx.conn())
        .await?;
    for (id,) in stale {
        drop_staged(tx, &id).await?;
    }
    Ok(())
}

/// Checks every line of a services file: the services, or every problem.
fn check_services(
    rows: Vec<CsvRow>,
    organisations: &HashMap<String, String>,
) -> Result<Vec<(u64, OrganisationId, ServiceRecord)>, ImportError> {
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    let mut seen = HashSet::new();
    for (line, values) in rows {
        let raw = RawService {
            departement: field(&values, "departement"),
            organisation: field(&values, "organisation"),
            name: field(&values, "name"),
            kind: field(&values, "kind"),
            covers: field(&values, "covers"),
            sexes: field(&values, "sexes"),
            min_age: field(&values, "min_age"),
            max_age: field(&values, "max_age"),
            children: field(&values, "children"),
            forms: field(&values, "forms"),
            languages: field(&values, "languages"),
            contact: field(&values, "contact"),
            places: field(&values, "places"),
        };
        let organisation = organisations
            .get(raw.organisation.trim())
            .and_then(|id| OrganisationId::parse(id));
        if organisation.is_none() && !raw.organisation.trim().is_empty() {
            problems.push(LineProblem {
                line,
                problem: Problem {
                    field: "organisation",
                    key: "unknown-organisation",
                },
            });
        }
        match ServiceRecord::parse(&raw) {
            Ok(record) => {
                if !seen.insert((record.organisation.clone(), record.name.clone())) {
                    problems.push(LineProblem {
                        line,
                        problem: Problem {
                            field: "name",
                            key: "duplicate",
                        },
                    });
                }
                if let Some(organisation) = organisation {
                    parsed.push((line, organisation, record));
                }
            }
            Err(found) => problems.extend(found.into_iter().map(|problem| LineProblem { line, problem })),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(ImportError::Invalid(problems));
    }
    Ok(parsed)
}

/// Checks every line of a prefecture contacts file.
fn check_contacts(rows: Vec<CsvRow>) -> Result<Vec<(u64, PrefectureContact)>, ImportError> {
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    let mut seen = HashSet::new();
    for (line, values) in rows {
        let raw = RawPrefectureContact {
            departement: field(&values, "departement"),
            prefecture: field(&values, "prefecture"),
            name: field(&values, "name"),
            email: field(&values, "email"),
            phone: field(&values, "phone"),
        };
        match PrefectureContact::parse(&raw) {
            Ok(contact) => {
                if !seen.insert((contact.departement, contact.email.clone())) {
                    problems.push(LineProblem {
                        line,
                        problem: Problem {
                            field: "email",
                            key: "duplicate",
                        },
                    });
                }
                parsed.push((line, contact));
            }
            Err(found) => problems.extend(found.into_iter().map(|problem| LineProblem { line, problem })),
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems));
    }
    Ok(parsed)
}

fn csv_error(_: csv::Error) -> StoreError {
    StoreError::Corrupt("CSV export")
}

/// Writes one CSV row, every cell neutralised for spreadsheets.
fn write_row<I, T>(writer: &mut csv::Writer<Vec<u8>>, cells: I) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    writer
        .write_record(
            cells
                .into_iter()
                .map(|c| spreadsheet::safe_cell(c.as_ref()).into_owned()),
        )
        .map_err(csv_error)
}

/// The whole directory of `kind` as CSV, the département code in the first
/// column, in the columns the import reads.
pub async fn export_csv(tx: &mut Tx, kind: FileKind) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    write_row(&mut writer, kind.columns())?;
    match kind {
        FileKind::Services => {
            let mut list = services(tx, &Filter::default()).await?;
            list.sort_by(|a, b| {
                (Departement::parse(&a.departement), &a.organisation, &a.name).cmp(&(
                    Departement::parse(&b.departement),
                    &b.organisation,
                    &b.name,
                ))
            });
            for s in list {
                let places = s
                    .places
                    .iter()
                    .map(|p| format!("{}:{}/{}", p.place_type, p.free, p.total))
                    .collect::<Vec<_>>()
                    .join(" ");
                let children = if s.accepts_children { "yes" } else { "no" };
                write_row(
                    &mut writer,
                    [
                        s.departement.as_str(),
                        &s.organisation,
                        &s.name,
                        &s.kind,
                        &s.covers,
                        &s.accepts_sexes,
                        &s.min_age.map(|a| a.to_string()).unwrap_or_default(),
                        &s.max_age.map(|a| a.to_string()).unwrap_or_default(),
                        children,
                        &s.forms,
                        &s.languages,
                        &s.contact,
                        &places,
                    ],
                )?;
            }
        }
        FileKind::PrefectureContacts => {
            for c in contacts(tx, None).await? {
                write_row(&mut writer, [c.departement, c.prefecture, c.name, c.email, c.phone])?;
            }
        }
    }
    let bytes = writer.into_inner().map_err(|_| StoreError::Corrupt("CSV export"))?;
    tx.audit(Action::DirectoryExport, kind.audit_object(), None, None)
        .await?;
    String::from_utf8(bytes).map_err(|_| StoreError::Corrupt("CSV export"))
}

#[cfg(test)]
mod fuzz;
