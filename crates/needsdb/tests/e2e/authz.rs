//! The authorization matrix: every route, every role, and for bound roles
//! their own country or organisation against another's. Each cell is the
//! status the route must answer; write cases get a fresh record per cell.

use crate::harness::{Api, Auth, Db, Server, postgres, serve, sqlite};
use serde_json::{Value, json};

const ROLES: [&str; 6] = ["anonymous", "admin", "secretariat", "focal_point", "partner", "viewer"];

struct World {
    api: Api,
    admin: Auth,
    auths: Vec<Auth>,
    /// Each role's own API token id, and another account's token id per cell.
    own_token: Vec<Option<i64>>,
    _server: Server,
}

impl World {
    async fn new(db: &Db) -> World {
        let admin = db.admin_token();
        let auths = vec![
            Auth::None,
            admin.clone(),
            db.account("sec@nam.example", "secretariat", &[]),
            db.account("fp@moh.go.ke", "focal_point", &["--country", "KEN"]),
            db.account("desk@mea.gov.in", "partner", &["--org", "IND"]),
            db.account("analyst@who.int", "viewer", &[]),
        ];
        let server = serve(db, &[]);
        let api = Api::new(&server);
        let mut own_token = vec![None];
        for a in &auths[1..] {
            let r = api.get("/api/v1/tokens", a).await;
            own_token.push(
                r.json()
                    .as_array()
                    .and_then(|t| t.last())
                    .and_then(|t| t["id"].as_i64()),
            );
        }
        World {
            api,
            admin,
            auths,
            own_token,
            _server: server,
        }
    }

    async fn admin_json(&self, method: &str, path: &str, body: Value, headers: &[(&str, &str)]) -> Value {
        let r = self.api.send(method, path, &self.admin, Some(&body), headers).await;
        assert!(r.status < 300, "{method} {path}: {}", r.text);
        r.json()
    }

    /// A need of `country` taken to `status` by the administrator.
    async fn need(&self, country: &str, status: &str) -> (i64, i64) {
        let body = json!({"country": country, "item": "PPE-GOWN", "quantity": 100, "priority": "high", "needed_by": "2026-12-31"});
        let submit = if status == "draft" { "false" } else { "true" };
        let n = self
            .admin_json("POST", &format!("/api/v1/needs?submit={submit}"), body, &[])
            .await;
        let id = n["id"].as_i64().unwrap();
        let mut version = n["version"].as_i64().unwrap();
        if status == "validated" {
            let etag = format!("\"{version}\"");
            let n = self
                .admin_json(
                    "POST",
                    &format!("/api/v1/needs/{id}/status"),
                    json!({"to": "validated"}),
                    &[("if-match", &etag)],
                )
                .await;
            version = n["version"].as_i64().unwrap();
        }
        (id, version)
    }

    async fn contribution(&self, donor: &str, recipient: &str, stage: &str) -> (i64, i64) {
        let body = json!({"donor": donor, "recipient": recipient, "item": "PPE-GOWN", "quantity": 10, "stage": stage});
        let c = self.admin_json("POST", "/api/v1/contributions", body, &[]).await;
        (c["id"].as_i64().unwrap(), c["version"].as_i64().unwrap())
    }
}

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}{}", N.fetch_add(1, Ordering::SeqCst))
}

#[derive(Debug, Clone, Copy)]
enum Case {
    Countries,
    Items,
    AddItem,
    GetItem,
    ItemHistory,
    EditItem,
    RetireItem,
    Clusters,
    Parties,
    AddParty,
    Coverage,
    ListNeeds,
    CreateOwnNeed,
    CreateOtherNeed,
    ReadOwnDraft,
    ReadOtherDraft,
    ReadOtherValidated,
    HistoryOwnDraft,
    EditOwnDraft,
    EditOtherValidated,
    SubmitOwnDraft,
    ValidateOwnSubmitted,
    ListContributions,
    CreateOwnContribution,
    CreateOtherContribution,
    ReadContribution,
    ContributionHistory,
    CommitOwnContribution,
    CommitOtherContribution,
    ConfirmDeliveryToOwnState,
    ConfirmDeliveryToOtherState,
    ListUsers,
    AddUser,
    ResetPassword,
    ListOwnTokens,
    ListAllTokens,
    CreateOwnToken,
    CreateTokenForOther,
    RevokeOwnToken,
    RevokeOthersToken,
    AuditVerify,
    AllocationPreview,
    Monthly,
    TopUnmet,
    Equity,
    EarmarkReport,
    MatchOffer,
    FollowUp,
    Reconciliation,
    Merge,
    ListProposals,
    Propose,
    CommitProposal,
    ListSearches,
    SaveSearch,
    Metrics,
    Healthz,
    Readyz,
    OpenApi,
    Docs,
    CurrentSession,
    SignOut,
    ChangePassword,
    ImportOwnNeeds,
    ImportOtherNeeds,
    ImportOwnContribution,
    /// India gives to Kenya, recorded straight at a stage, through the API...
    CreateAt(&'static str),
    /// ...and through an import.
    ImportAt(&'static str),
    /// A proposal sharing the partner's own organisation's supply.
    ReadOwnSupplyProposal,
    CommitOwnSupplyProposal,
    EditUser,
    ExportNeeds,
    ExportContributionsIati,
    Template,
    Resolve,
}

use Case::*;

/// Expected status per role: anonymous, admin, secretariat, focal point (KEN), partner (IND), viewer.
const MATRIX: &[(Case, [u16; 6])] = &[
    (Countries, [200, 200, 200, 200, 200, 200]),
    (Items, [200, 200, 200, 200, 200, 200]),
    (AddItem, [401, 201, 201, 403, 403, 403]),
    (GetItem, [200, 200, 200, 200, 200, 200]),
    (ItemHistory, [200, 200, 200, 200, 200, 200]),
    (EditItem, [401, 200, 200, 403, 403, 403]),
    (RetireItem, [401, 200, 200, 403, 403, 403]),
    (Clusters, [200, 200, 200, 200, 200, 200]),
    (Parties, [401, 200, 200, 200, 200, 200]),
    (AddParty, [401, 201, 201, 403, 403, 403]),
    (Coverage, [200, 200, 200, 200, 200, 200]),
    (ListNeeds, [401, 200, 200, 200, 200, 200]),
    (CreateOwnNeed, [401, 201, 403, 201, 403, 403]),
    (CreateOtherNeed, [401, 201, 403, 403, 403, 403]),
    (ReadOwnDraft, [401, 200, 200, 200, 404, 200]),
    (ReadOtherDraft, [401, 200, 200, 404, 404, 200]),
    (ReadOtherValidated, [401, 200, 200, 200, 200, 200]),
    (HistoryOwnDraft, [401, 200, 200, 200, 404, 200]),
    (EditOwnDraft, [401, 200, 403, 200, 404, 403]),
    (EditOtherValidated, [401, 200, 403, 403, 403, 403]),
    (SubmitOwnDraft, [401, 200, 403, 200, 403, 403]),
    (ValidateOwnSubmitted, [401, 200, 200, 403, 403, 403]),
    (ListContributions, [401, 200, 200, 200, 200, 200]),
    // Created at pledged: the donor's partner may, the recipient may not.
    (CreateOwnContribution, [401, 201, 403, 403, 201, 403]),
    (CreateOtherContribution, [401, 201, 403, 403, 403, 403]),
    (ReadContribution, [401, 200, 200, 200, 200, 200]),
    (ContributionHistory, [401, 200, 200, 200, 200, 200]),
    (CommitOwnContribution, [401, 200, 403, 403, 200, 403]),
    (CommitOtherContribution, [401, 200, 403, 403, 403, 403]),
    (ConfirmDeliveryToOwnState, [401, 200, 403, 200, 403, 403]),
    (ConfirmDeliveryToOtherState, [401, 200, 403, 403, 403, 403]),
    (ListUsers, [401, 200, 403, 403, 403, 403]),
    (AddUser, [401, 201, 403, 403, 403, 403]),
    (ResetPassword, [401, 200, 403, 403, 403, 403]),
    (EditUser, [401, 200, 403, 403, 403, 403]),
    (ListOwnTokens, [401, 200, 200, 200, 200, 200]),
    (ListAllTokens, [401, 200, 403, 403, 403, 403]),
    (CreateOwnToken, [401, 201, 201, 201, 201, 201]),
    (CreateTokenForOther, [401, 201, 403, 403, 403, 403]),
    (RevokeOwnToken, [401, 200, 200, 200, 200, 200]),
    (RevokeOthersToken, [401, 200, 403, 403, 403, 403]),
    (AuditVerify, [401, 200, 403, 403, 403, 403]),
    (AllocationPreview, [401, 200, 200, 403, 403, 403]),
    (Monthly, [200, 200, 200, 200, 200, 200]),
    (TopUnmet, [401, 200, 200, 200, 200, 200]),
    (Equity, [200, 200, 200, 200, 200, 200]),
    (EarmarkReport, [401, 200, 200, 200, 200, 200]),
    (MatchOffer, [401, 200, 200, 200, 200, 200]),
    (FollowUp, [401, 200, 200, 200, 200, 200]),
    (Reconciliation, [401, 200, 200, 403, 403, 200]),
    (Merge, [401, 200, 200, 403, 403, 403]),
    // A partner lists the proposals drawn from its own supply (none here).
    (ListProposals, [401, 200, 200, 403, 200, 200]),
    (ReadOwnSupplyProposal, [401, 200, 200, 403, 200, 200]),
    (CommitOwnSupplyProposal, [401, 200, 200, 403, 200, 403]),
    (Propose, [401, 201, 201, 403, 403, 403]),
    (CommitProposal, [401, 200, 200, 403, 403, 403]),
    (ListSearches, [401, 200, 200, 200, 200, 200]),
    (SaveSearch, [401, 201, 201, 201, 201, 201]),
    (Metrics, [401, 200, 200, 200, 200, 200]),
    (Healthz, [200, 200, 200, 200, 200, 200]),
    (Readyz, [200, 200, 200, 200, 200, 200]),
    (OpenApi, [200, 200, 200, 200, 200, 200]),
    (Docs, [200, 200, 200, 200, 200, 200]),
    (CurrentSession, [401, 200, 200, 200, 200, 200]),
    (SignOut, [401, 204, 204, 204, 204, 204]),
    (ChangePassword, [401, 422, 422, 422, 422, 422]),
    // Imports are authorised row by row: a row the caller may not record is a 422 problem.
    (ImportOwnNeeds, [401, 200, 403, 200, 422, 403]),
    (ImportOtherNeeds, [401, 200, 403, 422, 422, 403]),
    // A pledge is the donor's to record, not the recipient's.
    (ImportOwnContribution, [401, 200, 403, 422, 200, 403]),
    // A contribution starts only at a stage its recorder could have moved it
    // to: the donor's partner up to shipped (and cancelled), the recipient's
    // focal point only at delivered; anyone party to it may record an
    // announcement with its public source.
    (CreateAt("announced"), [401, 201, 403, 201, 201, 403]),
    (CreateAt("pledged"), [401, 201, 403, 403, 201, 403]),
    (CreateAt("committed"), [401, 201, 403, 403, 201, 403]),
    (CreateAt("shipped"), [401, 201, 403, 403, 201, 403]),
    (CreateAt("delivered"), [401, 201, 403, 201, 403, 403]),
    // Nothing starts cancelled: where the caller may record it, it is invalid.
    (CreateAt("cancelled"), [401, 422, 403, 403, 422, 403]),
    (ImportAt("announced"), [401, 200, 403, 200, 200, 403]),
    (ImportAt("pledged"), [401, 200, 403, 422, 200, 403]),
    (ImportAt("committed"), [401, 200, 403, 422, 200, 403]),
    (ImportAt("shipped"), [401, 200, 403, 422, 200, 403]),
    (ImportAt("delivered"), [401, 200, 403, 200, 422, 403]),
    (ImportAt("cancelled"), [401, 422, 403, 422, 422, 403]),
    (ExportNeeds, [401, 200, 200, 200, 200, 200]),
    (ExportContributionsIati, [401, 200, 200, 200, 200, 200]),
    (Template, [401, 200, 200, 200, 200, 200]),
    (Resolve, [200, 200, 200, 200, 200, 200]),
];

impl Case {
    async fn run(self, w: &World, role: usize) -> u16 {
        let a = &w.auths[role];
        let api = &w.api;
        let etag = |v: i64| format!("\"{v}\"");
        let r = match self {
            Countries => api.get("/api/v1/countries?nam_status=member", a).await,
            Items => api.get("/api/v1/items", a).await,
            AddItem => {
                let code = unique("LOC-ITEM-");
                let body = json!({"code": code, "cluster": "shelter", "category": "non_food_items", "name_en": "Kitchen set", "unit": "set", "dac_sector": "72010"});
                api.send("POST", "/api/v1/items", a, Some(&body), &[]).await
            }
            GetItem => api.get("/api/v1/items/PPE-GOWN", a).await,
            ItemHistory => api.get("/api/v1/items/PPE-GOWN/history", a).await,
            EditItem | RetireItem => {
                let code = unique("LOC-ITEM-");
                let body = json!({"code": code, "cluster": "shelter", "category": "non_food_items", "name_en": "Kitchen set", "unit": "set", "dac_sector": "72010"});
                w.admin_json("POST", "/api/v1/items", body, &[]).await;
                if matches!(self, EditItem) {
                    let patch = json!({"name_en": "Kitchen set, family"});
                    api.send(
                        "PATCH",
                        &format!("/api/v1/items/{code}"),
                        a,
                        Some(&patch),
                        &[("if-match", "\"1\"")],
                    )
                    .await
                } else {
                    api.send(
                        "POST",
                        &format!("/api/v1/items/{code}/retire"),
                        a,
                        None,
                        &[("if-match", "\"1\"")],
                    )
                    .await
                }
            }
            Clusters => api.get("/api/v1/clusters", a).await,
            Parties => api.get("/api/v1/parties", a).await,
            AddParty => {
                api.send(
                    "POST",
                    "/api/v1/parties",
                    a,
                    Some(&json!({"code": unique("NGO-"), "name": "Relief NGO", "org_type": "ngo"})),
                    &[],
                )
                .await
            }
            Coverage => api.get("/api/v1/coverage?by=who_region", a).await,
            ListNeeds => api.get("/api/v1/needs", a).await,
            ImportOwnNeeds | ImportOtherNeeds => {
                let country = if matches!(self, ImportOwnNeeds) { "KEN" } else { "UGA" };
                let body = json!([{"country": country, "item": "PPE-GOWN", "quantity": "7", "priority": "low", "needed_by": "2026-12-31"}]);
                api.send("POST", "/api/v1/imports", a, Some(&body), &[("prefer", "wait=60")])
                    .await
            }
            ImportOwnContribution => {
                let body = json!([{"donor": "IND", "recipient": "KEN", "item": "PPE-GOWN", "quantity": "3", "stage": "pledged"}]);
                api.send("POST", "/api/v1/imports", a, Some(&body), &[("prefer", "wait=60")])
                    .await
            }
            CreateAt(stage) => {
                let body = json!({"donor": "IND", "recipient": "KEN", "item": "PPE-GOWN", "quantity": 5,
                    "stage": stage, "source_url": "https://mea.gov.in/press/1"});
                api.send("POST", "/api/v1/contributions", a, Some(&body), &[]).await
            }
            ImportAt(stage) => {
                let body = json!([{"donor": "IND", "recipient": "KEN", "item": "PPE-GOWN", "quantity": "3",
                    "stage": stage, "source_url": "https://mea.gov.in/press/1"}]);
                api.send("POST", "/api/v1/imports", a, Some(&body), &[("prefer", "wait=60")])
                    .await
            }
            ReadOwnSupplyProposal | CommitOwnSupplyProposal => {
                let body =
                    json!({"supplier": "IND", "request": {"item": "PPE-GOWN", "quantity": 10, "policy": "max-min"}});
                let p = w.admin_json("POST", "/api/v1/allocations", body, &[]).await;
                if matches!(self, ReadOwnSupplyProposal) {
                    api.get(&format!("/api/v1/allocations/{}", p["id"]), a).await
                } else {
                    let r = api
                        .send("POST", &format!("/api/v1/allocations/{}/commit", p["id"]), a, None, &[])
                        .await;
                    if r.status == 200 {
                        // The commitment records who accepted it.
                        let me = api.get("/api/v1/session", a).await.json();
                        let who = format!("user:{}", me["user"]["id"]);
                        assert_eq!(r.json()["decided_by"], who.as_str(), "{}", r.text);
                    }
                    r
                }
            }
            EditUser => {
                let u = w
                    .admin_json(
                        "POST",
                        "/api/v1/users",
                        json!({"email": format!("{}@example.org", unique("e")), "role": "viewer"}),
                        &[],
                    )
                    .await;
                api.send(
                    "PATCH",
                    &format!("/api/v1/users/{}", u["user"]["id"]),
                    a,
                    Some(&json!({"role": "secretariat"})),
                    &[],
                )
                .await
            }
            ExportNeeds => api.get("/api/v1/exports/needs?format=xlsx", a).await,
            ExportContributionsIati => api.get("/api/v1/exports/contributions?format=iati", a).await,
            Template => api.get("/api/v1/exports/template?country=KEN", a).await,
            Resolve => api.get("/api/v1/resolve/country?name=Lao%20PDR", a).await,
            CreateOwnNeed | CreateOtherNeed => {
                let country = if matches!(self, CreateOwnNeed) { "KEN" } else { "UGA" };
                let body = json!({"country": country, "item": "PPE-GOWN", "quantity": 5, "priority": "low", "needed_by": "2026-12-31"});
                api.send("POST", "/api/v1/needs", a, Some(&body), &[]).await
            }
            ReadOwnDraft => {
                api.get(&format!("/api/v1/needs/{}", w.need("KEN", "draft").await.0), a)
                    .await
            }
            ReadOtherDraft => {
                api.get(&format!("/api/v1/needs/{}", w.need("UGA", "draft").await.0), a)
                    .await
            }
            ReadOtherValidated => {
                api.get(&format!("/api/v1/needs/{}", w.need("UGA", "validated").await.0), a)
                    .await
            }
            HistoryOwnDraft => {
                api.get(&format!("/api/v1/needs/{}/history", w.need("KEN", "draft").await.0), a)
                    .await
            }
            EditOwnDraft | EditOtherValidated => {
                let (id, v) = if matches!(self, EditOwnDraft) {
                    w.need("KEN", "draft").await
                } else {
                    w.need("UGA", "validated").await
                };
                api.send(
                    "PATCH",
                    &format!("/api/v1/needs/{id}"),
                    a,
                    Some(&json!({"quantity": 7})),
                    &[("if-match", &etag(v))],
                )
                .await
            }
            SubmitOwnDraft => {
                let (id, v) = w.need("KEN", "draft").await;
                api.send(
                    "POST",
                    &format!("/api/v1/needs/{id}/status"),
                    a,
                    Some(&json!({"to": "submitted"})),
                    &[("if-match", &etag(v))],
                )
                .await
            }
            ValidateOwnSubmitted => {
                let (id, v) = w.need("KEN", "submitted").await;
                api.send(
                    "POST",
                    &format!("/api/v1/needs/{id}/status"),
                    a,
                    Some(&json!({"to": "validated"})),
                    &[("if-match", &etag(v))],
                )
                .await
            }
            ListContributions => api.get("/api/v1/contributions", a).await,
            CreateOwnContribution | CreateOtherContribution => {
                // Own: India gives to Kenya, the partner's donor and the focal
                // point's state. Other: China gives to Uganda.
                let (donor, recipient) = if matches!(self, CreateOwnContribution) {
                    ("IND", "KEN")
                } else {
                    ("CHN", "UGA")
                };
                let body = json!({"donor": donor, "recipient": recipient, "item": "PPE-GOWN", "quantity": 5});
                api.send("POST", "/api/v1/contributions", a, Some(&body), &[]).await
            }
            ReadContribution => {
                api.get(
                    &format!(
                        "/api/v1/contributions/{}",
                        w.contribution("CHN", "UGA", "pledged").await.0
                    ),
                    a,
                )
                .await
            }
            ContributionHistory => {
                api.get(
                    &format!(
                        "/api/v1/contributions/{}/history",
                        w.contribution("CHN", "UGA", "pledged").await.0
                    ),
                    a,
                )
                .await
            }
            CommitOwnContribution | CommitOtherContribution => {
                let donor = if matches!(self, CommitOwnContribution) {
                    "IND"
                } else {
                    "CHN"
                };
                let (id, v) = w.contribution(donor, "KEN", "pledged").await;
                api.send(
                    "POST",
                    &format!("/api/v1/contributions/{id}/stage"),
                    a,
                    Some(&json!({"to": "committed"})),
                    &[("if-match", &etag(v))],
                )
                .await
            }
            ConfirmDeliveryToOwnState | ConfirmDeliveryToOtherState => {
                let recipient = if matches!(self, ConfirmDeliveryToOwnState) {
                    "KEN"
                } else {
                    "UGA"
                };
                let (id, v) = w.contribution("IND", recipient, "committed").await;
                api.send(
                    "POST",
                    &format!("/api/v1/contributions/{id}/stage"),
                    a,
                    Some(&json!({"to": "delivered"})),
                    &[("if-match", &etag(v))],
                )
                .await
            }
            ListUsers => api.get("/api/v1/users", a).await,
            AddUser => {
                api.send(
                    "POST",
                    "/api/v1/users",
                    a,
                    Some(&json!({"email": format!("{}@example.org", unique("u")), "role": "viewer"})),
                    &[],
                )
                .await
            }
            ResetPassword => {
                let u = w
                    .admin_json(
                        "POST",
                        "/api/v1/users",
                        json!({"email": format!("{}@example.org", unique("r")), "role": "viewer"}),
                        &[],
                    )
                    .await;
                api.send(
                    "POST",
                    &format!("/api/v1/users/{}/password", u["user"]["id"]),
                    a,
                    None,
                    &[],
                )
                .await
            }
            ListOwnTokens => api.get("/api/v1/tokens", a).await,
            ListAllTokens => api.get("/api/v1/tokens?all=true", a).await,
            CreateOwnToken => {
                api.send(
                    "POST",
                    "/api/v1/tokens",
                    a,
                    Some(&json!({"name": "script", "expires_in_days": 30})),
                    &[],
                )
                .await
            }
            CreateTokenForOther => {
                api.send(
                    "POST",
                    "/api/v1/tokens",
                    a,
                    Some(&json!({"name": "x", "user_id": 1})),
                    &[],
                )
                .await
            }
            RevokeOwnToken => {
                // A second token of the caller's own, so the one in use survives.
                let mine = match a {
                    Auth::None => return api.send("DELETE", "/api/v1/tokens/1", a, None, &[]).await.status,
                    _ => api
                        .send("POST", "/api/v1/tokens", a, Some(&json!({"name": "spare"})), &[])
                        .await
                        .json(),
                };
                api.send(
                    "DELETE",
                    &format!("/api/v1/tokens/{}", mine["info"]["id"]),
                    a,
                    None,
                    &[],
                )
                .await
            }
            RevokeOthersToken => {
                let other = w
                    .admin_json(
                        "POST",
                        "/api/v1/users",
                        json!({"email": format!("{}@example.org", unique("t")), "role": "viewer"}),
                        &[],
                    )
                    .await;
                let t = w
                    .admin_json(
                        "POST",
                        "/api/v1/tokens",
                        json!({"name": "theirs", "user_id": other["user"]["id"]}),
                        &[],
                    )
                    .await;
                api.send("DELETE", &format!("/api/v1/tokens/{}", t["info"]["id"]), a, None, &[])
                    .await
            }
            AuditVerify => api.get("/api/v1/audit/verify", a).await,
            Monthly => api.get("/api/v1/coverage/monthly?item=PPE-GOWN", a).await,
            TopUnmet => api.get("/api/v1/coverage/top-unmet", a).await,
            Equity => api.get("/api/v1/equity?item=PPE-GOWN&group=nam-members", a).await,
            EarmarkReport => api.get("/api/v1/earmarks/report", a).await,
            MatchOffer => api.get("/api/v1/match?item=PPE-GOWN&quantity=10", a).await,
            FollowUp => api.get("/api/v1/follow-up?days=7", a).await,
            Reconciliation => api.get("/api/v1/reconciliation", a).await,
            ListProposals => api.get("/api/v1/allocations", a).await,
            ListSearches => api.get("/api/v1/searches", a).await,
            SaveSearch => {
                api.send(
                    "POST",
                    "/api/v1/searches",
                    a,
                    Some(&json!({"name": "gowns", "query": {"item": "PPE-GOWN"}})),
                    &[],
                )
                .await
            }
            Propose | CommitProposal => {
                let body =
                    json!({"supplier": "WHO", "request": {"item": "PPE-GOWN", "quantity": 10, "policy": "max-min"}});
                if matches!(self, Propose) {
                    api.send("POST", "/api/v1/allocations", a, Some(&body), &[]).await
                } else {
                    let p = w.admin_json("POST", "/api/v1/allocations", body, &[]).await;
                    api.send("POST", &format!("/api/v1/allocations/{}/commit", p["id"]), a, None, &[])
                        .await
                }
            }
            Merge => {
                let (keep, _) = w.contribution("CHN", "UGA", "pledged").await;
                let (dup, _) = w.contribution("CHN", "UGA", "pledged").await;
                api.send(
                    "POST",
                    &format!("/api/v1/contributions/{dup}/merge"),
                    a,
                    Some(&json!({"into": keep})),
                    &[],
                )
                .await
            }
            AllocationPreview => {
                let body = json!({"item": "PPE-GOWN", "quantity": 100, "policy": "max-min"});
                api.send("POST", "/api/v1/allocations/preview", a, Some(&body), &[])
                    .await
            }
            Metrics => api.get("/metrics", a).await,
            Healthz => api.get("/healthz", a).await,
            Readyz => api.get("/readyz", a).await,
            OpenApi => api.get("/api/v1/openapi.json", a).await,
            Docs => api.get("/api/docs/", a).await,
            CurrentSession => api.get("/api/v1/session", a).await,
            SignOut => api.send("DELETE", "/api/v1/session", a, None, &[]).await,
            ChangePassword => {
                api.send(
                    "POST",
                    "/api/v1/session/password",
                    a,
                    Some(&json!({"current_password": "wrong", "new_password": "a long new password"})),
                    &[],
                )
                .await
            }
        };
        r.status
    }
}

async fn check_matrix(db: &Db) {
    let w = World::new(db).await;
    assert_eq!(w.own_token.len(), ROLES.len());
    let mut failures = Vec::new();
    for (case, expected) in MATRIX {
        for (role, want) in expected.iter().enumerate() {
            let got = case.run(&w, role).await;
            if got != *want {
                failures.push(format!("{case:?} as {}: expected {want}, got {got}", ROLES[role]));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_matrix_on_sqlite() {
    check_matrix(&sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_matrix_on_postgres() {
    if let Some(db) = postgres("authorization_matrix_on_postgres") {
        check_matrix(&db).await;
    }
}

async fn check_scopes(db: &Db) {
    let w = World::new(db).await;
    let ken_draft = w.need("KEN", "draft").await.0;
    let uga_draft = w.need("UGA", "draft").await.0;
    let uga_validated = w.need("UGA", "validated").await.0;
    let ids = |r: Value| -> Vec<i64> {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_i64().unwrap())
            .collect()
    };
    let seen = |role: usize| {
        let api = &w.api;
        let a = w.auths[role].clone();
        async move { ids(api.get("/api/v1/needs?limit=1000", &a).await.json()) }
    };
    assert_eq!(
        seen(3).await,
        vec![ken_draft, uga_validated],
        "a focal point sees its own drafts and others' validated needs"
    );
    assert_eq!(seen(4).await, vec![uga_validated], "a partner sees validated needs");
    assert_eq!(
        seen(5).await,
        vec![ken_draft, uga_draft, uga_validated],
        "a viewer sees everything non-personal"
    );
    let csv = w.api.get("/api/v1/needs?format=csv", &w.auths[4]).await;
    assert_eq!(csv.text.lines().count(), 2, "the CSV download is scoped too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_sees_only_its_share_of_needs_on_sqlite() {
    check_scopes(&sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_sees_only_its_share_of_needs_on_postgres() {
    if let Some(db) = postgres("each_role_sees_only_its_share_of_needs_on_postgres") {
        check_scopes(&db).await;
    }
}
