//! The audited transaction: the only way to change data or read personal
//! data. Its audit rows are written in the same transaction, and it refuses
//! to commit if none was written.
//!
//! Two kinds (ADR 0052): a *write* transaction takes the audit head's lock
//! first, so transactions that change data run one at a time and a
//! read-then-write is never interleaved; a *read* transaction takes no lock
//! while it reads, keeps its audit rows, and appends them under the lock at
//! commit, so the pages that read many rows no longer make every other
//! request wait. Nothing read is handed back before its audit rows are
//! committed.

use crate::audit::{self, Action, Object};
use crate::backend::{Backend, Store};
use crate::crypto::Keys;
use crate::{Result, StoreError};
use relais_domain::audit::{AuditFields, AuditRow};
use relais_domain::ids::{OrganisationId, UserId};
use relais_domain::time::Timestamp;
use sqlx::{Any, AnyConnection, Transaction};

/// Who acts: a user of an organisation, or the system itself (CLI, jobs).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub organisation_id: Option<OrganisationId>,
}

impl Actor {
    pub fn system() -> Self {
        Self {
            user_id: None,
            organisation_id: None,
        }
    }

    pub fn user(user_id: UserId, organisation_id: OrganisationId) -> Self {
        Self {
            user_id: Some(user_id),
            organisation_id: Some(organisation_id),
        }
    }
}

/// Whether the transaction may change data (see the module's comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    /// Reads only; `changes` is SQLite's count of rows changed by the
    /// connection when the transaction began, to prove nothing was written.
    Read {
        changes: i64,
    },
}

pub struct Tx {
    inner: Transaction<'static, Any>,
    store: Store,
    mode: Mode,
    actor: Actor,
    request_id: String,
    now: Timestamp,
    audited: bool,
    /// A read transaction's audit rows, appended at commit.
    pending: Vec<AuditFields>,
    /// A write transaction's head of the chain once its first row is chained: it holds the
    /// head's lock, so nobody else moves it, and the head is written once, at commit,
    /// instead of read and written again for every row.
    head: Option<audit::Head>,
    /// A write transaction's rows chained from `head` but not yet inserted: they go
    /// [`audit::ROWS_PER_STATEMENT`] to a statement (the driver hands every statement
    /// between threads), at the latest before commit and before anything in the
    /// transaction reads the trail ([`Tx::audit_conn`]).
    /// Dropped unwritten with the transaction when it rolls back, as its rows would be.
    unwritten: Vec<AuditRow>,
    client_key: Option<String>,
}

impl Tx {
    /// Opens a write transaction (see [`Tx::open_writer`]).
    pub(crate) async fn begin(store: &Store, actor: Actor, request_id: &str, now: Timestamp) -> Result<Self> {
        let inner = Self::open_writer(store).await?;
        Ok(Self::new(store, inner, Mode::Write, actor, request_id, now))
    }

    /// Opens a read transaction: a consistent snapshot, no lock. Writing
    /// through it is refused at commit (checked by the database itself).
    pub(crate) async fn begin_read(store: &Store, actor: Actor, request_id: &str, now: Timestamp) -> Result<Self> {
        let mut inner = store.pool().begin().await?;
        let changes = match store.backend() {
            // A snapshot for the whole transaction, as SQLite gives anyway.
            Backend::Postgres => {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    .execute(&mut *inner)
                    .await?;
                0
            }
            Backend::Sqlite => total_changes(&mut inner).await?,
        };
        Ok(Self::new(store, inner, Mode::Read { changes }, actor, request_id, now))
    }

    fn new(
        store: &Store,
        inner: Transaction<'static, Any>,
        mode: Mode,
        actor: Actor,
        request_id: &str,
        now: Timestamp,
    ) -> Self {
        Self {
            inner,
            store: store.clone(),
            mode,
            actor,
            request_id: request_id.to_owned(),
            now,
            audited: false,
            pending: vec![],
            head: None,
            unwritten: vec![],
            client_key: None,
        }
    }

    /// A transaction holding the audit head's lock. A database that is busy
    /// or locked (another writer holds the lock longer than the busy
    /// timeout) is retried here: the lock is the transaction's first act,
    /// so a busy database shows here and nowhere later.
    async fn open_writer(store: &Store) -> Result<Transaction<'static, Any>> {
        let mut attempt = 0;
        loop {
            match Self::open(store).await {
                Ok(inner) => return Ok(inner),
                Err(error) if crate::error::is_busy(&error) && attempt < store.retry().retries => {
                    attempt += 1;
                    store.count_busy_retry();
                    tracing::warn!(attempt, "database busy: retrying the transaction");
                    tokio::time::sleep(store.retry().delay(attempt)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Records in every audit row of this transaction the keyed hash of the
    /// client address the request came from: rows of one source can be
    /// linked, and a known address checked, but the trail lists no address.
    #[must_use]
    pub fn from_client(mut self, address: &str) -> Self {
        self.client_key = Some(self.store.keys().keyed_hash("audit-client", address));
        self
    }

    async fn open(store: &Store) -> Result<Transaction<'static, Any>, sqlx::Error> {
        let mut inner = store.pool().begin().await?;
        lock_head(&mut inner).await?;
        Ok(inner)
    }

    /// The connection, for every statement but those that read `audit_log`, which take
    /// [`Tx::audit_conn`].
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }

    /// The connection for a statement that reads `audit_log`: the rows this transaction
    /// chained are written first, so it sees them as it did when each was inserted at once.
    /// (A read transaction's rows are chained only at commit, and it sees none of them.)
    pub(crate) async fn audit_conn(&mut self) -> Result<&mut AnyConnection> {
        audit::write_rows(&mut self.inner, self.store.backend(), &mut self.unwritten).await?;
        Ok(&mut self.inner)
    }

    pub(crate) fn keys(&self) -> &Keys {
        self.store.keys()
    }

    pub(crate) fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// The connection and the keys at once, for rows pseudonymised as they stream in.
    pub(crate) fn conn_and_keys(&mut self) -> (&mut AnyConnection, &Keys) {
        (&mut *self.inner, self.store.keys())
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// Moves this transaction's clock: the demo seed replays a fictional
    /// history, each act at the moment it would have happened, in its one
    /// transaction. No new power: whoever opens a transaction picks its time.
    pub fn set_clock(&mut self, at: Timestamp) {
        self.now = at;
    }

    /// The sequence number of the chain's last row, this transaction's included.
    pub(crate) async fn audit_head_seq(&mut self) -> Result<i64> {
        Ok(match &self.head {
            Some((seq, _)) => *seq,
            None => audit::read_head(&mut self.inner).await?.0,
        })
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Records an audit row in this transaction. `object_id` names the
    /// object by identifier only; `reason` is the actor's stated purpose.
    pub async fn audit(
        &mut self,
        action: Action,
        object_type: Object,
        object_id: Option<&str>,
        reason: Option<&str>,
    ) -> Result<()> {
        let fields = AuditFields {
            at: self.now.0,
            actor_user_id: self.actor.user_id.as_ref().map(|u| u.as_str().to_owned()),
            actor_organisation_id: self.actor.organisation_id.as_ref().map(|o| o.as_str().to_owned()),
            action: action.code().to_owned(),
            object_type: object_type.code().to_owned(),
            object_id: object_id.map(str::to_owned),
            reason: reason.map(str::to_owned),
            request_id: Some(self.request_id.clone()),
            client_key: self.client_key.clone(),
        };
        match self.mode {
            Mode::Write => {
                let mut head = match self.head.take() {
                    Some(head) => head,
                    None => audit::read_head(&mut self.inner).await?,
                };
                self.unwritten.push(audit::chain(&mut head, fields));
                self.head = Some(head);
                if self.unwritten.len() >= audit::ROWS_PER_STATEMENT {
                    audit::write_rows(&mut self.inner, self.store.backend(), &mut self.unwritten).await?;
                }
            }
            Mode::Read { .. } => self.pending.push(fields),
        }
        self.audited = true;
        Ok(())
    }

    pub async fn commit(mut self) -> Result<()> {
        if !self.audited {
            return Err(StoreError::Unaudited);
        }
        let Mode::Read { changes } = self.mode else {
            audit::write_rows(&mut self.inner, self.store.backend(), &mut self.unwritten).await?;
            if let Some(head) = &self.head {
                audit::write_head(&mut self.inner, head).await?;
            }
            self.inner.commit().await?;
            return Ok(());
        };
        if self.wrote(changes).await? {
            self.inner.rollback().await?;
            return Err(StoreError::WroteInReadTransaction);
        }
        let pending = std::mem::take(&mut self.pending);
        let backend = self.store.backend();
        match append_and_commit(self.inner, backend, &pending).await {
            Ok(()) => Ok(()),
            // The head moved since the snapshot was taken (another
            // transaction committed), so this one cannot become a writer:
            // it read only, so its rows go in a new transaction holding the
            // lock. The caller still gets nothing before they are committed.
            Err(error) if crate::error::is_busy(&error) => {
                let writer = Self::open_writer(&self.store).await?;
                append_and_commit(writer, backend, &pending).await?;
                Ok(())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Whether a read transaction changed any row: SQLite counts the rows
    /// its connection changed, PostgreSQL gives a transaction an id at its
    /// first write.
    async fn wrote(&mut self, changes_at_begin: i64) -> Result<bool> {
        Ok(match self.store.backend() {
            Backend::Sqlite => total_changes(&mut self.inner).await? != changes_at_begin,
            Backend::Postgres => {
                let (assigned,): (i32,) =
                    sqlx::query_as("SELECT CASE WHEN pg_current_xact_id_if_assigned() IS NULL THEN 0 ELSE 1 END")
                        .fetch_one(&mut *self.inner)
                        .await?;
                assigned != 0
            }
        })
    }
}

/// Takes the audit head's write lock: on SQLite this makes the transaction
/// a writer, on PostgreSQL it orders the chain across processes.
async fn lock_head(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// Chains `rows` after the head under its lock, then commits.
async fn append_and_commit(
    mut inner: Transaction<'static, Any>,
    backend: Backend,
    rows: &[AuditFields],
) -> Result<(), sqlx::Error> {
    lock_head(&mut inner).await?;
    let mut head = audit::read_head(&mut inner).await?;
    let mut chained: Vec<AuditRow> = rows
        .iter()
        .map(|fields| audit::chain(&mut head, fields.clone()))
        .collect();
    audit::write_rows(&mut inner, backend, &mut chained).await?;
    audit::write_head(&mut inner, &head).await?;
    inner.commit().await
}

async fn total_changes(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    let (changes,): (i64,) = sqlx::query_as("SELECT total_changes()").fetch_one(conn).await?;
    Ok(changes)
}
