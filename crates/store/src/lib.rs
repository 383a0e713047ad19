//! The needsdb store: one [`Store`] trait with a SQLite implementation (the
//! embedded default) and a PostgreSQL implementation (production). Both are
//! compiled from the same source in `sql/`, instantiated once per dialect, so
//! they cannot drift apart; each dialect has its own migrations folder.
//!
//! Every write runs in one transaction, keeps the previous version of what it
//! changes, and appends to the hash-chained audit log.

pub mod answer_cache;
pub mod audit;
pub mod backup;
mod error;
pub mod model;
pub mod postgres;
mod publish_gate;
mod shared_read;
pub mod sqlite;
mod staging;
mod write_queue;

/// External ids needsdb gives records in exports, and keys made from content.
pub use sql_keys::{CONTENT_KEY_PREFIX, OWN_ID_PREFIX, own_id};
mod sql_keys {
    pub const OWN_ID_PREFIX: &str = "needsdb-";
    pub const CONTENT_KEY_PREFIX: &str = "key-";

    /// The record id in a key an export gave a record without an external id.
    pub fn own_id(key: &str) -> Option<i64> {
        key.strip_prefix(OWN_ID_PREFIX)?.parse().ok()
    }
}

pub use answer_cache::{AnswerCache, DataVersion};
pub use error::{Result, StoreError};
pub use model::*;

use async_trait::async_trait;
use needsdb_domain::reference::CatalogueItem;
use needsdb_domain::{ContributionEdit, NewContribution, NewDelivery, NewNeed};
use std::sync::Arc;

/// Where an import is, for the settings its connection needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImportStep {
    /// Reading and staging: reads, and writes to temporary tables.
    Check,
    /// The one write transaction that moves the staged rows in.
    Publish,
    /// Done: the connection goes back to serving others.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[async_trait]
pub trait Store: Send + Sync {
    fn dialect(&self) -> Dialect;

    /// Answers once the database is reachable.
    async fn ping(&self) -> Result<()>;

    /// Makes a tiny write (a heartbeat) and commits it: fails with
    /// `OutOfSpace` or `ReadOnly` while writes cannot work.
    async fn check_writes(&self) -> Result<()>;

    /// Brings the schema up to date and loads or refreshes the reference data.
    async fn migrate(&self) -> Result<MigrationReport>;

    // Reference data and parties.
    async fn countries(&self, filter: &CountryFilter) -> Result<Vec<CountryRow>>;
    async fn parties(&self) -> Result<Vec<Party>>;
    async fn add_organisation(&self, actor: &Actor, org: &NewOrganisation) -> Result<Party>;
    /// Every item, retired ones included (they say so).
    async fn items(&self) -> Result<Vec<CatalogueItem>>;
    async fn item(&self, code: &str) -> Result<CatalogueItem>;
    async fn add_item(&self, actor: &Actor, item: &NewItem) -> Result<CatalogueItem>;
    /// Edits an item (`expected_version` as for needs). A changed unit value
    /// revalues the item's needs and estimated goods in the same transaction.
    async fn update_item(
        &self,
        actor: &Actor,
        code: &str,
        expected_version: Option<i64>,
        patch: &ItemPatch,
    ) -> Result<CatalogueItem>;
    /// Retires an item: it stays, but is offered for no new need.
    async fn retire_item(&self, actor: &Actor, code: &str, expected_version: Option<i64>) -> Result<CatalogueItem>;
    async fn item_history(&self, code: &str) -> Result<Vec<Version>>;

    // Needs.
    async fn create_need(&self, actor: &Actor, input: &NewNeed, submit: bool) -> Result<Need>;
    /// Applies the fields set in `patch`. `expected_version` guards against
    /// lost updates: a stale one fails with `VersionMismatch`.
    async fn update_need(&self, actor: &Actor, id: i64, expected_version: Option<i64>, patch: &NewNeed)
    -> Result<Need>;
    async fn change_need_status(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i64>,
        change: &StatusChange,
    ) -> Result<Need>;
    async fn need(&self, id: i64) -> Result<Need>;
    async fn needs(&self, query: &NeedQuery) -> Result<Page<Need>>;
    async fn need_history(&self, id: i64) -> Result<Vec<Version>>;

    /// Imports a file's rows in one transaction: all of them, or with any
    /// problem (or a dry run) none. See `sql/imports.rs`.
    async fn import(&self, actor: &Actor, source: &mut dyn ImportSource, opts: &ImportOptions)
    -> Result<ImportOutcome>;

    // Contributions.
    async fn create_contribution(&self, actor: &Actor, input: &NewContribution) -> Result<Contribution>;
    async fn advance_contribution(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i64>,
        change: &StageChange,
    ) -> Result<Contribution>;
    /// Corrects a recorded contribution (quantity, dates, links, earmarks),
    /// keeping its history; linked needs are re-evaluated in the same write.
    async fn update_contribution(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i64>,
        edit: &ContributionEdit,
    ) -> Result<Contribution>;
    /// Records what the recipient confirms arrived; a shipment may arrive in
    /// parts, and becomes delivered once all of it has.
    async fn confirm_delivery(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: Option<i64>,
        delivery: &NewDelivery,
    ) -> Result<Contribution>;
    async fn contribution(&self, id: i64) -> Result<Contribution>;
    async fn contributions(&self, query: &ContributionQuery) -> Result<Page<Contribution>>;
    async fn contribution_history(&self, id: i64) -> Result<Vec<Version>>;
    /// Merges a duplicate report into the one kept; both histories stay.
    async fn merge_contributions(&self, actor: &Actor, keep: i64, duplicate: i64) -> Result<Contribution>;

    // Accounts.
    async fn user_count(&self) -> Result<i64>;
    async fn create_user(&self, actor: &Actor, user: &NewUser) -> Result<User>;
    async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>>;

    async fn user(&self, id: i64) -> Result<User>;
    async fn users(&self) -> Result<Vec<User>>;
    /// Sets a password and ends the sign-ins `ending` names, in one transaction.
    async fn set_password(
        &self,
        actor: &Actor,
        user_id: i64,
        password_hash: &str,
        must_change: bool,
        ending: &Ending,
    ) -> Result<()>;
    /// Changes an account's role, binding or state; disabling it ends every
    /// session and token. The change holds from the next request on.
    async fn update_user(&self, actor: &Actor, user_id: i64, change: &UserUpdate) -> Result<User>;

    // Sessions and tokens: only hashes of secrets are stored.
    async fn create_session(
        &self,
        actor: &Actor,
        user_id: i64,
        id_hash: &str,
        csrf_token: &str,
        ttl: chrono::Duration,
    ) -> Result<()>;
    async fn session(&self, id_hash: &str) -> Result<Option<Session>>;
    async fn revoke_session(&self, actor: &Actor, id_hash: &str) -> Result<()>;
    async fn create_token(&self, actor: &Actor, token: &NewToken) -> Result<TokenInfo>;
    async fn token(&self, token_hash: &str) -> Result<Option<(TokenInfo, User)>>;
    async fn tokens(&self, user_id: Option<i64>) -> Result<Vec<TokenInfo>>;
    async fn revoke_token(&self, actor: &Actor, id: i64) -> Result<TokenInfo>;
    async fn record_signin_failure(&self, email: &str, address: &str) -> Result<()>;
    /// Failed sign-ins of this account from this address since `since`.
    async fn signin_failures(
        &self,
        email: &str,
        address: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Failures>;

    // Analysis.
    /// The state of the data: the audit log's head, which every write moves
    /// (see `answer_cache`). The aggregates below are kept per version.
    async fn data_version(&self) -> Result<DataVersion>;
    /// Answers kept per data version; the services keep their own
    /// aggregates (the earmark report) here too.
    fn answers(&self) -> &AnswerCache;
    /// Coverage in units, by group and item.
    async fn coverage(&self, by: CoverageBy, query: &NeedQuery) -> Result<Vec<CoverageRow>>;
    /// Coverage in US dollars, by group across items.
    async fn coverage_usd(&self, by: CoverageBy, query: &NeedQuery) -> Result<Vec<CoverageUsdRow>>;
    /// Per-country figures for allocating `item`: every country, even with no need.
    async fn allocation_inputs(&self, item: &str) -> Result<Vec<AllocationInput>>;
    /// Delivered per recipient country: an item's quantity, or with no item
    /// the US cents of cash disbursed or delivered.
    async fn delivered_by_country(&self, item: Option<&str>) -> Result<Vec<(String, i64)>>;
    /// The flows the earmark report follows: every earmarked contribution,
    /// and every contribution made by one of their recipients (the onward
    /// flows), cancelled ones included; reports merged into another are
    /// left out, as they count once, in the report they were merged into.
    async fn earmark_flows(&self) -> Result<Vec<FlowRow>>;
    /// Month by month for one item: needed (by date needed) and what reached
    /// each stage (by the date it did).
    async fn monthly(&self, item: &str) -> Result<Vec<MonthRow>>;

    // Allocation proposals.
    async fn save_proposal(
        &self,
        actor: &Actor,
        item: &str,
        supplier: &str,
        request: &serde_json::Value,
        result: &serde_json::Value,
    ) -> Result<Proposal>;
    async fn proposal(&self, id: i64) -> Result<Proposal>;
    async fn proposals(&self) -> Result<Vec<Proposal>>;
    /// Turns a proposal into committed contributions from its supplier, one
    /// per recipient, linked to the recipient's open needs of the item, in
    /// one transaction.
    async fn commit_proposal(&self, actor: &Actor, id: i64, shares: &[ProposalShare]) -> Result<Proposal>;
    async fn withdraw_proposal(&self, actor: &Actor, id: i64) -> Result<Proposal>;

    // Import jobs.
    async fn create_import_job(&self, actor: &Actor, job: &NewImportJob) -> Result<ImportJob>;
    /// Records a job's state and rows read so far; also its heartbeat.
    async fn import_job_progress(&self, id: i64, state: &str, rows_read: i64) -> Result<()>;
    async fn finish_import_job(&self, id: i64, rows_read: i64, end: &JobEnd) -> Result<()>;
    async fn import_job(&self, id: i64) -> Result<ImportJob>;
    /// The latest jobs, newest first: one account's, or everyone's.
    async fn import_jobs(&self, user_id: Option<i64>, limit: i64) -> Result<Vec<ImportJob>>;

    // Saved searches.
    async fn create_search(
        &self,
        actor: &Actor,
        user_id: i64,
        name: &str,
        query: &serde_json::Value,
        token_hash: &str,
    ) -> Result<SavedSearch>;
    async fn searches(&self, user_id: i64) -> Result<Vec<SavedSearch>>;
    async fn search_by_token(&self, token_hash: &str) -> Result<Option<(SavedSearch, User)>>;
    async fn delete_search(&self, actor: &Actor, user_id: i64, id: i64) -> Result<()>;

    // Audit.
    async fn audit_verify(&self) -> Result<AuditReport>;
    /// Keeps evidence (a link or a checked file) for a need or a contribution.
    async fn add_evidence(
        &self,
        actor: &Actor,
        entity: &str,
        id: i64,
        e: &needsdb_domain::evidence::ValidEvidence,
    ) -> Result<Evidence>;
    /// The evidence of a record, without the files' bytes.
    async fn evidence(&self, entity: &str, id: i64) -> Result<Vec<Evidence>>;
    /// One piece of evidence with its file's bytes.
    async fn evidence_file(&self, evidence_id: i64) -> Result<(Evidence, Vec<u8>)>;
    /// Claims a notice for e-mail to a user: true for the first claim, and
    /// again after a failed send (to try once more).
    async fn claim_mail(&self, user_id: i64, notice_id: &str) -> Result<bool>;
    /// Records how sending a claimed notice ended: sent, or why not.
    async fn mail_outcome(&self, user_id: i64, notice_id: &str, outcome: &str) -> Result<()>;
    /// The latest `limit` changes to needs and contributions, newest first.
    async fn recent_changes(&self, limit: i64) -> Result<Vec<AuditEvent>>;

    fn pool_stats(&self) -> PoolStats;
}

/// Opens the store a database URL names: `sqlite://PATH` (created if
/// missing) or `postgres://...`.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::open(url).await?))
    } else {
        Err(StoreError::Internal(format!(
            "unsupported database URL '{}': use sqlite://PATH or postgres://USER@HOST/DB",
            redact(url)
        )))
    }
}

/// A database URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn own_ids_are_read_only_from_needsdb_keys() {
        use super::own_id;
        assert_eq!(own_id("needsdb-42"), Some(42));
        assert_eq!(own_id("needsdb-"), None);
        assert_eq!(own_id("needsdb-4x"), None);
        assert_eq!(own_id("42"), None);
        assert_eq!(own_id("other-42"), None);
    }
}
