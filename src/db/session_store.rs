//! tower-sessions store on diesel-async. No maintained crate offers one
//! (tower-sessions-stores#8; the sqlx store would add a second driver and pool).

use async_trait::async_trait;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use super::DbPool;
use crate::schema::sessions;

#[derive(Clone)]
pub struct DieselStore {
    pool: DbPool,
}

impl std::fmt::Debug for DieselStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DieselStore")
    }
}

impl DieselStore {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }

    async fn conn(&self) -> session_store::Result<crate::db::DbConn> {
        self.pool.get().await.map_err(backend)
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<serde_json::Value> {
    serde_json::to_value(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for DieselStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut conn = self.conn().await?;
        let data = encode(record)?;
        // Retry on the (astronomically unlikely) id collision rather than overwrite someone's session.
        loop {
            let inserted = diesel::insert_into(sessions::table)
                .values((
                    sessions::id.eq(record.id.to_string()),
                    sessions::data.eq(&data),
                    sessions::expiry_date.eq(record.expiry_date),
                ))
                .on_conflict_do_nothing()
                .execute(&mut conn)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let mut conn = self.conn().await?;
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(record.id.to_string()),
                sessions::data.eq(encode(record)?),
                sessions::expiry_date.eq(record.expiry_date),
            ))
            .on_conflict(sessions::id)
            .do_update()
            .set((
                sessions::data.eq(excluded(sessions::data)),
                sessions::expiry_date.eq(excluded(sessions::expiry_date)),
            ))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let mut conn = self.conn().await?;
        let row: Option<(serde_json::Value, OffsetDateTime)> = sessions::table
            .filter(sessions::id.eq(id.to_string()))
            .filter(sessions::expiry_date.gt(OffsetDateTime::now_utc()))
            .select((sessions::data, sessions::expiry_date))
            .first(&mut conn)
            .await
            .optional()
            .map_err(backend)?;
        row.map(|(data, expiry_date)| {
            let data = serde_json::from_value(data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
            Ok(Record { id: *id, data, expiry_date })
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let mut conn = self.conn().await?;
        diesel::delete(sessions::table.filter(sessions::id.eq(id.to_string())))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DieselStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let mut conn = self.conn().await?;
        diesel::delete(sessions::table.filter(sessions::expiry_date.lt(OffsetDateTime::now_utc())))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
