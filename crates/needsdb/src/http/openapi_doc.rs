//! The OpenAPI document as clients and contract testers read it. The route
//! annotations say what each operation does; this pass adds what holds for
//! every operation, from one place so it cannot drift per route:
//!
//! - errors are `application/problem+json`, never `application/json`;
//! - the answers any operation can give (400 for an unreadable path or query
//!   value, 401 for a bad token, 408, 503 while the database is away, 413
//!   and 415 for bodies, 422 for values that read but are wrong, 412 and 428
//!   around `If-Match`, 404 where a path names a record);
//! - the exact values query parameters take (choices, ranges, dates, code
//!   shapes), taken from the same enumerations the server checks against;
//! - how to authenticate: a bearer token, or the session cookie.

use needsdb_domain::reference::{IncomeGroup, WhoRegion};
use needsdb_domain::{NeedStatus, Priority, Stage};
use needsdb_store::{CoverageBy, MAX_PAGE, Role};
use serde_json::{Map, Value, json};

const PROBLEM: &str = "application/problem+json";

fn problem(description: &str) -> Value {
    json!({"description": description, "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

fn choices<'a>(values: impl IntoIterator<Item = &'a str>) -> Value {
    json!({"type": "string", "enum": values.into_iter().collect::<Vec<_>>()})
}

/// The values of `sort` for the keys a list sorts by: each, or each with `-`.
fn sorts(keys: &[&str]) -> Value {
    let mut all: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    all.extend(keys.iter().map(|k| format!("-{k}")));
    json!({"type": "string", "enum": all})
}

const ISO3_LIST: &str = "^[A-Za-z]{3}(,[A-Za-z]{3})*$";
/// Item and party codes: 2 to 40 letters, digits and inner hyphens.
const CODE: &str = "^[A-Za-z0-9][A-Za-z0-9-]{0,38}[A-Za-z0-9]$";
const DECIMAL: &str = "^[0-9]{1,15}([.][0-9]{1,6})?$";

/// The schema of a query parameter, by its name and the path it is on.
fn query_schema(path: &str, name: &str) -> Option<Value> {
    let iso3: Vec<&str> = needsdb_domain::reference::embedded()
        .map(|r| r.countries.iter().map(|c| c.iso3.as_str()).collect())
        .unwrap_or_default();
    Some(match name {
        "limit" if path == "/api/v1/imports" => json!({"type": "integer", "minimum": 1, "maximum": 200}),
        "limit" => json!({"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        "days" => json!({"type": "integer", "minimum": 0, "maximum": 3650}),
        "tolerance" => json!({"type": "number", "minimum": 0, "maximum": 1}),
        "by" => choices(CoverageBy::ALL.iter().map(|b| b.as_str())),
        "income_group" => choices(IncomeGroup::ALL.iter().map(|g| g.as_str())),
        "who_region" => choices(WhoRegion::ALL.iter().map(|r| r.as_str())),
        "nam_status" => choices(["member", "observer", "none"]),
        "priority" => choices(Priority::ALL.iter().map(|p| p.as_str())),
        "status" => json!({"type": "string", "pattern": format!("^({0})(,({0}))*$",
            NeedStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("|"))}),
        "stage" => choices(Stage::ALL.iter().map(|s| s.as_str())),
        "kind" if path == "/api/v1/imports" => choices(["needs", "contributions"]),
        "kind" => choices(["in_kind", "cash"]),
        "measure" => choices(["units", "usd"]),
        "decimal" => choices(["comma", "point"]),
        "format" => match path {
            "/api/v1/imports" => choices(["hxl", "xlsx", "json"]),
            "/api/v1/exports/needs" => choices(["hxl", "xlsx", "json"]),
            "/api/v1/exports/contributions" => choices(["hxl", "xlsx", "json", "iati"]),
            _ => choices(["json", "csv"]),
        },
        "sort" if path.starts_with("/api/v1/contributions") => sorts(&["id", "stage_date", "created_at"]),
        "sort" => sorts(&["id", "needed_by", "priority", "created_at", "updated_at"]),
        "country" if path == "/api/v1/exports/template" => choices(iso3),
        "country" => json!({"type": "string", "pattern": ISO3_LIST}),
        "donor" | "recipient" | "channel" | "item" => json!({"type": "string", "pattern": CODE}),
        "region" => json!({"type": "string", "pattern": "^[0-9]{1,3}$"}),
        "needed_from" | "needed_to" | "date_from" | "date_to" => json!({"type": "string", "format": "date"}),
        "quantity" => json!({"type": "string", "pattern": DECIMAL}),
        "group" => choices(earmark_targets().iter().map(String::as_str)),
        "role" => choices(Role::ALL.iter().map(|r| r.as_str())),
        _ => return None,
    })
}

/// The schema of a field of a request body, where the generated one (often
/// "any value", since bodies are read leniently to name every bad field)
/// says less than the server checks.
fn body_field_schema(component: &str, field: &str) -> Option<Value> {
    let date = json!({"type": "string", "format": "date"});
    let decimal = json!({"oneOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": DECIMAL}]});
    Some(match (component, field) {
        ("NewNeed", "country") | ("NewAccount" | "UserUpdate", "country") => {
            json!({"type": "string", "pattern": "^[A-Za-z]{3}$"})
        }
        ("NewNeed" | "NewContribution" | "AllocationRequest", "item") => json!({"type": "string", "pattern": CODE}),
        ("NewNeed", "priority") => choices(Priority::ALL.iter().map(|p| p.as_str())),
        ("NewNeed", "needed_by") | ("NewContribution", "stage_date") | ("StageChange", "date") => date,
        ("NewNeed" | "NewContribution", "quantity" | "amount" | "usd_rate") | ("NewContribution", "usd_value") => {
            decimal
        }
        ("NewNeed" | "NewContribution", "currency") => json!({"type": "string", "pattern": "^[A-Za-z]{3}$"}),
        ("NewNeed", "reported_via") => choices(needsdb_domain::ReportChannel::ALL.iter().map(|c| c.as_str())),
        ("NewContribution", "stage") | ("StageChange", "to") => choices(Stage::ALL.iter().map(|s| s.as_str())),
        ("NewContribution", "donor" | "recipient" | "channel") | ("NewOrganisation", "code") => {
            json!({"type": "string", "pattern": CODE})
        }
        ("NewContribution" | "StageChange", "source_url") => {
            json!({"type": "string", "format": "uri", "pattern": "^https?://"})
        }
        ("StatusChange", "to") => choices(NeedStatus::ALL.iter().map(|s| s.as_str())),
        ("NewAccount", "role") | ("UserUpdate", "role") => choices(Role::ALL.iter().map(|r| r.as_str())),
        ("NewAccount" | "Credentials", "email") => json!({"type": "string", "format": "email", "maxLength": 254}),
        ("NewSearch", "name") => json!({"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"}),
        ("NewSearch", "query") => json!({"type": "object"}),
        ("PasswordChange", "new_password") => {
            json!({"type": "string", "minLength": crate::password::MIN_LENGTH, "maxLength": 1024})
        }
        ("TokenRequest", "expires_in_days") => {
            json!({"type": ["integer", "null"], "minimum": 1, "maximum": crate::services::accounts::MAX_TOKEN_DAYS})
        }
        ("TokenRequest", "name") => json!({"type": "string", "minLength": 1, "maxLength": 100}),
        ("AllocationRequest", "policy") => choices(["population-cap", "need-proportional", "max-min", "priority"]),
        _ => return None,
    })
}

/// Every group an earmark (or the equity report) can name.
fn earmark_targets() -> &'static Vec<String> {
    static ALL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = vec!["nam-members".to_owned()];
        if let Ok(r) = needsdb_domain::reference::embedded() {
            let mut areas = std::collections::BTreeSet::new();
            for c in &r.countries {
                let facts = needsdb_domain::CountryFacts::from_country(c);
                areas.extend(facts.m49_areas.iter().map(|a| format!("m49:{a}")));
                all.push(format!("country:{}", c.iso3.as_str()));
            }
            all.extend(areas);
            all.extend(r.clusters.iter().map(|c| format!("cluster:{}", c.code)));
        }
        all.extend(WhoRegion::ALL.iter().map(|w| format!("who:{}", w.as_str())));
        all.extend(IncomeGroup::ALL.iter().map(|g| format!("income:{}", g.as_str())));
        all
    })
}

/// Adds `code` to `responses` unless the route documented it already.
fn add(responses: &mut Map<String, Value>, code: &str, description: &str) {
    responses.entry(code.to_owned()).or_insert_with(|| problem(description));
}

/// Errors are problem documents: their body is described as such.
fn problems_as_problem_json(responses: &mut Map<String, Value>) {
    for (code, r) in responses.iter_mut() {
        if !code.starts_with('4') && !code.starts_with('5') {
            continue;
        }
        let Some(content) = r.get_mut("content").and_then(Value::as_object_mut) else {
            continue;
        };
        if let Some(json) = content.remove("application/json") {
            content.insert(PROBLEM.to_owned(), json);
        }
    }
}

fn complete_operation(path: &str, method: &str, op: &mut Value) {
    let params = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let in_path = params.iter().any(|p| p["in"] == "path");
    let in_query = params.iter().any(|p| p["in"] == "query");
    let if_match = params.iter().any(|p| p["in"] == "header" && p["name"] == "If-Match");
    let json_body = op
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
        .is_some_and(|c| c.contains_key("application/json"));
    let body = op.get("requestBody").is_some();
    // Every change made with the session cookie carries the session's CSRF
    // token; signing in is the one change made before there is a session.
    if matches!(method, "post" | "put" | "patch" | "delete") && !(path == "/api/v1/session" && method == "post") {
        let csrf = json!({"name": "X-CSRF-Token", "in": "header", "required": false,
            "description": "With the session cookie: the csrf_token given at sign-in. Not needed with a bearer token.",
            "schema": {"type": "string"}});
        match op.get_mut("parameters").and_then(Value::as_array_mut) {
            Some(list) => list.push(csrf),
            None => op["parameters"] = json!([csrf]),
        }
    }
    if let Some(list) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in list.iter_mut() {
            let name = p["name"].as_str().unwrap_or_default().to_owned();
            match p["in"].as_str() {
                Some("query") => {
                    if let Some(s) = query_schema(path, &name) {
                        p["schema"] = s;
                    }
                }
                Some("path") if name == "id" => {
                    p["schema"] = json!({"type": "integer", "format": "int64", "minimum": 1})
                }
                Some("path") if name == "code" => p["schema"] = json!({"type": "string", "pattern": CODE}),
                _ => {}
            }
        }
    }
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
        return;
    };
    if path == "/healthz" || path == "/readyz" {
        // Health checks answer with their own small report, either way.
        let report = json!({"application/json": {"schema": {"type": "object", "required": ["status", "database"],
            "properties": {"status": {"type": "string", "enum": ["ok", "unavailable", "degraded"]},
                "database": {"type": "string", "enum": ["sqlite", "postgres"]},
                "writes": {"type": "string"}, "problem": {"type": "string"}}}}});
        responses.insert("200".into(), json!({"description": "Ready", "content": report}));
        responses.insert(
            "503".into(),
            json!({"description": "Not ready: `problem` says why", "content": report}),
        );
        return;
    }
    problems_as_problem_json(responses);
    // Lists that take format=csv answer with CSV then.
    let csv = params
        .iter()
        .any(|p| p["name"] == "format" && query_schema(path, "format") == Some(choices(["json", "csv"])));
    if csv
        && let Some(ok) = responses
            .get_mut("200")
            .and_then(|r| r.get_mut("content"))
            .and_then(Value::as_object_mut)
    {
        ok.entry("text/csv")
            .or_insert_with(|| json!({"schema": {"type": "string"}}));
    }
    if in_path || in_query || body {
        add(
            responses,
            "400",
            "The request cannot be read: a path or query value of the wrong type, or a body that is not JSON",
        );
    }
    if path.starts_with("/api/") {
        add(
            responses,
            "401",
            "An API token or session that is unknown, expired or revoked; or none where one is needed",
        );
    }
    if in_path {
        add(
            responses,
            "404",
            "Nothing at this address (or nothing the caller may see)",
        );
    }
    add(responses, "408", "The request took too long");
    if body {
        add(responses, "413", "The body is larger than this operation takes");
    }
    if json_body {
        add(responses, "415", "The body is not sent as application/json");
    }
    if in_query || body {
        add(
            responses,
            "422",
            "A value that reads but is not valid; each field at fault is named",
        );
    }
    if if_match {
        add(
            responses,
            "412",
            "The record has changed since the ETag sent in If-Match",
        );
        add(responses, "428", "If-Match is missing: send the ETag you last read");
    }
    if method == "post" && path == "/api/v1/session" {
        add(
            responses,
            "429",
            "Too many failed sign-ins for this account from this address; see Retry-After",
        );
    }
    add(
        responses,
        "503",
        "The database cannot be reached, is full or is read-only just now; see Retry-After",
    );
}

/// Completes the document generated from the routes. It stays JSON: the
/// generated schemas of free-form values (`{}`) do not read back into
/// utoipa's types.
pub fn complete(doc: &utoipa::openapi::OpenApi) -> Value {
    let mut v = serde_json::to_value(doc).unwrap_or_default();
    // Coverage answers rows in units, or with measure=usd rows in dollars:
    // each row is exactly one of the two.
    if let Ok(usd) = serde_json::to_value(<needsdb_store::CoverageUsdRow as utoipa::PartialSchema>::schema())
        && let Some(schemas) = v.pointer_mut("/components/schemas").and_then(Value::as_object_mut)
    {
        schemas.insert("CoverageUsdRow".into(), usd);
    }
    if let Some(items) =
        v.pointer_mut("/paths/~1api~1v1~1coverage/get/responses/200/content/application~1json/schema/items")
    {
        *items = json!({"oneOf": [
            {"$ref": "#/components/schemas/CoverageRow"},
            {"$ref": "#/components/schemas/CoverageUsdRow"}
        ]});
    }
    if let Some(paths) = v.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for (method, op) in item.iter_mut() {
                if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                    complete_operation(path, method, op);
                }
            }
        }
    }
    if let Some(schemas) = v.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (name, schema) in schemas.iter_mut() {
            let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
                continue;
            };
            for (field, s) in props.iter_mut() {
                if let Some(better) = body_field_schema(name, field) {
                    // An optional field may still be sent as null.
                    let nullable = s["type"].as_array().is_some_and(|t| t.iter().any(|x| x == "null"));
                    *s = if nullable {
                        json!({"oneOf": [better, {"type": "null"}]})
                    } else {
                        better
                    };
                }
            }
        }
    }
    // An import's body is the file itself, in any of the formats it reads.
    if let Some(body) = v.pointer_mut("/paths/~1api~1v1~1imports/post/requestBody") {
        let file = json!({"schema": {"type": "string", "format": "binary"}});
        body["content"] = json!({
            "text/csv": file,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": file,
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
        });
    }
    let components = v
        .as_object_mut()
        .map(|o| o.entry("components").or_insert_with(|| json!({})));
    if let Some(c) = components.and_then(Value::as_object_mut) {
        c.insert(
            "securitySchemes".into(),
            json!({
                "token": {"type": "http", "scheme": "bearer",
                    "description": "An API token (`needsdb tokens create`, or POST /api/v1/tokens), sent as 'Authorization: Bearer ndb_...'"},
                "session": {"type": "apiKey", "in": "cookie", "name": crate::http::auth::SESSION_COOKIE,
                    "description": "The session cookie POST /api/v1/session sets; every change also needs its CSRF token in X-CSRF-Token"}
            }),
        );
    }
    // Public operations need nothing; the others say so with 401.
    v["security"] = json!([{}, {"token": []}, {"session": []}]);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_become_problem_documents_and_common_answers_are_added() {
        let mut op = json!({
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                           {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "ok"},
                          "404": {"description": "none", "content": {"application/json": {"schema": {}}}}}
        });
        complete_operation("/api/v1/needs/{id}", "get", &mut op);
        let r = &op["responses"];
        assert!(r["404"]["content"].get(PROBLEM).is_some(), "{r}");
        assert!(r["404"]["content"].get("application/json").is_none(), "{r}");
        for code in ["400", "401", "408", "422", "503"] {
            assert!(r.get(code).is_some(), "{code}: {r}");
        }
        assert!(r.get("415").is_none(), "no body, no 415: {r}");
        assert_eq!(op["parameters"][1]["schema"]["maximum"], MAX_PAGE);
        assert_eq!(op["parameters"][0]["schema"]["minimum"], 1);
    }
}

#[cfg(test)]
mod whole {
    #[test]
    fn the_served_document_is_completed() {
        let v = crate::http::openapi();
        assert!(
            v["paths"]["/api/v1/needs/{id}"]["get"]["responses"]
                .get("503")
                .is_some(),
            "{v:.300}"
        );
        assert!(v["components"]["securitySchemes"]["token"].is_object());
    }
}
