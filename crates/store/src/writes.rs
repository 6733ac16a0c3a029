//! Writes that need nothing back from one another, sent as one statement (issue 17, ADR
//! 0072): a decision writes the case's stage, its overdue counts and its event in one round
//! trip instead of three. Every statement costs a hand-over to SQLite's driver thread or a
//! round trip to PostgreSQL, whatever it does, and that cost, not the writing, bounded the
//! bulk writer.
//!
//! Each write is given with its binds numbered from `$1`, its values bound after it; they
//! are renumbered in the joined text. SQLite gets the statements as one text, which its driver
//! runs in order on its thread; PostgreSQL gets one statement whose first writes are
//! data-modifying `WITH` clauses, all run on one snapshot, so no write may read a row another
//! of them writes.

use sqlx::AnyConnection;
use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments};

use crate::backend::Backend;
use crate::{Result, StoreError};

#[derive(Default)]
pub(crate) struct Writes {
    statements: Vec<String>,
    arguments: AnyArguments<'static>,
}

impl Writes {
    /// Adds a write, its binds numbered from `$1`; its values follow, by [`Self::bind`].
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.statements.push(renumbered(sql, self.arguments.len()));
        self
    }

    pub fn bind<T>(&mut self, value: T) -> Result<&mut Self>
    where
        T: 'static + sqlx::Encode<'static, Any> + sqlx::Type<Any>,
    {
        self.arguments
            .add(value)
            .map_err(|error| StoreError::Database(sqlx::Error::Encode(error)))?;
        Ok(self)
    }

    /// Runs every write, in the order given; nothing if none was added.
    pub async fn execute(self, conn: &mut AnyConnection, backend: Backend) -> Result<()> {
        let Some(sql) = joined(&self.statements, backend) else {
            return Ok(());
        };
        sqlx::query_with(&sql, self.arguments).execute(conn).await?;
        Ok(())
    }
}

/// The writes as one text for `backend`.
fn joined(statements: &[String], backend: Backend) -> Option<String> {
    let (last, first) = statements.split_last()?;
    Some(match backend {
        Backend::Sqlite => statements.join(";\n"),
        Backend::Postgres if first.is_empty() => last.clone(),
        Backend::Postgres => {
            let clauses: Vec<String> = first
                .iter()
                .enumerate()
                .map(|(i, statement)| format!("w{i} AS ({statement})"))
                .collect();
            format!("WITH {} {last}", clauses.join(", "))
        }
    })
}

/// `sql` with each bind `$n` made `$(n + offset)`.
fn renumbered(sql: &str, offset: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        let (before, after) = rest.split_at(at + 1);
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let (number, tail) = after.split_at(digits);
        match number.parse::<usize>() {
            Ok(n) => out.push_str(&(n + offset).to_string()),
            Err(_) => out.push_str(number),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

    use super::*;

    #[test]
    fn binds_are_numbered_after_those_of_the_writes_before() {
        assert_eq!(
            renumbered("UPDATE t SET a = $1, b = $12 WHERE id = $2", 3),
            "UPDATE t SET a = $4, b = $15 WHERE id = $5"
        );
        assert_eq!(renumbered("DELETE FROM t", 5), "DELETE FROM t");
        let statements = ["UPDATE a SET x = $1".to_owned(), "INSERT INTO b VALUES ($2)".to_owned()];
        assert_eq!(
            joined(&statements, Backend::Sqlite).unwrap(),
            "UPDATE a SET x = $1;\nINSERT INTO b VALUES ($2)"
        );
        assert_eq!(
            joined(&statements, Backend::Postgres).unwrap(),
            "WITH w0 AS (UPDATE a SET x = $1) INSERT INTO b VALUES ($2)"
        );
        assert_eq!(
            joined(&statements[..1], Backend::Postgres).unwrap(),
            "UPDATE a SET x = $1"
        );
        assert!(joined(&[], Backend::Sqlite).is_none());
    }

    /// Writes to two tables and a counter, in one statement, land as three would.
    async fn several_writes_land_as_one_statement(db: crate::testing::TestDatabase) {
        let store = crate::testing::store(&db).await.unwrap();
        let mut conn = store.pool().acquire().await.unwrap();
        sqlx::query("INSERT INTO case_due_counts (departement, due_on, cases) VALUES ('93', '2026-01-01', 2)")
            .execute(&mut *conn)
            .await
            .unwrap();
        let mut writes = Writes::default();
        let upsert = "INSERT INTO case_due_counts (departement, due_on, cases) VALUES ($1, $2, $3) \
                      ON CONFLICT (departement, due_on) DO UPDATE SET cases = case_due_counts.cases + excluded.cases";
        writes
            .push(upsert)
            .bind("93")
            .unwrap()
            .bind("2026-01-01")
            .unwrap()
            .bind(-1_i64)
            .unwrap();
        writes
            .push(upsert)
            .bind("93")
            .unwrap()
            .bind("2026-01-02")
            .unwrap()
            .bind(1_i64)
            .unwrap();
        writes
            .push(upsert)
            .bind("75")
            .unwrap()
            .bind("2026-01-01")
            .unwrap()
            .bind(1_i64)
            .unwrap();
        writes.execute(&mut conn, store.backend()).await.unwrap();
        let counts: Vec<(String, String, i64)> =
            sqlx::query_as("SELECT departement, due_on, cases FROM case_due_counts ORDER BY departement, due_on")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        let expected = [
            ("75", "2026-01-01", 1),
            ("93", "2026-01-01", 1),
            ("93", "2026-01-02", 1),
        ];
        let counts: Vec<(&str, &str, i64)> = counts.iter().map(|(d, o, c)| (d.as_str(), o.as_str(), *c)).collect();
        assert_eq!(counts, expected);
        Writes::default().execute(&mut conn, store.backend()).await.unwrap();
        drop(conn);
        store.close().await;
    }

    #[tokio::test]
    async fn sqlite_several_writes_land_as_one_statement() {
        several_writes_land_as_one_statement(crate::testing::sqlite().await.unwrap()).await;
    }

    #[tokio::test]
    async fn postgres_several_writes_land_as_one_statement() {
        let db = crate::testing::postgres()
            .await
            .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)");
        several_writes_land_as_one_statement(db).await;
    }
}
