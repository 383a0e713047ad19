//! What an attacker or a careless client might try: sessions that outlive a
//! password, cached secrets, logged feed keys, hostile JSON, quiet edits of
//! validated needs, and links that probe for hidden needs.

use crate::harness::{Api, Auth, Db, on_both_stores, serve, session_of, sqlite};
use serde_json::{Value, json};

const PASSWORD: &str = "a long test password";
const NEW_PASSWORD: &str = "another long password";

/// Signs in with a one-time password and sets `PASSWORD`; returns the session.
async fn first_sign_in(api: &Api, email: &str, one_time: &str) -> Auth {
    let r = api.sign_in(email, one_time).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let s = session_of(&r);
    let change = json!({"current_password": one_time, "new_password": PASSWORD});
    let changed = api
        .send("POST", "/api/v1/session/password", &s, Some(&change), &[])
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    s
}

async fn token_for(api: &Api, session: &Auth) -> Auth {
    let r = api
        .send("POST", "/api/v1/tokens", session, Some(&json!({"name": "script"})), &[])
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    Auth::Token(r.json()["token"].as_str().unwrap().to_owned())
}

async fn sessions_and_tokens_end(db: &Db) {
    let admin = db.admin_token();
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let created = api
        .send(
            "POST",
            "/api/v1/users",
            &admin,
            Some(&json!({"email": "fp@moh.go.ke", "role": "focal_point", "country": "KEN"})),
            &[],
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json()["user"]["id"].as_i64().unwrap();
    let one_time = created.json()["one_time_password"].as_str().unwrap().to_owned();
    let here = first_sign_in(&api, "fp@moh.go.ke", &one_time).await;
    let elsewhere = session_of(&api.sign_in("fp@moh.go.ke", PASSWORD).await);
    let script = token_for(&api, &here).await;

    // Changing the password keeps this session and ends the others; the
    // user's own API tokens stay, as they were made on purpose.
    let change = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let r = api
        .send("POST", "/api/v1/session/password", &here, Some(&change), &[])
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(api.get("/api/v1/session", &here).await.status, 200);
    api.get("/api/v1/session", &elsewhere).await.problem(401);
    assert_eq!(api.get("/api/v1/needs", &script).await.status, 200);

    // An administrator's reset ends every session and token: whoever held
    // the old password, or a token made with it, is out.
    let reset = api
        .send("POST", &format!("/api/v1/users/{id}/password"), &admin, None, &[])
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    api.get("/api/v1/session", &here).await.problem(401);
    api.get("/api/v1/needs", &script).await.problem(401);
    let one_time = reset.json()["one_time_password"].as_str().unwrap().to_owned();
    let here = first_sign_in(&api, "fp@moh.go.ke", &one_time).await;
    let script = token_for(&api, &here).await;

    // Disabling the account ends everything at once, and signing in again fails.
    let disable = api
        .send(
            "PATCH",
            &format!("/api/v1/users/{id}"),
            &admin,
            Some(&json!({"disabled": true})),
            &[],
        )
        .await;
    assert_eq!(disable.status, 200, "{}", disable.text);
    assert_eq!(disable.json()["disabled"], true, "{}", disable.text);
    api.get("/api/v1/session", &here).await.problem(401);
    api.get("/api/v1/needs", &script).await.problem(401);
    api.sign_in("fp@moh.go.ke", PASSWORD).await.problem(401);
    // Enabling it lets the user sign in again, but ended sessions stay ended.
    let enable = api
        .send(
            "PATCH",
            &format!("/api/v1/users/{id}"),
            &admin,
            Some(&json!({"disabled": false})),
            &[],
        )
        .await;
    assert_eq!(enable.status, 200, "{}", enable.text);
    assert_eq!(api.sign_in("fp@moh.go.ke", PASSWORD).await.status, 200);
    api.get("/api/v1/needs", &script).await.problem(401);
    // The last administrator cannot be disabled: someone must stay in charge.
    let me = api.get("/api/v1/session", &admin).await.json();
    let last = api
        .send(
            "PATCH",
            &format!("/api/v1/users/{}", me["user"]["id"]),
            &admin,
            Some(&json!({"disabled": true})),
            &[],
        )
        .await
        .problem(422);
    assert_eq!(
        (last["errors"][0]["field"].as_str(), last["errors"][0]["code"].as_str()),
        (Some("disabled"), Some("last_administrator")),
        "{last}"
    );
    db.ok(&["audit", "verify"]);
}
on_both_stores!(sessions_and_tokens_end: sessions_and_tokens_end_with_a_password_change_reset_or_disabling_on_sqlite, sessions_and_tokens_end_with_a_password_change_reset_or_disabling_on_postgres);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_neither_cached_nor_logged() {
    let db = sqlite();
    let admin = db.admin_token();
    let server = serve(&db, &[("NEEDSDB_LOG", "debug")]);
    let api = Api::new(&server);
    let saved = api
        .send(
            "POST",
            "/api/v1/searches",
            &admin,
            Some(&json!({"name": "gowns", "query": {"item": "PPE-GOWN"}})),
            &[],
        )
        .await;
    assert_eq!(saved.status, 201, "{}", saved.text);
    let feed = saved.json()["feed"].as_str().unwrap().to_owned();
    let key = feed.rsplit('/').next().unwrap().to_owned();
    let atom = api.get(&feed, &Auth::None).await;
    assert_eq!(atom.status, 200, "{}", atom.text);
    let no_store = |r: &crate::harness::Resp| {
        r.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .contains("no-store")
    };
    assert!(no_store(&saved), "a response carrying a feed key");
    assert!(no_store(&atom), "a feed, whose address is its key");
    assert!(no_store(&api.get("/api/v1/needs", &admin).await), "a signed-in list");
    let token = api
        .send("POST", "/api/v1/tokens", &admin, Some(&json!({"name": "x"})), &[])
        .await;
    assert!(no_store(&token), "a new token");
    let signed_out = api.sign_in("nobody@example.org", "whatever it is").await;
    assert!(no_store(&signed_out), "a sign-in answer");
    // Public reference data may be cached.
    assert!(!no_store(&api.get("/api/v1/countries", &Auth::None).await));
    // The debug log shows the request, not the key.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = server.log();
    assert!(log.contains("/feeds/<secret>"), "the feed request is logged:\n{log}");
    assert!(!log.contains(&key), "the feed key is logged:\n{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_with_trailing_garbage_is_refused() {
    let db = sqlite();
    let admin = db.admin_token();
    let server = serve(&db, &[]);
    let api = Api::new(&server);
    let Auth::Token(t) = &admin else { unreachable!() };
    let body = r#"{"country": "KEN", "item": "PPE-GOWN", "quantity": 5, "priority": "low", "needed_by": "2026-12-31"} {"x": 1}"#;
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/needs", api.base))
        .bearer_auth(t)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let p: Value = r.json().await.unwrap();
    assert!(p["detail"].as_str().unwrap().contains("trailing"), "{p}");
    assert_eq!(api.get("/api/v1/needs", &admin).await.json()["total"], 0);
}

/// A validated need, as the secretariat left it, for the focal point to edit.
async fn validated_need(api: &Api, admin: &Auth) -> (i64, i64) {
    let body = json!({"country": "KEN", "item": "BIO-O2-CONCENTRATOR", "quantity": 100, "priority": "medium", "needed_by": "2026-12-31"});
    let n = api
        .send("POST", "/api/v1/needs?submit=true", admin, Some(&body), &[])
        .await
        .json();
    let id = n["id"].as_i64().unwrap();
    let v = api
        .send(
            "POST",
            &format!("/api/v1/needs/{id}/status"),
            admin,
            Some(&json!({"to": "validated"})),
            &[("if-match", &format!("\"{}\"", n["version"]))],
        )
        .await
        .json();
    assert_eq!(v["status"], "validated", "{v}");
    (id, v["version"].as_i64().unwrap())
}

async fn material_edits(db: &Db) {
    let admin = db.admin_token();
    let fp = db.account("fp@moh.go.ke", "focal_point", &["--country", "KEN"]);
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let patch = |id: i64, v: i64, body: Value| {
        let (api, fp) = (&api, fp.clone());
        async move {
            let r = api
                .send(
                    "PATCH",
                    &format!("/api/v1/needs/{id}"),
                    &fp,
                    Some(&body),
                    &[("if-match", &format!("\"{v}\""))],
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json()
        }
    };
    // A note or a place is not material: the need stays validated.
    let (id, v) = validated_need(&api, &admin).await;
    let n = patch(
        id,
        v,
        json!({"place": "District hospital", "justification": "for the district hospital"}),
    )
    .await;
    assert_eq!(n["status"], "validated", "{n}");
    // What is needed, how much and how urgently are: back for validation.
    let n = patch(
        id,
        n["version"].as_i64().unwrap(),
        json!({"item": "VAX-COVID19-DOSE", "quantity": 5_000_000, "priority": "critical"}),
    )
    .await;
    assert_eq!(n["status"], "submitted", "{n}");
    // Re-importing the row with a new quantity and no status column does the same.
    let (id, _) = validated_need(&api, &admin).await;
    let rows = json!([{"external_id": format!("needsdb-{id}"), "country": "KEN", "item": "BIO-O2-CONCENTRATOR",
        "quantity": "5000", "priority": "medium", "needed_by": "2026-12-31"}]);
    let r = api
        .send("POST", "/api/v1/imports", &fp, Some(&rows), &[("prefer", "wait=60")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let n = api.get(&format!("/api/v1/needs/{id}"), &fp).await.json();
    assert_eq!(
        (n["status"].as_str(), n["quantity"].as_i64()),
        (Some("submitted"), Some(5000)),
        "{n}"
    );
    // The history says who changed what, and that the validation lapsed.
    let h = api.get(&format!("/api/v1/needs/{id}/history"), &admin).await.json();
    let last = h.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["data"]["status"], "submitted", "{last}");
}
on_both_stores!(material_edits: a_material_edit_sends_a_validated_need_back_for_validation_on_sqlite, a_material_edit_sends_a_validated_need_back_for_validation_on_postgres);

async fn uniform_links(db: &Db) {
    let admin = db.admin_token();
    let partner = db.account("desk@mea.gov.in", "partner", &["--org", "IND"]);
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let draft = api
        .send(
            "POST",
            "/api/v1/needs",
            &admin,
            Some(&json!({"country": "KEN", "item": "PPE-GOWN", "quantity": 10, "priority": "low", "needed_by": "2026-12-31"})),
            &[],
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let missing = draft + 1000;
    let link = |need: i64| {
        let (api, partner) = (&api, partner.clone());
        async move {
            let body = json!({"donor": "IND", "recipient": "KEN", "item": "PPE-GOWN", "quantity": 5,
                "stage": "pledged", "links": [{"need": need, "quantity": 5}]});
            let p = api
                .send("POST", "/api/v1/contributions", &partner, Some(&body), &[])
                .await
                .problem(422);
            (
                p["errors"][0]["code"].as_str().unwrap().to_owned(),
                p["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .replace(&need.to_string(), "N"),
            )
        }
    };
    let (hidden, absent) = (link(draft).await, link(missing).await);
    assert_eq!(hidden, absent, "a draft and a missing need must look the same");
    assert_eq!(hidden.0, "need_not_open");
}
on_both_stores!(uniform_links: a_link_to_a_hidden_need_looks_like_one_to_no_need_on_sqlite, a_link_to_a_hidden_need_looks_like_one_to_no_need_on_postgres);
