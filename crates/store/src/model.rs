//! What the store hands back: records ready to show as a table, JSON or CSV.
//! Quantities are shown in the item's unit and money in major units, as JSON
//! numbers that round-trip exactly (see `needsdb_domain::decimal`).

use chrono::{DateTime, NaiveDate, Utc};
use needsdb_domain::{ContributionKind, NeedStatus, Priority, Stage};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who made a change: `user:12`, `cli:root`, `system`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor(pub String);

impl Actor {
    pub fn system() -> Self {
        Self("system".into())
    }
    pub fn user(id: i64) -> Self {
        Self(format!("user:{id}"))
    }
    pub fn cli() -> Self {
        let who = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "local".into());
        Self(format!("cli:{who}"))
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountryRow {
    pub iso3: String,
    pub iso2: String,
    pub m49: String,
    pub name_en: String,
    pub name_fr: String,
    pub name_es: String,
    pub name_ru: String,
    pub name_zh: String,
    pub name_ar: String,
    pub region: Option<String>,
    pub subregion: Option<String>,
    pub who_region: Option<String>,
    pub income_group: Option<String>,
    pub nam_status: String,
    pub nam_group: Option<String>,
    pub population: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CountryFilter {
    pub nam_status: Option<String>,
    pub who_region: Option<String>,
    pub income_group: Option<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Party {
    pub code: String,
    pub kind: String,
    pub name: String,
    pub org_type: Option<String>,
    pub nam_status: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOrganisation {
    pub code: Option<String>,
    pub name: Option<String>,
    pub org_type: Option<String>,
}

pub use needsdb_domain::item::{ItemPatch, NewItem};

/// How far a need is covered, in the need's unit (item units, or US dollars).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub needed: Value,
    pub announced: Value,
    pub pledged: Value,
    /// Committed and later stages: what counts as funded, as in OCHA FTS.
    pub committed: Value,
    pub delivered: Value,
    pub unmet: Value,
    pub coverage_pct: f64,
}

/// Coverage sums in base units, before formatting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoverageSums {
    pub announced: i64,
    pub pledged: i64,
    pub funded: i64,
    pub delivered: i64,
}

impl CoverageSums {
    /// Coverage of one need.
    pub fn present(&self, needed: i64, decimals: u32) -> Coverage {
        self.present_with_unmet(needed, (needed - self.funded).max(0), decimals)
    }

    /// Coverage of a group of needs, whose unmet total is the sum of each
    /// need's own gap: one over-funded need does not hide another's gap.
    pub fn present_with_unmet(&self, needed: i64, unmet: i64, decimals: u32) -> Coverage {
        let n = |v: i64| needsdb_domain::decimal::to_json_number(v, decimals);
        let met = needed - unmet;
        let pct = if needed > 0 {
            (met as f64 / needed as f64 * 1000.0).round() / 10.0
        } else {
            0.0
        };
        Coverage {
            needed: n(needed),
            announced: n(self.announced),
            pledged: n(self.pledged),
            committed: n(self.funded),
            delivered: n(self.delivered),
            unmet: n(unmet),
            coverage_pct: pct,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Need {
    pub id: i64,
    pub version: i64,
    pub status: NeedStatus,
    pub country: String,
    pub country_name: String,
    pub place: Option<String>,
    pub pcode: Option<String>,
    pub item: String,
    pub item_name: String,
    pub cluster: String,
    /// The unit of `quantity` and of the coverage figures: the item's unit, or `USD`.
    pub unit: String,
    /// In the item's unit; for a financial need, its US dollar value.
    pub quantity: Value,
    pub amount: Option<Value>,
    pub currency: Option<String>,
    pub usd_rate: Option<String>,
    pub priority: Priority,
    pub needed_by: NaiveDate,
    pub justification: String,
    pub reported_via: String,
    pub external_id: Option<String>,
    /// In units (or US dollars for a financial need): goods in kind only.
    pub coverage: Coverage,
    /// The need's indicative value in US dollars: its quantity at its item's
    /// unit value. None when the item has no unit value.
    pub value_usd: Option<Value>,
    /// Coverage in US dollars: goods at the need's own price per unit, plus
    /// cash linked to it. None when the need has no value.
    pub coverage_usd: Option<Coverage>,
    /// How many people the need concerns and will reach, and the source.
    pub people_in_need: Option<i64>,
    pub people_targeted: Option<i64>,
    pub people_source: Option<String>,
    /// What meeting the need makes possible: "so that 14 villages can return".
    pub outcome: Option<String>,
    /// Committed above what is needed (in units, or in US dollars where the
    /// need has a value): a sign of double counting or of supplies to send
    /// on elsewhere.
    pub over_covered: bool,
    /// Things to check, such as a date needed that has passed.
    pub warnings: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Link {
    pub need: i64,
    pub quantity: Value,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarmarkOut {
    pub target: String,
    pub share_percent: Option<Value>,
    pub amount: Option<Value>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageEvent {
    pub from: Option<Stage>,
    pub to: Stage,
    pub date: NaiveDate,
    pub note: String,
    pub source_url: Option<String>,
    pub actor: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contribution {
    pub id: i64,
    pub version: i64,
    pub donor: String,
    pub recipient: String,
    pub channel: Option<String>,
    pub kind: ContributionKind,
    pub item: Option<String>,
    /// The item's unit, or the currency code for cash.
    pub unit: String,
    /// In the item's unit, or major units of the currency.
    pub quantity: Value,
    pub currency: Option<String>,
    pub usd_rate: Option<String>,
    /// In US dollars: the cash itself, the donor's value of goods, or else
    /// the catalogue's indicative value (then `usd_value_estimated`).
    pub usd_value: Option<Value>,
    pub usd_value_estimated: bool,
    pub stage: Stage,
    pub stage_date: NaiveDate,
    /// Whether it counts as funded: committed or later, and not merged into
    /// another report of the same flow.
    pub funded: bool,
    /// Whether it counts at all: neither merged nor cancelled.
    pub counted: bool,
    /// The DAC sector declared for cash that funds no need.
    pub sector: Option<String>,
    /// donor or receiving: which side of the flow reported it.
    pub reported_side: Option<String>,
    pub source_url: Option<String>,
    pub description: String,
    pub external_id: Option<String>,
    pub links: Vec<Link>,
    pub earmarks: Vec<EarmarkOut>,
    pub events: Vec<StageEvent>,
    /// What the recipient confirmed as arrived (all of it at the delivered
    /// stage), in the contribution's unit.
    pub delivered: Value,
    /// What is still to arrive, once funded: shipped but not yet confirmed.
    pub outstanding: Option<Value>,
    /// The recipient's confirmations, oldest first; goods may arrive in parts.
    pub deliveries: Vec<Delivery>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Set when this report was merged into another: it no longer counts.
    pub merged_into: Option<i64>,
}

pub use needsdb_domain::StageChange;

/// One confirmation by the recipient of what arrived.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub quantity: Value,
    pub date: NaiveDate,
    pub note: String,
    pub source_url: Option<String>,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// A status change of a need as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub to: Option<String>,
    pub note: Option<String>,
}

/// One stored version of a need or contribution.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Version {
    pub version: i64,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
    pub data: Value,
    /// Why: the reviewer's note on a validation, return or withdrawal, or
    /// the recipient's note on a delivery.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Filters shared by the lists of needs (and, where they apply, contributions).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NeedQuery {
    pub country: Option<String>,
    pub nam_status: Option<String>,
    pub region: Option<String>,
    pub who_region: Option<String>,
    pub income_group: Option<String>,
    pub cluster: Option<String>,
    pub item: Option<String>,
    pub priority: Option<String>,
    pub status: Option<String>,
    pub needed_from: Option<NaiveDate>,
    pub needed_to: Option<NaiveDate>,
    pub external_id: Option<String>,
    /// `id`, `needed_by`, `priority`, `created_at` or `updated_at`; a leading
    /// `-` sorts descending.
    pub sort: Option<String>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
    pub limit: Option<u32>,
    /// Which needs the caller may see; set by the service layer, never by the client.
    #[serde(skip)]
    pub scope: Option<NeedScope>,
}

/// Restricts what a caller sees: needs of `own_country` in any status, and
/// other needs only in one of the `shared` statuses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NeedScope {
    pub own_country: Option<String>,
    pub shared: Vec<NeedStatus>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionQuery {
    pub donor: Option<String>,
    pub recipient: Option<String>,
    pub channel: Option<String>,
    pub item: Option<String>,
    pub stage: Option<String>,
    pub kind: Option<String>,
    /// The recipient state, by ISO3 code (comma-separated).
    pub country: Option<String>,
    /// NAM status, M49 region, WHO region and income group of the recipient.
    pub nam_status: Option<String>,
    pub region: Option<String>,
    pub who_region: Option<String>,
    pub income_group: Option<String>,
    /// Cluster of the item carried.
    pub cluster: Option<String>,
    /// Contributions linked to a need of this priority.
    pub priority: Option<String>,
    /// Stage date on or after / on or before (YYYY-MM-DD).
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// `id`, `stage_date` or `created_at`; a leading `-` sorts descending.
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
    /// Leave the total uncounted (it is then -1): a reader that walks every
    /// page does not need it on each (a count costs as much as a page).
    #[serde(skip)]
    pub without_total: bool,
}

/// A contribution as the earmark report follows it: integers as stored
/// (quantity and earmark amounts in the contribution's base units, value in
/// US cents), and the first date it reached a funded stage.
#[derive(Debug, Clone)]
pub struct FlowRow {
    pub id: i64,
    pub donor: String,
    pub recipient: String,
    pub item: Option<String>,
    pub quantity: i64,
    pub value_cents: Option<i64>,
    pub stage: needsdb_domain::Stage,
    pub stage_date: NaiveDate,
    /// The earliest stage event into a funded stage.
    pub first_funded_event: Option<NaiveDate>,
    pub earmarks: Vec<FlowEarmark>,
}

#[derive(Debug, Clone)]
pub struct FlowEarmark {
    pub target: String,
    pub share_bp: Option<i64>,
    pub amount: Option<i64>,
}

pub const DEFAULT_PAGE: u32 = 100;
pub const MAX_PAGE: u32 = 1000;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub total: i64,
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// Roles, from most to least powerful. See ARCHITECTURE.md for what each may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Admin,
    Secretariat,
    FocalPoint,
    Partner,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Admin,
        Self::Secretariat,
        Self::FocalPoint,
        Self::Partner,
        Self::Viewer,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Secretariat => "secretariat",
            Self::FocalPoint => "focal_point",
            Self::Partner => "partner",
            Self::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let k = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|r| r.as_str() == k)
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub country: Option<String>,
    pub org: Option<String>,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
    pub disabled: bool,
}

/// Which of a user's sign-ins a password change ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The user changed it: every other session ends; this one (by the hash
    /// of its id) stays, and so do the user's API tokens.
    OtherSessions(Option<String>),
    /// An administrator reset it: every session and every API token ends.
    Everything,
}

/// An administrator's change to an account. Fields left out stay.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserUpdate {
    /// admin, secretariat, focal_point, partner or viewer.
    pub role: Option<String>,
    /// A focal point's member state (ISO3); null to unbind.
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub country: Option<Option<String>>,
    /// A partner's organisation or donor state; null to unbind.
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub org: Option<Option<String>>,
    /// Disabling ends every session and token at once.
    pub disabled: Option<bool>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Failed sign-ins of one account from one address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub last: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub country: Option<String>,
    pub org: Option<String>,
    pub must_change_password: bool,
}

/// The result of checking the audit chain.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditReport {
    pub entries: i64,
    /// The first entry that does not fit the chain, with the reason.
    pub first_bad: Option<(i64, String)>,
    /// Records whose current state is not the last state the log recorded
    /// for them: changed behind the store's back.
    pub records: Vec<RecordMismatch>,
    /// How many records were compared with the log.
    pub records_checked: i64,
}

/// A record that differs from what the audit log last recorded for it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordMismatch {
    /// need, contribution, item or user.
    pub entity: String,
    pub id: String,
    /// The audit entry that recorded its last state.
    pub entry: i64,
    /// Each field that differs: "quantity: 200 in the log, 5000 now".
    pub differences: Vec<String>,
}

/// What `migrate` did.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationReport {
    pub schema_version: i64,
    pub reference_loaded: bool,
    pub countries: i64,
    pub items: i64,
    pub parties: i64,
}

/// A signed-in browser session. Only the hash of its id is stored.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// An API token as listed; the token itself is shown only when created.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenInfo {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The first characters of the token, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub token_hash: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Connection pool figures, for /metrics.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// How coverage is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CoverageBy {
    Country,
    Item,
    Cluster,
    Region,
    WhoRegion,
    IncomeGroup,
    NamStatus,
}

impl CoverageBy {
    pub const ALL: [CoverageBy; 7] = [
        Self::Country,
        Self::Item,
        Self::Cluster,
        Self::Region,
        Self::WhoRegion,
        Self::IncomeGroup,
        Self::NamStatus,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Item => "item",
            Self::Cluster => "cluster",
            Self::Region => "region",
            Self::WhoRegion => "who_region",
            Self::IncomeGroup => "income_group",
            Self::NamStatus => "nam_status",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.as_str() == s.trim())
    }
}

/// Coverage of one group for one item. Quantities of different items are
/// never added together; financial needs are in US dollars.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageRow {
    pub group: String,
    pub item: String,
    pub unit: String,
    pub needs: i64,
    /// Needs of the group committed above what they need.
    pub over_covered: i64,
    #[serde(flatten)]
    pub coverage: Coverage,
}

/// Coverage of one group in US dollars, across items: needs with a value
/// only (`unvalued_needs` counts the others, which are left out).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageUsdRow {
    pub group: String,
    /// Always USD.
    pub unit: String,
    /// Needs counted: those with a value.
    pub needs: i64,
    /// Needs left out because their item has no unit value.
    pub unvalued_needs: i64,
    #[serde(flatten)]
    pub coverage: Coverage,
}

/// What the allocation rule needs to know about one country, for one item,
/// in the item's base units.
#[derive(Debug, Clone, Serialize)]
pub struct AllocationInput {
    pub iso3: String,
    pub name: String,
    pub population: Option<i64>,
    /// Unmet need of validated needs, by priority: critical, high, medium, low.
    pub unmet: [i64; 4],
    /// All validated need, met or not.
    pub total_need: i64,
    /// Delivered in kind to this country.
    pub delivered: i64,
}

/// One month of a series, in the item's unit (or US dollars for cash):
/// what was needed by then, and what reached each stage in that month.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthRow {
    pub month: String,
    pub needed: Value,
    pub announced: Value,
    pub pledged: Value,
    pub committed: Value,
    pub delivered: Value,
}

/// A saved allocation, for review before it becomes commitments.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub id: i64,
    pub item: String,
    pub supplier: String,
    /// proposed, committed or withdrawn.
    pub status: String,
    pub request: Value,
    pub result: Value,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    /// The contributions it became.
    pub contributions: Vec<i64>,
}

/// One recipient's share in a proposal, in the item's base units.
#[derive(Debug, Clone)]
pub struct ProposalShare {
    pub iso3: String,
    pub quantity: i64,
}

/// A saved search of needs, followed as an Atom feed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedSearch {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The need filters, as the needs list takes them.
    pub query: Value,
    pub created_at: DateTime<Utc>,
}

/// An import as a job: the file waits on disk, then is checked and written
/// while its sender watches.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportJob {
    pub id: i64,
    /// The account that sent the file; none for the command line.
    pub user_id: Option<i64>,
    pub file: String,
    /// hxl, xlsx or json.
    pub format: String,
    /// The file's size in bytes.
    pub bytes: i64,
    pub dry_run: bool,
    /// queued, checking, writing, done or failed; interrupted when the
    /// server stopped during it (being all or nothing, it wrote nothing).
    pub state: String,
    /// Rows read so far.
    pub rows_read: i64,
    /// The import report, once done: counts, and every problem with its row and column.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub report: Option<Value>,
    /// Why the job failed (a fault, not a problem in the file).
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl ImportJob {
    /// An unfinished job whose heartbeat is older than this was interrupted.
    pub const STALE_AFTER_MINUTES: i64 = 10;
    pub const ACTIVE_STATES: [&'static str; 3] = ["queued", "checking", "writing"];

    pub fn is_finished(&self) -> bool {
        !Self::ACTIVE_STATES.contains(&self.state.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct NewImportJob {
    pub user_id: Option<i64>,
    pub file: String,
    pub format: String,
    pub bytes: i64,
    pub dry_run: bool,
}

/// How a job ended.
#[derive(Debug, Clone)]
pub enum JobEnd {
    Done(Value),
    Failed(String),
}

/// One need of an import, with the spreadsheet row it came from.
#[derive(Debug, Clone)]
pub struct NeedImport {
    pub row: u64,
    pub input: needsdb_domain::NewNeed,
    /// draft, submitted, validated or withdrawn; a new need starts in it.
    pub status: NeedStatus,
    /// Fields the reader already reported a problem with: the store checks
    /// the rest of the row, and does not report these again.
    pub reported: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ContributionImport {
    pub row: u64,
    pub input: needsdb_domain::NewContribution,
    /// Needs named by country and external id (or `needsdb-<id>`), with the
    /// quantity for each: links that survive a move between databases.
    pub need_refs: Vec<NeedRef>,
    /// Fields the reader already reported a problem with.
    pub reported: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NeedRef {
    pub country: String,
    pub key: String,
    pub quantity: Value,
}

pub enum ImportChunk {
    Needs(Vec<NeedImport>),
    Contributions(Vec<ContributionImport>),
}

/// Where an import's rows come from, a chunk at a time, so a file of a
/// million rows is never held in memory. A reader that found problems of
/// its own (a name it could not resolve, a cell it could not read) says so,
/// and the store then writes nothing. Waiting for a chunk is async, so a
/// server keeps serving while a file is read.
#[async_trait::async_trait]
pub trait ImportSource: Send {
    async fn next_chunk(&mut self) -> Option<ImportChunk>;
    fn has_problems(&self) -> bool;
}

#[derive(Clone, Default)]
pub struct ImportOptions {
    pub dry_run: bool,
    /// What is imported, for the audit log: a file name.
    pub label: String,
    /// SHA-256 of the file, for the audit log.
    pub fingerprint: String,
    /// Told when the import moves on: "checking", then "writing".
    pub on_phase: Option<std::sync::Arc<dyn Fn(&'static str) + Send + Sync>>,
}

impl ImportOptions {
    pub fn phase(&self, phase: &'static str) {
        if let Some(f) = &self.on_phase {
            f(phase);
        }
    }
}

impl std::fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("dry_run", &self.dry_run)
            .field("label", &self.label)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

/// A problem with one row, named by the record's field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowProblem {
    pub row: u64,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// The most row problems an import keeps; the rest are counted.
pub const MAX_ROW_PROBLEMS: usize = 1000;

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportOutcome {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows that repeat an earlier row of the same file: imported once.
    pub duplicates: u64,
    pub problems: Vec<RowProblem>,
    pub problem_count: u64,
    /// True when the import was written; false for a dry run or a file with problems.
    pub committed: bool,
}

impl ImportOutcome {
    pub fn problem(&mut self, row: u64, field: &str, code: &str, message: impl Into<String>) {
        self.problem_count += 1;
        if self.problems.len() < MAX_ROW_PROBLEMS {
            self.problems.push(RowProblem {
                row,
                field: field.to_owned(),
                code: code.to_owned(),
                message: message.into(),
            });
        }
    }
}

/// One change as the audit log keeps it: who did what to which record, and
/// the record after.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub after: Option<Value>,
}

/// Evidence for a need or a contribution (a delivery's evidence belongs to
/// its contribution): a link, or a file kept in the database.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    pub id: i64,
    /// need or contribution.
    pub entity: String,
    pub entity_id: i64,
    /// link or file.
    pub kind: String,
    pub title: String,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub media_type: Option<String>,
    pub bytes: Option<i64>,
    pub sha256: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}
