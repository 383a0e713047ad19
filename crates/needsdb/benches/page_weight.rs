//! How many bytes each page costs on the wire, gzipped as the server sends
//! it: a focal point may be on a 2G or satellite link. Prints every page's
//! transfer size against its budget: 30 KB for a page to someone signed in
//! (the stylesheet is cached by then), 100 KB for a first visit with the
//! stylesheet. Runs the release server on the demo scenario.
//!
//! Run it again with `cargo bench -p needsdb --bench page_weight`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

const SIGNED_IN_BUDGET: usize = 30 * 1024;
const FIRST_VISIT_BUDGET: usize = 100 * 1024;
/// The dashboard's own budgets: its first visit, map included, and a filter change.
const DASHBOARD_FIRST_VISIT_BUDGET: usize = 150 * 1024;
const DASHBOARD_FILTER_BUDGET: usize = 40 * 1024;

mod common;
use common::{cli, client, one_time, serve};

/// The stylesheet's address (named by its hash).
async fn css_href(c: &common::Client) -> String {
    let text = c
        .http
        .get(format!("{}/en/", c.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = text.find("/static/app.").unwrap();
    text[at..at + text[at..].find('"').unwrap()].to_owned()
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("weight.sqlite").display());
    cli(&url, &["demo", "--database", &url]);
    let focal = one_time(&url, "focal@ministry.test", "focal_point", &["--country", "KEN"]);
    let partner = one_time(&url, "partner@donor.test", "partner", &["--org", "IND"]);
    let (mut child, base) = serve(&url);
    let new_client = || client(&base);

    println!(
        "{:<44} {:>6} {:>10} {:>10}",
        "page (gzip, as sent)", "status", "bytes", "budget"
    );
    let mut over = 0;
    let mut line = |what: &str, status: u16, bytes: usize, budget: usize| {
        let mark = if bytes > budget {
            over += 1;
            "  OVER"
        } else {
            ""
        };
        println!("{what:<44} {status:>6} {bytes:>10} {budget:>10}{mark}");
    };

    // A first visit: the page and its stylesheet, nothing cached.
    let anon = new_client();
    for lang in ["en", "ar", "zh"] {
        let (s, page) = anon.weight(&format!("/{lang}/")).await;
        let css = anon.weight(&css_href(&anon).await).await.1;
        line(
            &format!("first visit /{lang}/ (page + stylesheet)"),
            s,
            page + css,
            FIRST_VISIT_BUDGET,
        );
    }
    // The dashboard: a first visit with the map, then a filter change (the
    // stylesheet cached by then).
    {
        let (s, page) = anon.weight("/en/dashboard").await;
        let css = anon.weight(&css_href(&anon).await).await.1;
        line(
            "first visit /en/dashboard (page + stylesheet)",
            s,
            page + css,
            DASHBOARD_FIRST_VISIT_BUDGET,
        );
        for path in [
            "/en/dashboard?item=FOOD-RICE",
            "/ar/dashboard?region=002&show=arrived",
            "/fr/dashboard?income_group=low",
        ] {
            let (s, b) = anon.weight(path).await;
            line(&format!("filter change {path}"), s, b, DASHBOARD_FILTER_BUDGET);
        }
    }
    for path in [
        "/en/sign-in",
        "/en/countries/KEN",
        "/fr/countries/AFG",
        "/en/countries",
        "/ar/countries?region=002",
    ] {
        let (s, b) = anon.weight(path).await;
        line(path, s, b, SIGNED_IN_BUDGET);
    }

    let fp = new_client();
    fp.sign_in("focal@ministry.test", &focal).await;
    // One of the focal point's own needs (the demo numbers them across states).
    let own: serde_json::Value = fp
        .http
        .get(format!("{}/api/v1/needs?country=KEN&limit=1", fp.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let own_need = format!("/en/needs/{}", own["items"][0]["id"]);
    for path in [
        "/en/",
        "/en/needs",
        "/en/needs?country=KEN",
        "/en/needs/new",
        own_need.as_str(),
        "/en/countries/KEN",
        "/en/imports",
        "/en/imports/new",
        "/en/inbox",
        "/ar/needs",
        "/ru/needs?status=validated",
    ] {
        let (s, b) = fp.weight(path).await;
        line(&format!("focal point {path}"), s, b, SIGNED_IN_BUDGET);
    }
    let p = new_client();
    p.sign_in("partner@donor.test", &partner).await;
    for path in [
        "/en/needs?status=validated",
        "/en/needs/2",
        "/en/needs/2/pledge",
        "/en/contributions/1",
        "/en/contributions",
        "/en/contributions?country=KEN&stage=pledged",
        "/en/offers?item=FOOD-RICE&quantity=500",
        "/en/catalogue/FOOD-RICE",
    ] {
        let (s, b) = p.weight(path).await;
        line(&format!("partner {path}"), s, b, SIGNED_IN_BUDGET);
    }
    println!("{over} page(s) over budget");
    let _ = child.kill();
    let _ = child.wait();
}
