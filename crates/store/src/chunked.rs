//! Reading many rows a chunk at a time (issue 17, ADR 0068): the database
//! hands each chunk over as one JSON array, read after the last key of the one
//! before, and each row goes to the caller as it is decoded. Row by row, the
//! driver's work (a value per column and a hand-over between threads per row)
//! was most of the audit verification's time (ADR 0052); and the statistics
//! pages held every case's row at once, hundreds of MB at a million cases.

use crate::backend::Backend;
use crate::{Result, StoreError, Tx};
use serde::de::DeserializeOwned;

/// Rows a chunk: large enough that a hand-over costs nothing per row, small
/// enough that a chunk's text stays a few MB.
pub(crate) const CHUNK: usize = 10_000;

/// A read of many rows by key: `columns` are SQL expressions, the first of
/// them the key (unique, text), each row a JSON array of the columns' values.
pub(crate) struct Chunked<'a> {
    pub columns: &'a [&'a str],
    /// `FROM … WHERE …`, with its binds numbered from `$1`.
    pub from_where: &'a str,
    pub binds: &'a [String],
    /// [`CHUNK`], but in tests.
    pub rows_per_chunk: usize,
}

impl Chunked<'_> {
    /// The statement of one chunk: the rows after a key (bound last), in key order, as one
    /// JSON array, and the chunk's last key.
    fn statement(&self, backend: Backend) -> String {
        let inner = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, column)| format!("{column} AS k{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let outer = (0..self.columns.len())
            .map(|i| format!("k{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let key = self.columns.first().copied().unwrap_or("NULL");
        let after = self.binds.len() + 1;
        let rows = format!(
            "SELECT {inner} {} AND {key} > ${after} ORDER BY {key} LIMIT {}",
            self.from_where, self.rows_per_chunk
        );
        match backend {
            Backend::Sqlite => {
                format!("SELECT json_group_array(json_array({outer}) ORDER BY k0), MAX(k0) FROM ({rows})")
            }
            Backend::Postgres => format!(
                "SELECT COALESCE(json_agg(json_build_array({outer}) ORDER BY k0), '[]')::text, MAX(k0) FROM ({rows}) s"
            ),
        }
    }

    /// Hands every row to `take`, in key order, within the transaction.
    pub(crate) async fn each<T: DeserializeOwned>(&self, tx: &mut Tx, mut take: impl FnMut(T)) -> Result<()> {
        let statement = self.statement(tx.backend());
        let mut after = String::new();
        loop {
            let mut q = sqlx::query_as::<_, (String, Option<String>)>(&statement);
            for value in self.binds {
                q = q.bind(value.clone());
            }
            let (rows, last) = q.bind(after.clone()).fetch_one(tx.conn()).await?;
            let rows: Vec<T> = serde_json::from_str(&rows).map_err(|_| StoreError::Corrupt("chunk of rows"))?;
            let full = rows.len() == self.rows_per_chunk;
            rows.into_iter().for_each(&mut take);
            match last {
                Some(last) if full => after = last,
                _ => return Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_is_read_after_the_last_key_in_key_order() {
        let read = Chunked {
            columns: &["c.id", "c.departement"],
            from_where: "FROM cases c WHERE c.departement = $1",
            binds: &["93".to_owned()],
            rows_per_chunk: CHUNK,
        };
        assert_eq!(
            read.statement(Backend::Sqlite),
            "SELECT json_group_array(json_array(k0, k1) ORDER BY k0), MAX(k0) FROM \
             (SELECT c.id AS k0, c.departement AS k1 FROM cases c WHERE c.departement = $1 AND c.id > $2 \
             ORDER BY c.id LIMIT 10000)"
        );
    }

    /// Every row once, in key order, whether the rows fill the last chunk or not, and with
    /// the binds of the condition.
    async fn reads_every_row_across_chunk_edges(db: crate::testing::TestDatabase) {
        let store = crate::testing::store(&db).await.unwrap();
        let now = relais_domain::time::Timestamp(1_800_000_000);
        let mut tx = store.begin(crate::Actor::system(), "chunks", now).await.unwrap();
        sqlx::query("CREATE TEMP TABLE numbers (id TEXT PRIMARY KEY, n BIGINT, label TEXT)")
            .execute(tx.conn())
            .await
            .unwrap();
        for n in 1..=7_i64 {
            sqlx::query("INSERT INTO numbers (id, n, label) VALUES ($1, $2, $3)")
                .bind(format!("id-{n:02}"))
                .bind(n)
                .bind(if n == 4 { None } else { Some(format!("n{n}")) })
                .execute(tx.conn())
                .await
                .unwrap();
        }
        for rows_per_chunk in [1, 2, 3, 7, 100] {
            let mut read: Vec<(String, i64, Option<String>)> = Vec::new();
            Chunked {
                columns: &["id", "n", "label"],
                from_where: "FROM numbers WHERE id >= $1",
                binds: &["id-".to_owned()],
                rows_per_chunk,
            }
            .each(&mut tx, |row| read.push(row))
            .await
            .unwrap();
            assert_eq!(read.len(), 7, "{rows_per_chunk} a chunk");
            assert_eq!(read[3], ("id-04".to_owned(), 4, None));
            assert!(read.windows(2).all(|w| w[0].0 < w[1].0));
        }
        let mut none: Vec<(String, i64, Option<String>)> = Vec::new();
        Chunked {
            columns: &["id", "n", "label"],
            from_where: "FROM numbers WHERE id >= $1",
            binds: &["zz".to_owned()],
            rows_per_chunk: 2,
        }
        .each(&mut tx, |row| none.push(row))
        .await
        .unwrap();
        assert!(none.is_empty());
    }

    #[tokio::test]
    async fn sqlite_reads_every_row_across_chunk_edges() {
        reads_every_row_across_chunk_edges(crate::testing::sqlite().await.unwrap()).await;
    }

    #[tokio::test]
    async fn postgres_reads_every_row_across_chunk_edges() {
        let db = crate::testing::postgres()
            .await
            .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)");
        reads_every_row_across_chunk_edges(db).await;
    }
}
