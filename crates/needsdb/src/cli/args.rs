//! Flags and subcommands.

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "needsdb",
    version,
    about = "Humanitarian and medical needs, pledges, deliveries and fair allocation."
)]
pub struct Cli {
    /// Database: sqlite://PATH (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "NEEDSDB_DATABASE_URL",
        default_value = "sqlite://needsdb.sqlite"
    )]
    pub database: String,

    /// Act as this account, under its role's rules (needs, contributions and
    /// imports). Without it, the command line acts as an administrator.
    #[arg(long = "as", global = true, value_name = "EMAIL")]
    pub as_user: Option<String>,

    /// Output format: table, json or csv; for `export`, hxl, xlsx, json or iati.
    #[arg(long, global = true, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    #[command(subcommand)]
    pub command: Command,
}

/// What `--format` accepts. The file formats only apply to `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Json,
    Csv,
    Hxl,
    Xlsx,
    Iati,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResolveWhat {
    Country,
    Item,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    Needs,
    Contributions,
    /// The XLSX template for a country's needs (needs --country).
    Template,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Needs,
    Contributions,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The code for a country or an item written as people write it ("Lao PDR", "Côte d’Ivoire", "KE").
    Resolve { what: ResolveWhat, name: String },
    /// Import needs or contributions from HXL CSV, XLSX or JSON: every row, or with any problem none.
    Import {
        file: std::path::PathBuf,
        /// Check the whole file and report, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// Use close matches of names ("Keyna" for Kenya) instead of reporting them.
        #[arg(long)]
        accept_suggestions: bool,
        /// What the file holds; found from its columns when not given.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Numbers in the file are written with a decimal comma ("12,75").
        #[arg(long, conflicts_with = "decimal_point")]
        decimal_comma: bool,
        /// Numbers in the file are written with a decimal point ("12.75"). Without
        /// either flag, a number that reads two ways ("1.000") is reported, not guessed.
        #[arg(long)]
        decimal_point: bool,
    },
    /// Copy the database, consistently, while the server keeps writing; the
    /// copy is checked. SQLite copies itself; PostgreSQL uses pg_dump.
    Backup {
        /// A new file: a backup never replaces another.
        file: std::path::PathBuf,
    },
    /// Evidence for a need or a contribution's delivery: links and files.
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// Restore a backup into an empty database (--database), then check it.
    Restore { file: std::path::PathBuf },
    /// Export needs or contributions (hxl, xlsx, json, iati), or the XLSX template for a country.
    Export {
        what: ExportWhat,
        /// The file to write; its extension picks the format when --format is not given.
        #[arg(long)]
        output: std::path::PathBuf,
        /// Only this country's needs (ISO3); for the template, the country it is for.
        #[arg(long)]
        country: Option<String>,
    },
    /// Start the web server (creates the schema and an administrator on first start).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "NEEDSDB_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Bring the database schema and reference data up to date.
    Migrate,
    /// Load a synthetic demonstration scenario (clearly labelled as such).
    Demo,
    /// NAM member and observer states.
    #[command(subcommand)]
    Members(MembersCmd),
    /// States and organisations that need, give or channel aid.
    #[command(subcommand)]
    Parties(PartiesCmd),
    /// The relief item catalogue.
    #[command(subcommand)]
    Items(ItemsCmd),
    /// Needs reported by member states.
    #[command(subcommand)]
    Needs(NeedsCmd),
    /// Contributions: pledges, commitments, shipments and deliveries.
    #[command(subcommand)]
    Contributions(ContributionsCmd),
    /// The tamper-evident audit trail.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Accounts.
    #[command(subcommand)]
    Users(UsersCmd),
    /// API tokens for scripts.
    #[command(subcommand)]
    Tokens(TokensCmd),
    /// Share a scarce supply by an open rule, and explain every share.
    Allocate(Box<AllocateArgs>),
    /// Coverage by country, item, cluster, region, WHO region, income group or NAM status.
    Coverage {
        /// country, item, cluster, region, who_region, income_group or nam_status.
        #[arg(long, default_value = "country")]
        by: String,
        /// units (each item in its own unit) or usd (across items, at their indicative values).
        #[arg(long, default_value = "units")]
        measure: String,
        #[command(flatten)]
        filters: NeedFilters,
    },
    /// Month by month for one item: needed, announced, pledged, committed, delivered.
    Series {
        #[arg(long)]
        item: String,
    },
    /// The critical needs least covered.
    TopUnmet {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// How fairly deliveries were shared, against population.
    Equity {
        /// The item delivered; cash when absent.
        #[arg(long)]
        item: Option<String>,
        /// Only these states: nam-members, who:AFR, income:low, m49:002.
        #[arg(long)]
        group: Option<String>,
        /// Count independent states only, leaving territories out.
        #[arg(long)]
        states_only: bool,
    },
    /// How much of each earmark reached its group; shortfalls are flagged.
    Earmarks,
    /// Open needs an offer could fill, ranked, with the amount to give each.
    Match {
        #[arg(long)]
        item: String,
        /// The quantity offered, in the item's unit.
        #[arg(long)]
        quantity: String,
        /// UN M49 region code.
        #[arg(long)]
        region: Option<String>,
        /// Only NAM member states.
        #[arg(long)]
        nam_only: bool,
        /// ISO3 codes, comma-separated.
        #[arg(long)]
        countries: Option<String>,
    },
    /// Saved allocation proposals.
    #[command(subcommand)]
    Proposals(ProposalsCmd),
    /// Find contributions reported twice; with --apply, merge the matched reports.
    Reconcile {
        /// How far apart two quantities may be, as a fraction.
        #[arg(long, default_value_t = 0.05)]
        tolerance: f64,
        /// How many days apart their first dates may be.
        #[arg(long, default_value_t = 30)]
        days: i64,
        /// Merge every pair reported by two different parties.
        #[arg(long)]
        apply: bool,
    },
    /// Announcements and pledges still not committed after some days.
    FollowUp {
        #[arg(long, default_value_t = 30)]
        days: i64,
        /// Only this donor's contributions (party code).
        #[arg(long)]
        donor: Option<String>,
        /// Only those to this recipient (party code).
        #[arg(long)]
        recipient: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AllocateArgs {
    /// Catalogue item code, such as VAX-COVID19-DOSE.
    #[arg(long)]
    pub item: String,
    /// The quantity available, in the item's unit.
    #[arg(long)]
    pub quantity: String,
    /// population-cap, need-proportional, max-min or priority.
    #[arg(long)]
    pub policy: String,
    /// population-cap: the most a recipient may reach, as a share of its population.
    #[arg(long)]
    pub cap: Option<String>,
    /// population-cap: the share of the supply held back as a humanitarian buffer.
    #[arg(long)]
    pub buffer: Option<String>,
    /// priority: the policy that shares each tier (max-min by default).
    #[arg(long)]
    pub within: Option<String>,
    /// nam-members (default), who:AFR, income:low, m49:002 or country:KEN.
    #[arg(long)]
    pub eligible: Option<String>,
    /// Whole lots of this size, in the item's unit.
    #[arg(long)]
    pub lot: Option<String>,
    /// The smallest shipment worth sending, in the item's unit.
    #[arg(long)]
    pub min_shipment: Option<String>,
    /// TARGET=SHARE% or TARGET=AMOUNT of the supply reserved for a group; repeatable.
    #[arg(long = "earmark")]
    pub earmarks: Vec<String>,
    /// A what-if CSV of recipients: iso3, and optional population, need, capacity.
    /// The file's figures replace the database's, but what each recipient was
    /// already delivered, and its total need, still come from the database
    /// unless --file-only is given.
    #[arg(long)]
    pub recipients: Option<std::path::PathBuf>,
    /// With --recipients: take nothing from the database (no deliveries; the
    /// total need is the file's need).
    #[arg(long, requires = "recipients")]
    pub file_only: bool,
    /// Save the result as a proposal from this supplying party (such as COVAX).
    #[arg(long)]
    pub propose_from: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UsersCmd {
    /// Create an account; its one-time password is printed once.
    Add {
        email: String,
        /// admin, secretariat, focal_point, partner or viewer.
        #[arg(long)]
        role: String,
        /// A focal point's member state (ISO3).
        #[arg(long, conflicts_with = "org")]
        country: Option<String>,
        /// A partner's organisation or donor state (party code).
        #[arg(long)]
        org: Option<String>,
    },
    /// Give an account a new one-time password, printed once; its sessions and tokens end.
    ResetPassword { email: String },
    /// Change an account's role, country or organisation.
    Update {
        email: String,
        /// admin, secretariat, focal_point, partner or viewer.
        #[arg(long)]
        role: Option<String>,
        /// A focal point's member state (ISO3); "none" to unbind.
        #[arg(long)]
        country: Option<String>,
        /// A partner's organisation or donor state; "none" to unbind.
        #[arg(long)]
        org: Option<String>,
    },
    /// Disable an account: every session and token ends at once.
    Disable { email: String },
    /// Enable a disabled account again (it signs in afresh).
    Enable { email: String },
    /// List accounts.
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokensCmd {
    /// Create an API token for an account; the token is printed once.
    Create {
        email: String,
        /// Days until it expires (1 to 3650); no expiry when absent.
        #[arg(long)]
        expires: Option<i64>,
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
    /// List tokens (not the tokens themselves).
    List {
        /// Only this account's tokens.
        email: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MembersCmd {
    /// List NAM member states (or observers, or both).
    List {
        #[arg(long, value_enum, default_value_t = MemberStatus::Member)]
        status: MemberStatus,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MemberStatus {
    Member,
    Observer,
    All,
}

#[derive(Debug, Subcommand)]
pub enum PartiesCmd {
    /// List all parties.
    List,
    /// Add an organisation.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// un_agency, pooled_fund, intergovernmental, multilateral_bank, red_cross, ngo, foundation, movement, private, other.
        #[arg(long)]
        org_type: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ItemsCmd {
    /// List the catalogue.
    List {
        #[arg(long)]
        cluster: Option<String>,
        /// Also list retired items.
        #[arg(long)]
        retired: bool,
    },
    /// Add an item to the catalogue.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// A cluster code: health, shelter, wash... (`needsdb items clusters`).
        #[arg(long)]
        cluster: String,
        #[arg(long)]
        category: String,
        #[arg(long)]
        unit: String,
        /// count, mass, volume, area, people or money.
        #[arg(long, default_value = "count")]
        unit_kind: String,
        /// Decimal places the unit is counted to (0 to 6).
        #[arg(long)]
        decimals: Option<u32>,
        /// OECD DAC 5-digit purpose code, from the IATI Sector codelist.
        #[arg(long)]
        dac_sector: String,
        #[command(flatten)]
        value: UnitValueArgs,
    },
    /// Edit an item; its history is kept. The unit never changes.
    Edit {
        code: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        cluster: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        dac_sector: Option<String>,
        #[command(flatten)]
        value: UnitValueArgs,
        /// Remove the item's unit value.
        #[arg(long, conflicts_with = "unit_value")]
        clear_unit_value: bool,
    },
    /// Retire an item: it stays, with its needs, but is offered for no new need.
    Retire { code: String },
    /// Every version of an item.
    History { code: String },
    /// The clusters an item may belong to.
    Clusters,
}

#[derive(Debug, Args, Default)]
pub struct UnitValueArgs {
    /// Indicative US dollars per unit (such as 650, or 0.004).
    #[arg(long)]
    pub unit_value: Option<String>,
    /// Where the unit value comes from (a price list, a tender).
    #[arg(long)]
    pub unit_value_source: Option<String>,
    /// The date the unit value was true (YYYY-MM-DD).
    #[arg(long)]
    pub unit_value_date: Option<String>,
}

#[derive(Debug, Args, Default)]
pub struct NeedFilters {
    /// ISO3 codes, comma-separated.
    #[arg(long)]
    pub country: Option<String>,
    /// member, observer or none.
    #[arg(long)]
    pub nam_status: Option<String>,
    /// UN M49 region, sub-region or intermediate region code (Africa is 002).
    #[arg(long)]
    pub region: Option<String>,
    /// AFR, AMR, EMR, EUR, SEAR or WPR.
    #[arg(long)]
    pub who_region: Option<String>,
    /// low, lower_middle, upper_middle or high.
    #[arg(long)]
    pub income_group: Option<String>,
    #[arg(long)]
    pub cluster: Option<String>,
    #[arg(long)]
    pub item: Option<String>,
    #[arg(long)]
    pub priority: Option<String>,
    /// Statuses, comma-separated.
    #[arg(long)]
    pub status: Option<String>,
    /// Needed on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub needed_from: Option<String>,
    /// Needed on or before this date (YYYY-MM-DD).
    #[arg(long)]
    pub needed_to: Option<String>,
    /// id, needed_by, priority, created_at or updated_at; prefix - for descending.
    #[arg(long, allow_hyphen_values = true)]
    pub sort: Option<String>,
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    /// Continue from a previous page (its `next`).
    #[arg(long)]
    pub cursor: Option<String>,
}

#[derive(Debug, Args)]
pub struct NeedFields {
    /// ISO3 code of the state in need.
    #[arg(long)]
    pub country: Option<String>,
    /// Catalogue item code.
    #[arg(long)]
    pub item: Option<String>,
    /// Quantity in the item's unit (goods).
    #[arg(long, allow_hyphen_values = true)]
    pub quantity: Option<String>,
    /// Amount of money (financial needs), with --currency.
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    /// US dollars per one unit of the currency.
    #[arg(long, allow_hyphen_values = true)]
    pub usd_rate: Option<String>,
    /// critical, high, medium or low.
    #[arg(long)]
    pub priority: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    pub needed_by: Option<String>,
    /// Sub-national place name.
    #[arg(long)]
    pub place: Option<String>,
    /// OCHA P-code of the place.
    #[arg(long)]
    pub pcode: Option<String>,
    #[arg(long)]
    pub justification: Option<String>,
    /// Your own reference, unique per country.
    #[arg(long)]
    pub external_id: Option<String>,
    /// How many people the need concerns (with --people-source).
    #[arg(long)]
    pub people_in_need: Option<String>,
    /// How many people it will reach (with --people-source).
    #[arg(long)]
    pub people_targeted: Option<String>,
    /// Where the people figures come from: an assessment, a census...
    #[arg(long)]
    pub people_source: Option<String>,
    /// What meeting it makes possible: "so that 14 villages can return".
    #[arg(long)]
    pub outcome: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum NeedsCmd {
    /// List needs with their coverage.
    List(NeedFilters),
    /// Record a need (as a draft, or submitted with --submit).
    Add {
        #[command(flatten)]
        fields: NeedFields,
        /// Submit it for validation at once.
        #[arg(long)]
        submit: bool,
    },
    /// Show one need, with its coverage and history.
    Show { id: i64 },
    /// Change a need's status: submitted, validated, draft (returned) or withdrawn.
    Status {
        id: i64,
        to: String,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContributionsCmd {
    /// List contributions.
    List {
        #[arg(long)]
        donor: Option<String>,
        #[arg(long)]
        recipient: Option<String>,
        #[arg(long)]
        item: Option<String>,
        #[arg(long)]
        stage: Option<String>,
        /// id, stage_date or created_at; prefix - for descending.
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Continue from a previous page (its `next`).
        #[arg(long)]
        cursor: Option<String>,
    },
    /// Record a contribution: goods (--item, --quantity) or cash (--amount, --currency).
    Add(Box<AddContribution>),
    /// Move a contribution to its next stage.
    Advance {
        id: i64,
        /// pledged, committed, shipped, disbursed, delivered or cancelled.
        #[arg(long)]
        to: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        source_url: Option<String>,
    },
    /// Correct a contribution: quantity or amount, dates, links, earmarks.
    /// --link and --earmark, when given, replace the lists (--no-links and
    /// --no-earmarks empty them). Linked needs are re-evaluated at once.
    Edit(Box<EditContribution>),
    /// Confirm what arrived, as the recipient: all of it, or a part (a
    /// shipment may arrive in parts; it is delivered once all has).
    Deliver {
        id: i64,
        /// In the contribution's unit (or currency).
        #[arg(long)]
        quantity: String,
        /// YYYY-MM-DD; today when left out.
        #[arg(long)]
        date: Option<String>,
        /// What arrived and in what state, or the delivery note's number.
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        source_url: Option<String>,
    },
    /// Show one contribution with its links, earmarks and stage history.
    Show { id: i64 },
    /// Merge a duplicate report into the one kept; both histories stay.
    Merge {
        /// The contribution that stays.
        keep: i64,
        /// The one merged into it.
        duplicate: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Check the hash chain; names the first bad entry and exits non-zero.
    Verify,
}

#[derive(Debug, Args)]
pub struct AddContribution {
    #[arg(long)]
    pub donor: String,
    #[arg(long)]
    pub recipient: String,
    /// The party it goes through, such as WHO.
    #[arg(long)]
    pub channel: Option<String>,
    #[arg(long)]
    pub item: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub quantity: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub usd_rate: Option<String>,
    /// announced, pledged (default), committed, shipped, disbursed or delivered.
    #[arg(long)]
    pub stage: Option<String>,
    /// Date the stage was reached (YYYY-MM-DD); today by default.
    #[arg(long)]
    pub date: Option<String>,
    /// Link to the public statement (required for announcements).
    #[arg(long)]
    pub source_url: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long)]
    pub external_id: Option<String>,
    /// Goods: their value in US dollars, as the donor gives it (otherwise the
    /// catalogue's indicative unit value is used, marked as estimated).
    #[arg(long)]
    pub usd_value: Option<String>,
    /// Cash linked to no need: the DAC 5-digit sector it funds (such as 12250).
    #[arg(long)]
    pub sector: Option<String>,
    /// NEED_ID=QUANTITY, in the contribution's unit; repeatable.
    #[arg(long = "link")]
    pub links: Vec<String>,
    /// TARGET=SHARE% or TARGET=AMOUNT, such as nam-members=50%; repeatable.
    #[arg(long = "earmark")]
    pub earmarks: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvidenceOf {
    Need,
    Contribution,
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCmd {
    /// Add a link (--link) or a file (--file: PDF, PNG or JPEG, up to 5 MiB).
    Add {
        of: EvidenceOf,
        id: i64,
        #[arg(long, conflicts_with = "file", required_unless_present = "file")]
        link: Option<String>,
        #[arg(long)]
        file: Option<std::path::PathBuf>,
        /// What it shows.
        #[arg(long)]
        title: Option<String>,
    },
    /// List a record's evidence.
    List { of: EvidenceOf, id: i64 },
}

/// What `contributions edit` corrects.
#[derive(Debug, Args)]
pub struct EditContribution {
    pub id: i64,
    #[arg(long)]
    pub channel: Option<String>,
    #[arg(long)]
    pub quantity: Option<String>,
    #[arg(long)]
    pub amount: Option<String>,
    #[arg(long)]
    pub usd_rate: Option<String>,
    #[arg(long)]
    pub usd_value: Option<String>,
    /// The date of its current stage, YYYY-MM-DD.
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long)]
    pub source_url: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long)]
    pub external_id: Option<String>,
    #[arg(long)]
    pub sector: Option<String>,
    /// NEED_ID=QUANTITY, repeated: the new list of links.
    #[arg(long = "link")]
    pub links: Vec<String>,
    #[arg(long, conflicts_with = "links")]
    pub no_links: bool,
    /// TARGET=SHARE% or TARGET=AMOUNT, repeated: the new list of earmarks.
    #[arg(long = "earmark")]
    pub earmarks: Vec<String>,
    #[arg(long, conflicts_with = "earmarks")]
    pub no_earmarks: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProposalsCmd {
    /// List proposals.
    List,
    /// Show one proposal.
    Show { id: i64 },
    /// Turn a proposal into committed contributions from its supplier.
    Commit { id: i64 },
    /// Withdraw a proposal; it stays on record.
    Withdraw { id: i64 },
}
