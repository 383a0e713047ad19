//! The OpenAPI document is generated from the routes; this snapshot pins it,
//! so any change to the API shows up in review. To accept a deliberate
//! change: `UPDATE_SNAPSHOTS=1 cargo test -p needsdb --test e2e openapi`.

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let doc = needsdb::http::openapi();
    let text = format!("{}\n", serde_json::to_string_pretty(&doc).unwrap());
    let path = format!("{}/tests/snapshots/openapi.json", env!("CARGO_MANIFEST_DIR"));
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let pinned = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        pinned == text,
        "the OpenAPI document changed; review the difference and run with UPDATE_SNAPSHOTS=1 to accept it\n--- first differing line ---\n{}",
        pinned
            .lines()
            .zip(text.lines())
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("pinned: {a}\nnow:    {b}"))
            .unwrap_or_else(|| "(lengths differ)".into())
    );
}

#[test]
fn every_route_is_documented_with_its_errors() {
    let doc = needsdb::http::openapi();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/needs",
        "/api/v1/needs/{id}",
        "/api/v1/needs/{id}/history",
        "/api/v1/contributions/{id}/stage",
        "/api/v1/coverage",
        "/api/v1/tokens",
        "/metrics",
    ] {
        assert!(paths.contains_key(p), "{p} is not documented");
    }
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
        }
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    // Swagger's Authorize button: the token and the session, and the CSRF
    // header on every change a session makes.
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert!(schemes.len() >= 2, "{schemes:?}");
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            if ["post", "patch", "put", "delete"].contains(&method.as_str())
                && !(path == "/api/v1/session" && method == "post")
            {
                let has = op["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["name"] == "X-CSRF-Token"));
                assert!(has, "{method} {path} does not document X-CSRF-Token");
            }
        }
    }
    // Errors are documented as what they are. The health checks are the one
    // exception: their 503 is the health report itself, for load balancers.
    for (path, ops) in paths {
        if path == "/healthz" || path == "/readyz" {
            continue;
        }
        for (method, op) in ops.as_object().unwrap() {
            for (code, r) in op["responses"].as_object().unwrap() {
                if code.starts_with('4') || code.starts_with('5') {
                    assert!(
                        r["content"].get("application/json").is_none(),
                        "{method} {path} {code} is documented as application/json"
                    );
                }
            }
        }
    }
}
