//! The store implementation shared by both dialects. This module is compiled
//! twice, as `sqlite::sql` and `postgres::sql`: `super` is the dialect module,
//! which supplies the concrete `Db`, the migrations and how a write begins.
//! Dialect differences stay in those two small files and the migrations.

mod audit_log;
mod auth;
pub(super) mod catalog;
mod contributions;
mod coverage;
mod cursor;
mod evidence;
mod import_jobs;
mod imports;
mod needs;
mod proposals;
mod reference;
mod searches;
mod tx;
mod users;

use super::{Db, MIGRATOR, SqlStore, after_explicit_ids, import_settings};
use crate::model::*;
use crate::write_queue::WriteKind;
use crate::{DataVersion, Dialect, Result, Store, StoreError};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use needsdb_domain::reference::CatalogueItem;
use needsdb_domain::{ContributionEdit, NewContribution, NewDelivery, NewNeed};
use tx::{begin_record_write, begin_write};

/// How many list pages a process keeps per data version. A page is at most
/// `DEFAULT_PAGE` needs of about 1.5 KB each, so this bounds them near 10 MB;
/// past it the kept pages start again. The pages a crowd asks for (a
/// country's first page, the dashboard's lists) are few.
pub(crate) const KEPT_PAGES: usize = 64;

/// How many callers (a token or a session with its user) a process keeps per
/// data version. Every change to a token, a session or a user is an audited
/// write, so it moves the version; what time alone ends (expiry) is checked
/// again on every use. One is a few hundred bytes.
pub(crate) const KEPT_CALLERS: usize = 4096;

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
        _ => StoreError::from(e),
    }
}

/// Stored versions (`version`, `snapshot`, `changed_at`, `changed_by`) as records.
fn versions_from_rows(rows: &[<Db as sqlx::Database>::Row]) -> Result<Vec<Version>> {
    use sqlx::Row;
    rows.iter()
        .map(|r| {
            let snap: String = r.try_get("snapshot")?;
            Ok(Version {
                version: r.try_get("version")?,
                changed_at: r.try_get("changed_at")?,
                changed_by: r.try_get("changed_by")?,
                data: serde_json::from_str(&snap)?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}

/// Refuses an edit made against an older version than the stored one.
fn check_version(entity: &'static str, id: impl ToString, expected: Option<i64>, current: i64) -> Result<()> {
    match expected {
        Some(e) if e != current => Err(StoreError::VersionMismatch {
            entity,
            id: id.to_string(),
            expected: e,
            current,
        }),
        _ => Ok(()),
    }
}

impl SqlStore {
    /// The data version, from a read that began after this call; requests
    /// asking at once share one (`shared_read`).
    async fn head(&self) -> Result<DataVersion> {
        self.heads.get(|| audit_log::head(&self.pool)).await
    }

    /// An aggregate as of the current data version: kept, or read on one
    /// pooled connection and kept (see `answer_cache`).
    async fn kept<T, F, Fut>(&self, key: String, read: F) -> Result<T>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce(sqlx::pool::PoolConnection<Db>) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        self.kept_in(&self.answers, key, read).await
    }

    /// As `kept`, in the given store of answers.
    async fn kept_in<T, F, Fut>(&self, answers: &crate::AnswerCache, key: String, read: F) -> Result<T>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce(sqlx::pool::PoolConnection<Db>) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let version = self.head().await?;
        answers
            .get_or_compute(&version, key, || async {
                let conn = self.pool.acquire().await?;
                read(conn).await
            })
            .await
    }

    /// The catalogue (items, countries and parties, as validation needs
    /// them) as of this write, kept while its stamp (`catalog::STAMP`) stays
    /// the same. Called inside a write that holds the write lock, nothing
    /// else can change the catalogue before the write commits, so the kept
    /// copy is exactly what the write would read; every write moves the data
    /// version, but few change the catalogue, so it is read again only when
    /// one did (in any process). Call it before the write changes anything,
    /// so what is kept is committed.
    async fn catalogue(&self, tx: &mut tx::WriteTx) -> Result<std::sync::Arc<needsdb_domain::Catalog>> {
        let stamp = match tx.catalogue_stamp() {
            Some(s) => s,
            None => catalog::stamp(tx).await?,
        };
        {
            // A poisoned lock only means a panic elsewhere mid-assignment; the value is whole.
            let kept = self.catalogue.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((s, c)) = kept.as_ref()
                && *s == stamp
            {
                return Ok(c.clone());
            }
        }
        let loaded = std::sync::Arc::new(catalog::load(tx).await?);
        *self.catalogue.lock().unwrap_or_else(|p| p.into_inner()) = Some((stamp, loaded.clone()));
        Ok(loaded)
    }

    /// The (country, item) cells every coverage answer to `query` rolls up
    /// from, in units or in US dollars and by any grouping: one pass over
    /// the needs per question and data version.
    async fn coverage_cells(&self, query: &NeedQuery) -> Result<std::sync::Arc<Vec<coverage::Cell>>> {
        let query = coverage::validated_unless_asked(query);
        self.kept(format!("coverage cells {query:?}"), |mut conn| async move {
            coverage::cells(&mut conn, &query).await.map(std::sync::Arc::new)
        })
        .await
    }
}

#[async_trait]
impl Store for SqlStore {
    fn dialect(&self) -> Dialect {
        super::DIALECT
    }

    async fn import(
        &self,
        actor: &Actor,
        source: &mut dyn ImportSource,
        opts: &ImportOptions,
    ) -> Result<ImportOutcome> {
        // The import's own connection: its staging tables live there. It
        // leaves the pool at once and is closed, not given back: whatever it
        // was in the middle of on failure or when the import was cancelled
        // (a transaction holding the write lock, once publishing), and on
        // success the large page cache and temporary files an import grew,
        // which a pooled connection would keep for as long as the server runs.
        let mut conn = self.pool.acquire().await?.detach();
        let outcome = imports::run(&mut conn, actor, source, opts, &self.publishing, &self.writes).await;
        let _ = sqlx::Connection::close(conn).await;
        outcome
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn check_writes(&self) -> Result<()> {
        tx::probe_write(&self.pool, &self.writes).await
    }

    async fn migrate(&self) -> Result<MigrationReport> {
        MIGRATOR.run(&self.pool).await?;
        let mut conn = self.pool.acquire().await?;
        if reference::is_current(&mut conn).await? {
            // Nothing to write: a read-only database starts too.
            return reference::load(&mut conn).await;
        }
        drop(conn);
        let mut tx = begin_write(&self.pool, &self.writes).await?;
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
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let p = reference::add_organisation(&mut tx, actor, org).await?;
        tx.commit().await?;
        Ok(p)
    }

    async fn items(&self) -> Result<Vec<CatalogueItem>> {
        let mut conn = self.pool.acquire().await?;
        catalog::items(&mut conn).await
    }

    async fn item(&self, code: &str) -> Result<CatalogueItem> {
        let mut conn = self.pool.acquire().await?;
        catalog::item(&mut conn, code).await
    }

    async fn add_item(&self, actor: &Actor, item: &NewItem) -> Result<CatalogueItem> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let i = catalog::add_item(&mut tx, actor, item).await?;
        tx.commit().await?;
        Ok(i)
    }

    async fn update_item(
        &self,
        actor: &Actor,
        code: &str,
        expected: Option<i64>,
        patch: &ItemPatch,
    ) -> Result<CatalogueItem> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let i = catalog::update_item(&mut tx, actor, code, expected, patch).await?;
        tx.commit().await?;
        Ok(i)
    }

    async fn retire_item(&self, actor: &Actor, code: &str, expected: Option<i64>) -> Result<CatalogueItem> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let i = catalog::retire_item(&mut tx, actor, code, expected).await?;
        tx.commit().await?;
        Ok(i)
    }

    async fn item_history(&self, code: &str) -> Result<Vec<Version>> {
        let mut conn = self.pool.acquire().await?;
        catalog::item_history(&mut conn, code).await
    }

    async fn create_need(&self, actor: &Actor, input: &NewNeed, submit: bool) -> Result<Need> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let catalog = self.catalogue(&mut tx).await?;
        let id = needs::create(&mut tx, actor, input, submit, &catalog).await?;
        tx.commit().await?;
        self.need(id).await
    }

    async fn update_need(&self, actor: &Actor, id: i64, expected: Option<i64>, patch: &NewNeed) -> Result<Need> {
        let mut tx = begin_record_write(&self.pool, &self.writes).await?;
        let catalog = self.catalogue(&mut tx).await?;
        needs::update(&mut tx, actor, id, expected, patch, &catalog, WriteKind::Record).await?;
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
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        needs::change_status(&mut tx, actor, id, expected, change).await?;
        tx.commit().await?;
        self.need(id).await
    }

    async fn need(&self, id: i64) -> Result<Need> {
        let mut conn = self.pool.acquire().await?;
        needs::get(&mut conn, id).await
    }

    async fn needs(&self, query: &NeedQuery) -> Result<Page<Need>> {
        if query.limit.unwrap_or(DEFAULT_PAGE) > DEFAULT_PAGE {
            // Exports page through everything a thousand at a time: read, not kept.
            let mut conn = self.pool.acquire().await?;
            return needs::list(&mut conn, query).await;
        }
        // A page warns of dates gone by, so the day is part of the question.
        let key = format!("needs {} {query:?}", today());
        self.kept_in(&self.pages, key, |mut conn| async move {
            needs::list(&mut conn, query).await
        })
        .await
    }

    async fn need_history(&self, id: i64) -> Result<Vec<Version>> {
        let mut conn = self.pool.acquire().await?;
        needs::history(&mut conn, id).await
    }

    async fn create_contribution(&self, actor: &Actor, input: &NewContribution) -> Result<Contribution> {
        let mut tx = begin_record_write(&self.pool, &self.writes).await?;
        let catalog = self.catalogue(&mut tx).await?;
        let reporter = contributions::reporter(&mut tx, actor).await?;
        let id = contributions::create(&mut tx, actor, reporter.as_ref(), input, &catalog, WriteKind::Record).await?;
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
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        contributions::advance(&mut tx, actor, id, expected, change).await?;
        tx.commit().await?;
        self.contribution(id).await
    }

    async fn update_contribution(
        &self,
        actor: &Actor,
        id: i64,
        expected: Option<i64>,
        edit: &ContributionEdit,
    ) -> Result<Contribution> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        contributions::update(&mut tx, actor, id, expected, edit).await?;
        tx.commit().await?;
        self.contribution(id).await
    }

    async fn confirm_delivery(
        &self,
        actor: &Actor,
        id: i64,
        expected: Option<i64>,
        delivery: &NewDelivery,
    ) -> Result<Contribution> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        contributions::confirm_delivery(&mut tx, actor, id, expected, delivery).await?;
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

    async fn merge_contributions(&self, actor: &Actor, keep: i64, duplicate: i64) -> Result<Contribution> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        contributions::merge(&mut tx, actor, keep, duplicate).await?;
        tx.commit().await?;
        self.contribution(duplicate).await
    }

    async fn user_count(&self) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        users::count(&mut conn).await
    }

    async fn create_user(&self, actor: &Actor, user: &NewUser) -> Result<User> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let u = users::create(&mut tx, actor, user).await?;
        tx.commit().await?;
        Ok(u)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        let mut conn = self.pool.acquire().await?;
        users::by_email(&mut conn, email).await
    }

    async fn user(&self, id: i64) -> Result<User> {
        let mut conn = self.pool.acquire().await?;
        users::by_id(&mut conn, id).await
    }

    async fn users(&self) -> Result<Vec<User>> {
        let mut conn = self.pool.acquire().await?;
        users::all(&mut conn).await
    }

    async fn set_password(
        &self,
        actor: &Actor,
        user_id: i64,
        password_hash: &str,
        must_change: bool,
        ending: &Ending,
    ) -> Result<()> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        users::set_password(&mut tx, actor, user_id, password_hash, must_change).await?;
        match ending {
            Ending::OtherSessions(keep) => auth::end_sessions(&mut tx, actor, user_id, keep.as_deref()).await?,
            Ending::Everything => {
                auth::end_sessions(&mut tx, actor, user_id, None).await?;
                auth::end_tokens(&mut tx, actor, user_id).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn update_user(&self, actor: &Actor, user_id: i64, change: &UserUpdate) -> Result<User> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let u = users::update(&mut tx, actor, user_id, change).await?;
        if change.disabled == Some(true) {
            auth::end_sessions(&mut tx, actor, user_id, None).await?;
            auth::end_tokens(&mut tx, actor, user_id).await?;
        }
        tx.commit().await?;
        Ok(u)
    }

    async fn create_session(
        &self,
        actor: &Actor,
        user_id: i64,
        id_hash: &str,
        csrf: &str,
        ttl: chrono::Duration,
    ) -> Result<()> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        auth::create_session(&mut tx, actor, user_id, id_hash, csrf, ttl).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> Result<Option<Session>> {
        let found = self
            .kept_in(&self.callers, format!("session {id_hash}"), |mut conn| async move {
                auth::session(&mut conn, id_hash).await
            })
            .await?;
        // Kept while nothing is written, so its end is checked again now.
        Ok(found.filter(|s| s.expires_at > now()))
    }

    async fn revoke_session(&self, actor: &Actor, id_hash: &str) -> Result<()> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        auth::revoke_session(&mut tx, actor, id_hash).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_token(&self, actor: &Actor, token: &NewToken) -> Result<TokenInfo> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let t = auth::create_token(&mut tx, actor, token).await?;
        tx.commit().await?;
        Ok(t)
    }

    async fn token(&self, token_hash: &str) -> Result<Option<(TokenInfo, User)>> {
        let found = self
            .kept_in(&self.callers, format!("token {token_hash}"), |mut conn| async move {
                auth::token(&mut conn, token_hash).await
            })
            .await?;
        // Kept while nothing is written, so its end is checked again now.
        Ok(found.filter(|(t, _)| t.expires_at.is_none_or(|end| end > now())))
    }

    async fn tokens(&self, user_id: Option<i64>) -> Result<Vec<TokenInfo>> {
        let mut conn = self.pool.acquire().await?;
        auth::tokens(&mut conn, user_id).await
    }

    async fn revoke_token(&self, actor: &Actor, id: i64) -> Result<TokenInfo> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let t = auth::revoke_token(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(t)
    }

    async fn record_signin_failure(&self, email: &str, address: &str) -> Result<()> {
        // Not audited: a failure changes no record, and the table is its own log.
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        auth::record_failure(&mut tx, email, address).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn signin_failures(&self, email: &str, address: &str, since: DateTime<Utc>) -> Result<Failures> {
        let mut conn = self.pool.acquire().await?;
        auth::failures(&mut conn, email, address, since).await
    }

    async fn data_version(&self) -> Result<DataVersion> {
        self.head().await
    }

    fn answers(&self) -> &crate::AnswerCache {
        &self.answers
    }

    async fn coverage(&self, by: CoverageBy, query: &NeedQuery) -> Result<Vec<CoverageRow>> {
        coverage::in_units(&self.coverage_cells(query).await?, by)
    }

    async fn coverage_usd(&self, by: CoverageBy, query: &NeedQuery) -> Result<Vec<CoverageUsdRow>> {
        if by == CoverageBy::Item {
            return coverage::in_us_dollars(&self.coverage_cells(query).await?, by);
        }
        let query = coverage::validated_unless_asked(query);
        let cells = self
            .kept(format!("coverage value cells {query:?}"), |mut conn| async move {
                coverage::value_cells(&mut conn, &query).await.map(std::sync::Arc::new)
            })
            .await?;
        coverage::in_us_dollars(&cells, by)
    }

    async fn allocation_inputs(&self, item: &str) -> Result<Vec<AllocationInput>> {
        self.kept(format!("allocation_inputs {item}"), |mut conn| async move {
            coverage::allocation_inputs(&mut conn, item).await
        })
        .await
    }

    async fn delivered_by_country(&self, item: Option<&str>) -> Result<Vec<(String, i64)>> {
        self.kept(format!("delivered_by_country {item:?}"), |mut conn| async move {
            coverage::delivered_by_country(&mut conn, item).await
        })
        .await
    }

    async fn earmark_flows(&self) -> Result<Vec<FlowRow>> {
        let mut conn = self.pool.acquire().await?;
        contributions::earmark_flows(&mut conn).await
    }

    async fn monthly(&self, item: &str) -> Result<Vec<MonthRow>> {
        self.kept(format!("monthly {item}"), |mut conn| async move {
            coverage::monthly(&mut conn, item).await
        })
        .await
    }

    async fn save_proposal(
        &self,
        actor: &Actor,
        item: &str,
        supplier: &str,
        request: &serde_json::Value,
        result: &serde_json::Value,
    ) -> Result<Proposal> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let id = proposals::save(&mut tx, actor, item, supplier, request, result).await?;
        tx.commit().await?;
        self.proposal(id).await
    }

    async fn proposal(&self, id: i64) -> Result<Proposal> {
        let mut conn = self.pool.acquire().await?;
        proposals::get(&mut conn, id).await
    }

    async fn proposals(&self) -> Result<Vec<Proposal>> {
        let mut conn = self.pool.acquire().await?;
        proposals::list(&mut conn).await
    }

    async fn commit_proposal(&self, actor: &Actor, id: i64, shares: &[ProposalShare]) -> Result<Proposal> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        proposals::commit(&mut tx, actor, id, shares).await?;
        tx.commit().await?;
        self.proposal(id).await
    }

    async fn withdraw_proposal(&self, actor: &Actor, id: i64) -> Result<Proposal> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        proposals::decide(&mut tx, actor, id, "withdrawn").await?;
        tx.commit().await?;
        self.proposal(id).await
    }

    async fn create_search(
        &self,
        actor: &Actor,
        user_id: i64,
        name: &str,
        query: &serde_json::Value,
        token_hash: &str,
    ) -> Result<SavedSearch> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let s = searches::create(&mut tx, actor, user_id, name, query, token_hash).await?;
        tx.commit().await?;
        Ok(s)
    }

    async fn searches(&self, user_id: i64) -> Result<Vec<SavedSearch>> {
        let mut conn = self.pool.acquire().await?;
        searches::of_user(&mut conn, user_id).await
    }

    async fn search_by_token(&self, token_hash: &str) -> Result<Option<(SavedSearch, User)>> {
        let mut conn = self.pool.acquire().await?;
        searches::by_token(&mut conn, token_hash).await
    }

    async fn create_import_job(&self, actor: &Actor, job: &NewImportJob) -> Result<ImportJob> {
        let mut conn = self.pool.acquire().await?;
        import_jobs::create(&mut conn, actor, job).await
    }

    async fn import_job_progress(&self, id: i64, state: &str, rows_read: i64) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        import_jobs::progress(&mut conn, id, state, rows_read).await
    }

    async fn finish_import_job(&self, id: i64, rows_read: i64, end: &JobEnd) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        import_jobs::finish(&mut conn, id, rows_read, end).await
    }

    async fn import_job(&self, id: i64) -> Result<ImportJob> {
        let mut conn = self.pool.acquire().await?;
        import_jobs::get(&mut conn, id).await
    }

    async fn import_jobs(&self, user_id: Option<i64>, limit: i64) -> Result<Vec<ImportJob>> {
        let mut conn = self.pool.acquire().await?;
        import_jobs::list(&mut conn, user_id, limit).await
    }

    async fn delete_search(&self, actor: &Actor, user_id: i64, id: i64) -> Result<()> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        searches::delete(&mut tx, actor, user_id, id).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_verify(&self) -> Result<AuditReport> {
        let mut conn = self.pool.acquire().await?;
        audit_log::verify(&mut conn).await
    }

    async fn add_evidence(
        &self,
        actor: &Actor,
        entity: &str,
        id: i64,
        e: &needsdb_domain::evidence::ValidEvidence,
    ) -> Result<Evidence> {
        let mut tx = begin_write(&self.pool, &self.writes).await?;
        let new_id = evidence::add(&mut tx, actor, entity, id, e).await?;
        tx.commit().await?;
        let mut conn = self.pool.acquire().await?;
        Ok(evidence::file(&mut conn, new_id).await?.0)
    }

    async fn evidence(&self, entity: &str, id: i64) -> Result<Vec<Evidence>> {
        let mut conn = self.pool.acquire().await?;
        evidence::list(&mut conn, entity, id).await
    }

    async fn evidence_file(&self, evidence_id: i64) -> Result<(Evidence, Vec<u8>)> {
        let mut conn = self.pool.acquire().await?;
        evidence::file(&mut conn, evidence_id).await
    }

    async fn claim_mail(&self, user_id: i64, notice_id: &str) -> Result<bool> {
        let mut conn = self.pool.acquire().await?;
        let r = sqlx::query(
            "INSERT INTO mail_sent (user_id, notice_id, claimed_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, notice_id) DO UPDATE SET outcome = 'sending', claimed_at = excluded.claimed_at
             WHERE mail_sent.outcome LIKE 'failed%'",
        )
        .bind(user_id)
        .bind(notice_id)
        .bind(now())
        .execute(&mut *conn)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    async fn mail_outcome(&self, user_id: i64, notice_id: &str, outcome: &str) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("UPDATE mail_sent SET outcome = $1 WHERE user_id = $2 AND notice_id = $3")
            .bind(outcome)
            .bind(user_id)
            .bind(notice_id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    async fn recent_changes(&self, limit: i64) -> Result<Vec<AuditEvent>> {
        let mut conn = self.pool.acquire().await?;
        audit_log::recent(&mut conn, limit).await
    }

    fn pool_stats(&self) -> PoolStats {
        PoolStats {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        }
    }
}

/// The log's head, read on `conn`, for tests that watch one connection.
#[cfg(test)]
#[allow(dead_code, reason = "only PostgreSQL's tests watch how the head is read")]
pub(super) async fn head_on(conn: &mut Conn) -> Result<DataVersion> {
    audit_log::head(&mut *conn).await
}
