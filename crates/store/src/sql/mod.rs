//! The store implementation shared by both dialects. This module is compiled
//! twice, as `sqlite::sql` and `postgres::sql`: `super` is the dialect module,
//! which supplies the concrete `Db`, the migrations and how a write begins.
//! Dialect differences stay in those two small files and the migrations.

mod audit_log;
mod catalog;
mod contributions;
mod needs;
mod reference;
mod users;

use super::{Db, MIGRATOR, SqlStore, begin_write};
use crate::model::*;
use crate::{Dialect, Result, Store, StoreError};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use needsdb_domain::reference::CatalogueItem;
use needsdb_domain::{NewContribution, NewNeed};

type Conn = <Db as sqlx::Database>::Connection;

/// Now, to the microsecond: both databases keep microseconds, so a value
/// read back equals the value written.
fn now() -> DateTime<Utc> {
    let t = Utc::now();
    DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t)
}

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// Maps a unique-constraint violation to a conflict the user can act on.
fn conflict_or(e: sqlx::Error, message: impl FnOnce() -> String) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(message()),
        _ => StoreError::Database(e),
    }
}

/// Refuses an edit made against an older version than the stored one.
fn check_version(entity: &'static str, id: i64, expected: Option<i64>, current: i64) -> Result<()> {
    match expected {
        Some(e) if e != current => Err(StoreError::VersionMismatch {
            entity,
            id,
            expected: e,
            current,
        }),
        _ => Ok(()),
    }
}

#[async_trait]
impl Store for SqlStore {
    fn dialect(&self) -> Dialect {
        super::DIALECT
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn migrate(&self) -> Result<MigrationReport> {
        MIGRATOR.run(&self.pool).await?;
        let mut tx = begin_write(&self.pool).await?;
        let report = reference::load(&mut tx).await?;
        tx.commit().await?;
        Ok(report)
    }

    async fn countries(&self, filter: &CountryFilter) -> Result<Vec<CountryRow>> {
        let mut conn = self.pool.acquire().await?;
        reference::countries(&mut conn, filter).await
    }

    async fn parties(&self) -> Result<Vec<Party>> {
        let mut conn = self.pool.acquire().await?;
        reference::parties(&mut conn).await
    }

    async fn add_organisation(&self, actor: &Actor, org: &NewOrganisation) -> Result<Party> {
        let mut tx = begin_write(&self.pool).await?;
        let p = reference::add_organisation(&mut tx, actor, org).await?;
        tx.commit().await?;
        Ok(p)
    }

    async fn items(&self) -> Result<Vec<CatalogueItem>> {
        let mut conn = self.pool.acquire().await?;
        catalog::items(&mut conn).await
    }

    async fn add_item(&self, actor: &Actor, item: &NewItem) -> Result<CatalogueItem> {
        let mut tx = begin_write(&self.pool).await?;
        let i = catalog::add_item(&mut tx, actor, item).await?;
        tx.commit().await?;
        Ok(i)
    }

    async fn create_need(&self, actor: &Actor, input: &NewNeed, submit: bool) -> Result<Need> {
        let mut tx = begin_write(&self.pool).await?;
        let id = needs::create(&mut tx, actor, input, submit).await?;
        tx.commit().await?;
        self.need(id).await
    }

    async fn update_need(&self, actor: &Actor, id: i64, expected: Option<i64>, patch: &NewNeed) -> Result<Need> {
        let mut tx = begin_write(&self.pool).await?;
        needs::update(&mut tx, actor, id, expected, patch).await?;
        tx.commit().await?;
        self.need(id).await
    }

    async fn change_need_status(
        &self,
        actor: &Actor,
        id: i64,
        expected: Option<i64>,
        change: &StatusChange,
    ) -> Result<Need> {
        let mut tx = begin_write(&self.pool).await?;
        needs::change_status(&mut tx, actor, id, expected, change).await?;
        tx.commit().await?;
        self.need(id).await
    }

    async fn need(&self, id: i64) -> Result<Need> {
        let mut conn = self.pool.acquire().await?;
        needs::get(&mut conn, id).await
    }

    async fn needs(&self, query: &NeedQuery) -> Result<Page<Need>> {
        let mut conn = self.pool.acquire().await?;
        needs::list(&mut conn, query).await
    }

    async fn need_history(&self, id: i64) -> Result<Vec<Version>> {
        let mut conn = self.pool.acquire().await?;
        needs::history(&mut conn, id).await
    }

    async fn create_contribution(&self, actor: &Actor, input: &NewContribution) -> Result<Contribution> {
        let mut tx = begin_write(&self.pool).await?;
        let id = contributions::create(&mut tx, actor, input).await?;
        tx.commit().await?;
        self.contribution(id).await
    }

    async fn advance_contribution(
        &self,
        actor: &Actor,
        id: i64,
        expected: Option<i64>,
        change: &StageChange,
    ) -> Result<Contribution> {
        let mut tx = begin_write(&self.pool).await?;
        contributions::advance(&mut tx, actor, id, expected, change).await?;
        tx.commit().await?;
        self.contribution(id).await
    }

    async fn contribution(&self, id: i64) -> Result<Contribution> {
        let mut conn = self.pool.acquire().await?;
        contributions::get(&mut conn, id).await
    }

    async fn contributions(&self, query: &ContributionQuery) -> Result<Page<Contribution>> {
        let mut conn = self.pool.acquire().await?;
        contributions::list(&mut conn, query).await
    }

    async fn contribution_history(&self, id: i64) -> Result<Vec<Version>> {
        let mut conn = self.pool.acquire().await?;
        contributions::history(&mut conn, id).await
    }

    async fn user_count(&self) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        users::count(&mut conn).await
    }

    async fn create_user(&self, actor: &Actor, user: &NewUser) -> Result<User> {
        let mut tx = begin_write(&self.pool).await?;
        let u = users::create(&mut tx, actor, user).await?;
        tx.commit().await?;
        Ok(u)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        let mut conn = self.pool.acquire().await?;
        users::by_email(&mut conn, email).await
    }

    async fn audit_verify(&self) -> Result<AuditReport> {
        let mut conn = self.pool.acquire().await?;
        audit_log::verify(&mut conn).await
    }
}
