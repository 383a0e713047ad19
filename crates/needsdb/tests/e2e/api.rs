//! The HTTP API over real HTTP: errors, concurrency, sessions and CSRF,
//! throttling, history, and two server processes sharing one database.

use crate::harness::{Api, Auth, Db, on_both_stores, postgres, serve, session_of, sqlite};
use serde_json::{Value, json};

const PASSWORD: &str = "a long test password";

fn need_body(country: &str) -> Value {
    json!({"country": country, "item": "BIO-O2-CONCENTRATOR", "quantity": 200, "priority": "critical", "needed_by": "2026-12-31"})
}

async fn bad_input(db: &Db) {
    let admin = db.admin_token();
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let post = |body: &str| {
        let api = &api;
        let admin = admin.clone();
        let body = body.to_owned();
        async move {
            let Auth::Token(t) = admin else { unreachable!() };
            reqwest::Client::new()
                .post(format!("{}/api/v1/needs", api.base))
                .bearer_auth(t)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let problem = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
        let v: Value = r.json().await.unwrap();
        (status, ct, v)
    };
    // Malformed JSON.
    let (s, ct, p) = problem(post("{\"country\": ").await).await;
    assert_eq!((s, ct.as_str()), (400, "application/problem+json"), "{p}");
    // An unknown field, named.
    let mut body = need_body("KEN");
    body["colour"] = json!("red");
    let (s, _, p) = problem(post(&body.to_string()).await).await;
    assert_eq!(
        (s, p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()),
        (422, Some("colour"), Some("unknown_field")),
        "{p}"
    );
    // A wrong type, named.
    let mut body = need_body("KEN");
    body["priority"] = json!(5);
    let (s, _, p) = problem(post(&body.to_string()).await).await;
    assert_eq!((s, p["errors"][0]["field"].as_str()), (422, Some("priority")), "{p}");
    // Out-of-range and unknown values, each named.
    let mut body = need_body("XXX");
    body["quantity"] = json!(-3);
    body["item"] = json!("NOPE");
    let (s, _, p) = problem(post(&body.to_string()).await).await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!((s, fields), (422, vec!["country", "item"]), "{p}");
    let mut body = need_body("KEN");
    body["quantity"] = json!(-3);
    let (s, _, p) = problem(post(&body.to_string()).await).await;
    assert_eq!(
        (s, p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()),
        (422, Some("quantity"), Some("negative"))
    );
    // An oversized body.
    let huge = format!("{{\"justification\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let (s, ct, _) = problem(post(&huge).await).await;
    assert_eq!((s, ct.as_str()), (413, "application/problem+json"));
    // A wrong content type.
    let r = api
        .send("POST", "/api/v1/needs", &admin, None, &[("content-type", "text/plain")])
        .await;
    r.problem(415);
    // Unknown ids, bad ids, unknown routes and parameters.
    api.get("/api/v1/needs/999999", &admin).await.problem(404);
    api.get("/api/v1/contributions/999999", &admin).await.problem(404);
    let p = api.get("/api/v1/needs/abc", &admin).await.problem(400);
    assert!(p["detail"].as_str().unwrap().contains("abc"), "{p}");
    api.get("/api/v1/nowhere", &admin).await.problem(404);
    api.send("PUT", "/api/v1/needs", &admin, None, &[]).await.problem(405);
    let p = api.get("/api/v1/needs?colour=red", &admin).await.problem(422);
    assert_eq!(p["errors"][0]["field"], "colour");
    let p = api.get("/api/v1/needs?limit=5000", &admin).await.problem(422);
    assert_eq!(p["errors"][0]["field"], "limit");
    let p = api.get("/api/v1/needs?limit=many", &admin).await.problem(422);
    assert_eq!(p["errors"][0]["field"], "limit");
    let p = api.get("/api/v1/needs?cursor=zzz", &admin).await.problem(422);
    assert_eq!(p["errors"][0]["field"], "cursor");
    let p = api
        .get("/api/v1/needs?needed_from=yesterday", &admin)
        .await
        .problem(422);
    assert_eq!(p["errors"][0]["field"], "needed_from");
    let p = api.get("/api/v1/coverage?by=planet", &Auth::None).await.problem(422);
    assert_eq!(p["errors"][0]["field"], "by");
    // Illegal changes.
    let n = api
        .send("POST", "/api/v1/needs", &admin, Some(&need_body("KEN")), &[])
        .await
        .json();
    let id = n["id"].as_i64().unwrap();
    let r = api
        .send(
            "POST",
            &format!("/api/v1/needs/{id}/status"),
            &admin,
            Some(&json!({"to": "met"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(r.problem(422)["errors"][0]["field"], "to");
    let c = json!({"donor": "IND", "recipient": "KEN", "item": "BIO-O2-CONCENTRATOR", "quantity": 5, "links": [{"need": id, "quantity": 6}]});
    let r = api.send("POST", "/api/v1/contributions", &admin, Some(&c), &[]).await;
    assert_eq!(
        r.problem(422)["errors"][0]["field"],
        "links[0].need",
        "the need is a draft: {}",
        r.text
    );
    // Nothing was written by any of these.
    let list = api.get("/api/v1/needs", &admin).await.json();
    assert_eq!(list["total"], 1);
}
on_both_stores!(bad_input: bad_input_gets_problem_json_4xx_on_sqlite, bad_input_gets_problem_json_4xx_on_postgres);

async fn concurrency(db: &Db) {
    let admin = db.admin_token();
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let n = api
        .send("POST", "/api/v1/needs", &admin, Some(&need_body("KEN")), &[])
        .await;
    assert_eq!(n.headers["etag"], "\"1\"");
    let id = n.json()["id"].as_i64().unwrap();
    let missing = api
        .send(
            "PATCH",
            &format!("/api/v1/needs/{id}"),
            &admin,
            Some(&json!({"quantity": 1})),
            &[],
        )
        .await;
    missing.problem(428);
    let mut tasks = Vec::new();
    for i in 0..10 {
        let (base, admin) = (api.base.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            let Auth::Token(t) = admin else { unreachable!() };
            reqwest::Client::new()
                .patch(format!("{base}/api/v1/needs/{id}"))
                .bearer_auth(t)
                .header("if-match", "\"1\"")
                .json(&json!({"quantity": 300 + i}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 412).count(), 9, "{statuses:?}");
    let now = api.get(&format!("/api/v1/needs/{id}"), &admin).await;
    assert_eq!(now.headers["etag"], "\"2\"");
    let history = api.get(&format!("/api/v1/needs/{id}/history"), &admin).await.json();
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[1]["changed_by"], "user:1");
}
on_both_stores!(concurrency: exactly_one_of_concurrent_if_match_updates_wins_on_sqlite, exactly_one_of_concurrent_if_match_updates_wins_on_postgres);

async fn sessions_and_csrf(db: &Db) {
    db.cmd(&["migrate"])
        .env("NEEDSDB_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let r = api.sign_in("admin@localhost", PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cookie = r.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = session_of(&r);
    let Auth::Cookie { session: id, csrf } = &session else {
        unreachable!()
    };
    // A forged request: the cookie rides along, but the CSRF token does not.
    let forged = Auth::Cookie {
        session: id.clone(),
        csrf: None,
    };
    api.send("POST", "/api/v1/needs", &forged, Some(&need_body("KEN")), &[])
        .await
        .problem(403);
    let wrong = Auth::Cookie {
        session: id.clone(),
        csrf: Some("0".repeat(64)),
    };
    api.send("POST", "/api/v1/needs", &wrong, Some(&need_body("KEN")), &[])
        .await
        .problem(403);
    api.send(
        "POST",
        "/api/v1/needs",
        &session,
        Some(&need_body("KEN")),
        &[("origin", "https://evil.example")],
    )
    .await
    .problem(403);
    // Origins are compared whole: one that merely ends with this server's
    // host and port is another site.
    let host = api.base.trim_start_matches("http://").to_owned();
    api.send(
        "POST",
        "/api/v1/needs",
        &session,
        Some(&need_body("KEN")),
        &[("origin", &format!("http://evil{host}"))],
    )
    .await
    .problem(403);
    let same = api
        .send(
            "POST",
            "/api/v1/needs",
            &session,
            Some(&need_body("KEN")),
            &[("origin", &api.base)],
        )
        .await;
    assert_eq!(same.status, 201, "{}", same.text);
    assert_eq!(
        api.get("/api/v1/needs", &forged).await.status,
        200,
        "reading needs no CSRF token"
    );
    let ok = api
        .send("POST", "/api/v1/needs", &session, Some(&need_body("KEN")), &[])
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(
        api.get("/api/v1/session", &forged).await.json()["csrf_token"].as_str(),
        csrf.as_deref()
    );
    // The database stores only a hash of the session id.
    assert_eq!(
        api.send("DELETE", "/api/v1/session", &session, None, &[]).await.status,
        204
    );
    api.get("/api/v1/needs", &forged).await.problem(401);
}
on_both_stores!(sessions_and_csrf: a_forged_cookie_request_fails_and_a_real_one_works_on_sqlite, a_forged_cookie_request_fails_and_a_real_one_works_on_postgres);

async fn throttling_and_one_time_passwords(db: &Db) {
    db.ok(&["migrate"]);
    let out = db
        .cmd(&[
            "users",
            "add",
            "fp@moh.go.ke",
            "--role",
            "focal_point",
            "--country",
            "KEN",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let one_time = err.rsplit(": ").next().unwrap().trim().to_owned();
    let server = serve(db, &[]);
    let api = Api::new(&server);
    // A one-time password only lets you change it.
    let r = api.sign_in("fp@moh.go.ke", &one_time).await;
    assert_eq!(
        (r.status, r.json()["must_change_password"].as_bool()),
        (200, Some(true)),
        "{}",
        r.text
    );
    let s = session_of(&r);
    api.get("/api/v1/needs", &s).await.problem(403);
    let change = json!({"current_password": one_time, "new_password": PASSWORD});
    assert_eq!(
        api.send("POST", "/api/v1/session/password", &s, Some(&change), &[])
            .await
            .status,
        204
    );
    assert_eq!(api.get("/api/v1/needs", &s).await.status, 200);
    // Three free failures, then each try from that address must wait, longer
    // after every further failure.
    for _ in 0..3 {
        api.sign_in("fp@moh.go.ke", "wrong password!").await.problem(401);
    }
    let locked = api.sign_in("fp@moh.go.ke", PASSWORD).await;
    locked.problem(429);
    assert_eq!(locked.headers["retry-after"], "1");
    // The attacker's address does not lock the real user out of their own...
    let elsewhere = Api::from_address(&server, "127.0.0.2");
    assert_eq!(elsewhere.sign_in("fp@moh.go.ke", PASSWORD).await.status, 200);
    // ...nor anyone else behind the same proxy address.
    for _ in 0..3 {
        api.sign_in("admin@localhost", "wrong password!").await.problem(401);
    }
    api.sign_in("admin@localhost", "wrong password!").await.problem(429);
    let out = db
        .cmd(&["users", "add", "colleague@moh.go.ke", "--role", "viewer"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let theirs = err.rsplit(": ").next().unwrap().trim().to_owned();
    assert_eq!(api.sign_in("colleague@moh.go.ke", &theirs).await.status, 200);
    // The delay grows: after a wait of one second one more failure is let
    // through, and then the wait is two seconds.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    api.sign_in("fp@moh.go.ke", "wrong password!").await.problem(401);
    let longer = api.sign_in("fp@moh.go.ke", PASSWORD).await;
    longer.problem(429);
    assert_eq!(longer.headers["retry-after"], "2");
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(api.sign_in("fp@moh.go.ke", PASSWORD).await.status, 200);
    // Unknown accounts get the same answer as wrong passwords.
    let unknown = api.sign_in("nobody@example.org", "whatever it is").await.problem(401);
    assert_eq!(unknown["detail"], "the email or the password is wrong");
}
on_both_stores!(throttling_and_one_time_passwords: failed_sign_ins_are_throttled_and_one_time_passwords_must_change_on_sqlite, failed_sign_ins_are_throttled_and_one_time_passwords_must_change_on_postgres);

async fn lists(db: &Db) {
    let admin = db.admin_token();
    let server = serve(db, &[]);
    let api = Api::new(&server);
    for c in ["KEN", "UGA", "TZA", "ETH", "SOM"] {
        api.send("POST", "/api/v1/needs", &admin, Some(&need_body(c)), &[])
            .await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/needs?limit=2&sort=-id".to_owned();
    loop {
        let page = api.get(&path, &admin).await.json();
        assert_eq!(page["total"], 5);
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["country"].as_str().unwrap().to_owned()),
        );
        match page["next"].as_str() {
            Some(n) => path = format!("/api/v1/needs?limit=2&sort=-id&cursor={n}"),
            None => break,
        }
    }
    assert_eq!(seen, vec!["SOM", "ETH", "TZA", "UGA", "KEN"]);
    let csv = api
        .send(
            "GET",
            "/api/v1/needs?country=KEN,UGA",
            &admin,
            None,
            &[("accept", "text/csv")],
        )
        .await;
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(csv.text.lines().count(), 3);
    let cov = api
        .get("/api/v1/coverage?by=item&status=validated&format=csv", &Auth::None)
        .await;
    assert!(
        cov.text.starts_with("group,item,unit,needs,over_covered,needed"),
        "{}",
        cov.text
    );
    // The public sees shared needs only: asking for drafts is refused.
    let hidden = api
        .get("/api/v1/coverage?by=item&status=draft&country=UGA", &Auth::None)
        .await
        .problem(422);
    assert_eq!(hidden["errors"][0]["code"], "not_public", "{hidden}");
}
on_both_stores!(lists: lists_page_with_cursors_and_download_as_csv_on_sqlite, lists_page_with_cursors_and_download_as_csv_on_postgres);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_made_by_one_server_works_on_another() {
    let Some(db) = postgres("a_session_made_by_one_server_works_on_another") else {
        return;
    };
    db.cmd(&["migrate"])
        .env("NEEDSDB_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    let (one, two) = (serve(&db, &[]), serve(&db, &[]));
    assert_ne!(one.base, two.base);
    let (a, b) = (Api::new(&one), Api::new(&two));
    let session = session_of(&a.sign_in("admin@localhost", PASSWORD).await);
    assert_eq!(
        b.get("/api/v1/session", &session).await.json()["user"]["email"],
        "admin@localhost"
    );
    let created = b
        .send("POST", "/api/v1/needs", &session, Some(&need_body("KEN")), &[])
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json()["id"].as_i64().unwrap();
    // Concurrency control spans both processes too.
    let from_a = a
        .send(
            "PATCH",
            &format!("/api/v1/needs/{id}"),
            &session,
            Some(&json!({"quantity": 1})),
            &[("if-match", "\"1\"")],
        )
        .await;
    let from_b = b
        .send(
            "PATCH",
            &format!("/api/v1/needs/{id}"),
            &session,
            Some(&json!({"quantity": 2})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!((from_a.status, from_b.status), (200, 412));
    // Throttling is shared as well.
    for _ in 0..5 {
        a.sign_in("admin@localhost", "not the password").await;
    }
    b.sign_in("admin@localhost", PASSWORD).await.problem(429);
    assert_eq!(
        b.send("DELETE", "/api/v1/session", &session, None, &[]).await.status,
        204
    );
    a.get("/api/v1/session", &session).await.problem(401);
    db.ok(&["audit", "verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_names_a_deleted_entry_on_postgres() {
    let Some(db) = postgres("audit_verify_names_a_deleted_entry_on_postgres") else {
        return;
    };
    db.ok(&[
        "needs",
        "add",
        "--country",
        "KEN",
        "--item",
        "PPE-GOWN",
        "--quantity",
        "5",
        "--priority",
        "low",
        "--needed-by",
        "2026-12-31",
    ]);
    db.ok(&["audit", "verify"]);
    db.exec("DELETE FROM audit_log WHERE seq = 2").await;
    let o = db.run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("entry 2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_reference_and_security_headers_are_served() {
    let db = sqlite();
    let server = serve(&db, &[]);
    let api = Api::new(&server);
    // A person lands on the pages, in the first of their languages we have.
    let home = api.get("/", &Auth::None).await;
    assert_eq!((home.status, home.headers["location"].to_str().unwrap()), (303, "/en/"));
    let doc = api.get("/api/v1/openapi.json", &Auth::None).await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let page = api.get("/api/docs/", &Auth::None).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui"), "{}", page.text);
    assert!(!page.text.contains("cdn") && !page.text.contains("unpkg"), "no CDN");
    let h = api.get("/healthz", &Auth::None).await.headers;
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
}

/// A problem document follows Accept-Language: the title and each field
/// error by its code in the caller's language, field names and codes as
/// they are, and Content-Language saying which.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn problems_follow_accept_language_and_say_content_language() {
    let db = sqlite();
    let admin = db.admin_token();
    let server = serve(&db, &[]);
    let api = Api::new(&server);
    let bad = serde_json::json!({"country": "KEN", "item": "FOOD-RICE", "quantity": "lots",
        "priority": "high", "needed_by": "2027-01-01"});
    let english = api.send("POST", "/api/v1/needs", &admin, Some(&bad), &[]).await;
    assert_eq!(english.status, 422);
    assert_eq!(english.headers["content-language"], "en");
    let en = english.json();
    assert_eq!(en["errors"][0]["field"], "quantity", "{en}");
    let code = en["errors"][0]["code"].as_str().unwrap().to_owned();
    for (accept, lang, words) in [
        ("fr-FR,fr;q=0.9,en;q=0.5", "fr", "saisissez un nombre"),
        ("ar", "ar", "رقمًا"),
        ("zh-CN", "zh", "必须是数字"),
    ] {
        let r = api
            .send(
                "POST",
                "/api/v1/needs",
                &admin,
                Some(&bad),
                &[("accept-language", accept)],
            )
            .await;
        assert_eq!(r.status, 422);
        assert_eq!(r.headers["content-language"], lang);
        let p = r.json();
        assert_eq!(p["errors"][0]["field"], "quantity", "{p}");
        assert_eq!(p["errors"][0]["code"], code.as_str(), "{p}");
        let message = p["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(words), "{lang}: {message}");
        assert!(p["detail"].as_str().unwrap().contains(words), "{p}");
        assert_ne!(p["title"], en["title"], "{lang}: the title is translated");
    }
    // A language the pages do not have falls back to English.
    let r = api
        .send(
            "POST",
            "/api/v1/needs",
            &admin,
            Some(&bad),
            &[("accept-language", "de-DE")],
        )
        .await;
    assert_eq!(r.headers["content-language"], "en");
    assert_eq!(r.json()["errors"][0]["message"], en["errors"][0]["message"]);
    // Beyond field errors: the details of other problems, and rules the
    // pages have words for.
    let missing = api
        .send(
            "GET",
            "/api/v1/needs/999999",
            &admin,
            None,
            &[("accept-language", "es")],
        )
        .await;
    assert_eq!(missing.status, 404);
    let p = missing.json();
    assert!(p["detail"].as_str().unwrap().starts_with("No se encontró"), "{p}");
    let anonymous = api
        .send("GET", "/api/v1/needs", &Auth::None, None, &[("accept-language", "ru")])
        .await;
    assert_eq!(anonymous.status, 401);
    let p = anonymous.json();
    assert!(p["detail"].as_str().unwrap().starts_with("Войдите"), "{p}");
    assert!(p.get("errors").is_none(), "no field errors, so no errors member: {p}");
    let unknown = serde_json::json!({"country": "XXX", "item": "FOOD-RICE", "quantity": "5",
        "priority": "high", "needed_by": "2027-01-01"});
    let r = api
        .send(
            "POST",
            "/api/v1/needs",
            &admin,
            Some(&unknown),
            &[("accept-language", "fr")],
        )
        .await;
    assert_eq!(r.status, 422);
    let p = r.json();
    let country = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "country")
        .unwrap_or_else(|| panic!("no country error: {p}"));
    assert_eq!(country["message"], "Ce pays n'est pas connu.", "{p}");
    // A particular reason stays, in English, beside a detail in the caller's language.
    let viewer = db.account("viewer@nam.test", "viewer", &[]);
    let r = api
        .send(
            "POST",
            "/api/v1/needs",
            &viewer,
            Some(&bad),
            &[("accept-language", "es")],
        )
        .await;
    assert_eq!(r.status, 403);
    let p = r.json();
    assert_eq!(p["detail"], "Su cuenta no puede hacer esto.", "{p}");
    assert!(p["reason"].as_str().is_some_and(|m| m.contains("viewer")), "{p}");
}

/// Public aggregates carry an ETag made from the data version; sending it
/// back gets 304 until anything is written, through either of two servers
/// on one database.
async fn public_aggregates_are_tagged_and_never_stale(db: &Db) {
    let admin = db.admin_token();
    let (one, two) = (serve(db, &[]), serve(db, &[]));
    let (a, b) = (Api::new(&one), Api::new(&two));
    let path = "/api/v1/coverage?by=country";
    let etag = |r: &crate::harness::Resp| r.headers.get("etag").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let first = b.get(path, &Auth::None).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json(), json!([]));
    let tag = etag(&first).expect("a public aggregate has an ETag");
    for server in [&a, &b] {
        let again = server
            .send("GET", path, &Auth::None, None, &[("if-none-match", &tag)])
            .await;
        assert_eq!((again.status, again.text.as_str()), (304, ""), "nothing was written");
        assert_eq!(etag(&again).as_deref(), Some(tag.as_str()));
    }
    // Another question, or another language, is another answer.
    let other = b
        .send(
            "GET",
            "/api/v1/coverage?by=item",
            &Auth::None,
            None,
            &[("if-none-match", &tag)],
        )
        .await;
    assert_eq!(other.status, 200);

    // A need validated through the first server.
    let id = a
        .send("POST", "/api/v1/needs", &admin, Some(&need_body("KEN")), &[])
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    for (to, version) in [("submitted", "\"1\""), ("validated", "\"2\"")] {
        let r = a
            .send(
                "POST",
                &format!("/api/v1/needs/{id}/status"),
                &admin,
                Some(&json!({"to": to})),
                &[("if-match", version)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // The second server answers in full, with the need, under a new tag.
    let after = b.send("GET", path, &Auth::None, None, &[("if-none-match", &tag)]).await;
    assert_eq!(after.status, 200, "a write makes the old tag stale");
    assert_eq!(after.json()[0]["group"], "KEN", "{}", after.text);
    let new_tag = etag(&after).unwrap();
    assert_ne!(new_tag, tag);
    let unchanged = a
        .send("GET", path, &Auth::None, None, &[("if-none-match", &new_tag)])
        .await;
    assert_eq!(unchanged.status, 304);

    // The public dashboard likewise; a signed-in caller's answers are never tagged.
    let page = b.get("/en/dashboard", &Auth::None).await;
    assert_eq!(page.status, 200);
    let page_tag = etag(&page).expect("the public dashboard has an ETag");
    let page_again = a
        .send(
            "GET",
            "/en/dashboard",
            &Auth::None,
            None,
            &[("if-none-match", &page_tag)],
        )
        .await;
    assert_eq!(page_again.status, 304);
    let signed_in = b.send("GET", path, &admin, None, &[("if-none-match", &new_tag)]).await;
    assert_eq!((signed_in.status, etag(&signed_in)), (200, None));
}
on_both_stores!(public_aggregates_are_tagged_and_never_stale: public_aggregates_are_tagged_and_never_stale_on_sqlite, public_aggregates_are_tagged_and_never_stale_on_postgres);
