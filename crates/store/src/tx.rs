//! The audited transaction: the only way to change data or read personal
//! data. Its audit rows are written in the same transaction, and it refuses
//! to commit if none was written.

use crate::audit::{self, Action, Object};
use crate::backend::Store;
use crate::crypto::Keys;
use crate::{Result, StoreError};
use relais_domain::audit::AuditFields;
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

pub struct Tx {
    inner: Transaction<'static, Any>,
    actor: Actor,
    request_id: String,
    now: Timestamp,
    keys: Keys,
    audited: bool,
    client_key: Option<String>,
}

impl Tx {
    /// Opens the transaction. A database that is busy or locked (another
    /// writer holds the lock longer than the busy timeout) is retried here,
    /// for every audited transaction: the write lock is the transaction's
    /// first act, so a busy database shows here and nowhere later.
    pub(crate) async fn begin(store: &Store, actor: Actor, request_id: &str, now: Timestamp) -> Result<Self> {
        let mut attempt = 0;
        let inner = loop {
            match Self::open(store).await {
                Ok(inner) => break inner,
                Err(error) if crate::error::is_busy(&error) && attempt < store.retry().retries => {
                    attempt += 1;
                    store.count_busy_retry();
                    tracing::warn!(attempt, "database busy: retrying the transaction");
                    tokio::time::sleep(store.retry().delay(attempt)).await;
                }
                Err(error) => return Err(error.into()),
            }
        };
        Ok(Self {
            inner,
            actor,
            request_id: request_id.to_owned(),
            now,
            keys: store.keys().clone(),
            audited: false,
            client_key: None,
        })
    }

    /// Records in every audit row of this transaction the keyed hash of the
    /// client address the request came from: rows of one source can be
    /// linked, and a known address checked, but the trail lists no address.
    #[must_use]
    pub fn from_client(mut self, address: &str) -> Self {
        self.client_key = Some(self.keys.keyed_hash("audit-client", address));
        self
    }

    async fn open(store: &Store) -> Result<Transaction<'static, Any>, sqlx::Error> {
        let mut inner = store.pool().begin().await?;
        // Take the audit head's write lock first: on SQLite this makes the
        // transaction a writer from the start (no lock upgrade that could
        // fail), on PostgreSQL it orders the chain across processes.
        sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
            .execute(&mut *inner)
            .await?;
        Ok(inner)
    }

    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }

    pub(crate) fn keys(&self) -> &Keys {
        &self.keys
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
        audit::append(&mut self.inner, &fields).await?;
        self.audited = true;
        Ok(())
    }

    pub async fn commit(self) -> Result<()> {
        if !self.audited {
            return Err(StoreError::Unaudited);
        }
        self.inner.commit().await?;
        Ok(())
    }
}
