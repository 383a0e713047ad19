//! Data exchange through the real binary: round trips in every format,
//! idempotent re-imports, problem reports, dry runs, the name resolver, the
//! XLSX template, and IATI validated against the official schema.

use crate::harness::{Db, postgres, sqlite};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

fn need_count(db: &Db) -> u64 {
    db.json(&["needs", "list", "--limit", "1"])["total"].as_u64().unwrap()
}

fn audit_entries(db: &Db) -> u64 {
    db.json(&["audit", "verify"])["entries"].as_u64().unwrap()
}

/// The cells of every sheet, for comparing workbooks whose zip metadata differs.
fn xlsx_cells(path: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            out.push(row.iter().map(|c| c.to_string()).collect());
        }
    }
    out
}

fn same_export(format: &str, a: &Path, b: &Path) {
    if format == "xlsx" {
        assert_eq!(
            xlsx_cells(a),
            xlsx_cells(b),
            "{format}: {} and {}",
            a.display(),
            b.display()
        );
    } else {
        let (x, y) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
        assert!(x == y, "{format}: {} and {} differ", a.display(), b.display());
    }
}

fn round_trip(source: &Db, fresh: impl Fn() -> Db, formats: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| -> PathBuf { dir.path().join(name) };
    for f in formats {
        let (n1, c1, n2, c2) = (
            p(&format!("n1.{f}")),
            p(&format!("c1.{f}")),
            p(&format!("n2.{f}")),
            p(&format!("c2.{f}")),
        );
        source.ok(&["export", "needs", "--format", f, "--output", n1.to_str().unwrap()]);
        source.ok(&[
            "export",
            "contributions",
            "--format",
            f,
            "--output",
            c1.to_str().unwrap(),
        ]);
        let target = fresh();
        let r = target.json(&["import", n1.to_str().unwrap()]);
        assert_eq!(r["problem_count"], 0, "{f}: {r}");
        assert_eq!(r["created"], r["rows"], "{f}: {r}");
        let r = target.json(&["import", c1.to_str().unwrap()]);
        assert_eq!(r["problem_count"], 0, "{f}: {r}");
        assert_eq!(r["committed"], true);
        target.ok(&["export", "needs", "--format", f, "--output", n2.to_str().unwrap()]);
        target.ok(&[
            "export",
            "contributions",
            "--format",
            f,
            "--output",
            c2.to_str().unwrap(),
        ]);
        // Statuses too: partly met and met come back from the contributions' links.
        same_export(f, &n1, &n2);
        same_export(f, &c1, &c2);

        // Importing the same files again changes nothing.
        let before = (need_count(&target), audit_entries(&target));
        for file in [&n1, &c1] {
            let r = target.json(&["import", file.to_str().unwrap()]);
            assert_eq!(
                (r["created"].as_u64(), r["updated"].as_u64()),
                (Some(0), Some(0)),
                "{f}: {r}"
            );
            assert_eq!(r["unchanged"], r["rows"], "{f}: {r}");
        }
        assert_eq!((need_count(&target), audit_entries(&target)), before, "{f}");
        // And so does importing an export into the database it came from.
        let r = source.json(&["import", n1.to_str().unwrap()]);
        assert_eq!(r["created"], 0, "{f}: {r}");
    }
}

#[test]
fn every_format_round_trips_a_whole_database_on_sqlite() {
    let source = sqlite();
    source.ok(&["demo"]);
    round_trip(&source, sqlite, &["hxl", "json", "xlsx"]);
}

#[test]
fn hxl_round_trips_on_postgres() {
    let Some(source) = postgres("hxl_round_trips_on_postgres") else {
        return;
    };
    source.ok(&["demo"]);
    round_trip(&source, || postgres("hxl_round_trips_on_postgres").unwrap(), &["hxl"]);
}

/// A file as a ministry might send it: BOM, semicolons, hashtags in any
/// case and order, a column needsdb does not know, and a few mistakes.
const MESSY: &str = "\u{feff}Pays;Article;Quantité;Priorité;Date;Remarque;Lieu\n\
#COUNTRY +Name;#item+CODE;#need;#Severity;#date +needed;#x_internal;#adm1+name\n\
Côte d’Ivoire;PPE-MASK-MED;1000;high;31/01/2027;ok;Abidjan\n\
Lao PDR;PPE-GLOVE-EXAM;25;critical;2027-02-15;ok;\n\
Keyna;PPE-MASK-MED;10;high;2027-03-01;suggestion;\n\
Atlantis;PPE-MASK-MED;10;high;2027-03-01;no such country;\n\
Kenya;FLUX-CAPACITOR;10;high;2027-03-01;no such item;\n\
Kenya;PPE-MASK-MED;-5;high;2027-03-01;negative;\n\
Kenya;PPE-MASK-MED;5;high;03/04/2027;ambiguous date;\n";

#[test]
fn every_problem_is_reported_with_row_column_and_fix_and_nothing_is_written() {
    let db = sqlite();
    db.ok(&["migrate"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("messy.csv");
    std::fs::write(&file, MESSY).unwrap();
    let before = audit_entries(&db);
    let o = db.run(&["import", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["committed"], false);
    assert_eq!(r["rows"], 7);
    let problems = r["problems"].as_array().unwrap();
    let at = |row: u64| -> Vec<&Value> { problems.iter().filter(|p| p["row"] == row).collect() };
    // The file's rows 3 and 4 are fine; 5 to 9 each have one problem.
    assert!(at(3).is_empty() && at(4).is_empty(), "{r}");
    for (row, code, column) in [
        (5, "suggestion", "A"),
        (6, "no_match", "A"),
        (7, "no_match", "B"),
        (8, "", "C"),
        (9, "unreadable_cell", "E"),
    ] {
        let p = at(row);
        assert_eq!(p.len(), 1, "row {row}: {r}");
        if !code.is_empty() {
            assert_eq!(p[0]["code"], code, "row {row}: {r}");
        }
        assert!(p[0]["column"].as_str().unwrap().starts_with(column), "row {row}: {r}");
        assert!(!p[0]["fix"].as_str().unwrap().is_empty(), "row {row}: {r}");
    }
    assert_eq!(r["problem_count"], 5, "{r}");
    let warnings = r["warnings"].to_string();
    assert!(warnings.contains("#x_internal"), "{warnings}");
    assert_eq!(need_count(&db), 0);
    assert_eq!(audit_entries(&db), before);

    // Fixed, apart from the suggestion, which is accepted on request.
    let fixed: String = MESSY.lines().take(5).map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, &fixed).unwrap();
    let o = db.run(&["import", file.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(3));
    let dry = db.json(&["import", file.to_str().unwrap(), "--accept-suggestions", "--dry-run"]);
    assert_eq!(
        (dry["problem_count"].as_u64(), dry["created"].as_u64()),
        (Some(0), Some(3)),
        "{dry}"
    );
    assert_eq!(dry["committed"], false);
    assert_eq!(need_count(&db), 0, "a dry run writes nothing");
    let r = db.json(&["import", file.to_str().unwrap(), "--accept-suggestions"]);
    assert_eq!(
        (r["committed"].as_bool(), r["created"].as_u64()),
        (Some(true), Some(3)),
        "{r}"
    );
    let needs = db.json(&["needs", "list"]);
    let countries: Vec<&str> = needs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["CIV", "LAO", "KEN"]);
    assert_eq!(needs["items"][0]["needed_by"], "2027-01-31");
    assert_eq!(needs["items"][0]["place"], "Abidjan");
    // One audit entry for the import, naming the file's hash.
    assert_eq!(audit_entries(&db), before + 1);
}

#[test]
fn names_resolve_as_people_write_them() {
    let db = sqlite();
    for (name, iso3) in [
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Lao PDR", "LAO"),
        ("DPRK", "PRK"),
        ("Iran (Islamic Rep. of)", "IRN"),
        ("Viet Nam", "VNM"),
        ("Côte-d'Ivoire", "CIV"),
        ("República Islámica de Irán", "IRN"),
        ("Вьетнам", "VNM"),
        ("越南", "VNM"),
        ("فيتنام", "VNM"),
        ("KE", "KEN"),
        ("ken", "KEN"),
        ("404", "KEN"),
    ] {
        let v = db.json(&["resolve", "country", name]);
        assert_eq!(v["match"], "exact", "{name}: {v}");
        assert_eq!(v["iso3"], iso3, "{name}: {v}");
        assert_eq!(v["input"], name);
    }
    let v = db.json(&["resolve", "country", "Keyna"]);
    assert_eq!(
        (v["match"].as_str(), v["iso3"].as_str()),
        (Some("suggestion"), Some("KEN")),
        "{v}"
    );
    assert!(!v["candidates"].as_array().unwrap().is_empty());
    // No match is an answer, not an error: exit 0.
    let v = db.json(&["resolve", "country", "Atlantis"]);
    assert_eq!(v["match"], "none");
    assert!(v["iso3"].is_null());
    assert_eq!(v["candidates"], serde_json::json!([]));
    assert_eq!(db.ok(&["resolve", "country", "Lao PDR"]).trim(), "LAO  exact");
    let v = db.json(&["resolve", "item", "ppe-mask-med"]);
    assert_eq!(
        (v["match"].as_str(), v["code"].as_str()),
        (Some("exact"), Some("PPE-MASK-MED"))
    );
}

#[test]
fn the_country_template_has_lists_and_reads_back() {
    let db = sqlite();
    db.ok(&["migrate"]);
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("ken.xlsx");
    db.ok(&[
        "export",
        "template",
        "--country",
        "KEN",
        "--output",
        t.to_str().unwrap(),
    ]);
    let cells = xlsx_cells(&t);
    assert!(cells.iter().any(|r| r.iter().any(|c| c.contains("template for Kenya"))));
    assert!(cells.iter().any(|r| r.first().is_some_and(|c| c == "PPE-MASK-MED")));
    // The data validations (drop-downs) are in the sheet's XML.
    let out = Command::new("unzip")
        .args(["-p", t.to_str().unwrap(), "xl/worksheets/sheet2.xml"])
        .output();
    if let Ok(o) = out {
        let xml = String::from_utf8_lossy(&o.stdout);
        assert!(
            xml.contains("<dataValidation") && xml.contains("Lists!$A$2"),
            "{xml:.500}"
        );
        assert!(
            xml.contains("autoFilter") && xml.contains("pane"),
            "filters and a frozen header"
        );
    }
    // Empty, it imports nothing and has no problems (the country is filled in on every row).
    let r = db.json(&["import", t.to_str().unwrap()]);
    assert_eq!(
        (r["rows"].as_u64(), r["problem_count"].as_u64()),
        (Some(0), Some(0)),
        "{r}"
    );

    let bad = db.run(&["export", "template", "--output", t.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = db.run(&[
        "export",
        "template",
        "--country",
        "XXX",
        "--output",
        t.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn excel_dates_are_read_in_any_format_and_either_epoch() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let db = sqlite();
    db.ok(&["migrate"]);
    let dir = tempfile::tempdir().unwrap();
    for epoch_1904 in [false, true] {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Needs").unwrap();
        for (c, t) in [
            "#country+code",
            "#item+code",
            "#need",
            "#severity",
            "#date+needed",
            "#meta+id",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(0, c as u16, *t).unwrap();
        }
        let d = ExcelDateTime::from_ymd(2027, 1, 31).unwrap();
        let formats = [
            Format::new().set_num_format("dd/mm/yyyy"),
            Format::new().set_num_format("mmm d, yyyy"),
            Format::new().set_num_format("yyyy-mm-dd"),
        ];
        for (r, f) in formats.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, "KEN").unwrap();
            ws.write_string(r, 1, "PPE-MASK-MED").unwrap();
            ws.write_number(r, 2, 10.0).unwrap();
            ws.write_string(r, 3, "high").unwrap();
            ws.write_datetime_with_format(r, 4, &d, f).unwrap();
            ws.write_string(r, 5, format!("e{epoch_1904}-{r}")).unwrap();
        }
        // A date typed as text, and a serial number with no date format.
        ws.write_string(4, 0, "KEN").unwrap();
        ws.write_string(4, 1, "PPE-MASK-MED").unwrap();
        ws.write_number(4, 2, 10.0).unwrap();
        ws.write_string(4, 3, "high").unwrap();
        ws.write_string(4, 4, "31 January 2027").unwrap();
        ws.write_string(4, 5, format!("e{epoch_1904}-4")).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let bytes = if epoch_1904 { set_1904(&bytes) } else { bytes };
        let file = dir.path().join(format!("dates-{epoch_1904}.xlsx"));
        std::fs::write(&file, bytes).unwrap();
        let r = db.json(&["import", file.to_str().unwrap()]);
        assert_eq!(
            (r["problem_count"].as_u64(), r["created"].as_u64()),
            (Some(0), Some(4)),
            "{r}"
        );
    }
    let needs = db.json(&["needs", "list"]);
    for n in needs["items"].as_array().unwrap() {
        assert_eq!(n["needed_by"], "2027-01-31", "{n}");
    }
}

/// Rewrites a workbook to the 1904 date system: the flag in workbook.xml and
/// every date serial shifted by the 1,462 days between the epochs.
fn set_1904(xlsx: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let (mut flagged, mut shifted) = (false, 0);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        if name == "xl/workbook.xml" {
            flagged = text.contains("<workbookPr");
            text = text.replace("<workbookPr", "<workbookPr date1904=\"1\"");
        }
        if name.starts_with("xl/worksheets/") {
            shifted += text.matches("<v>46418</v>").count();
            text = text.replace("<v>46418</v>", &format!("<v>{}</v>", 46418 - 1462));
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    assert!(
        flagged && shifted == 3,
        "the workbook was not rewritten to 1904: {flagged} {shifted}"
    );
    out.finish().unwrap().into_inner()
}

#[test]
fn the_iati_export_validates_against_the_official_schema() {
    let db = sqlite();
    db.ok(&["demo"]);
    let dir = tempfile::tempdir().unwrap();
    let xml = dir.path().join("contributions.xml");
    db.ok(&[
        "export",
        "contributions",
        "--format",
        "iati",
        "--output",
        xml.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&xml).unwrap();
    for expected in [
        "<iati-activities version=\"2.03\"",
        "humanitarian=\"1\"",
        "<recipient-country code=",
        "<sector vocabulary=\"1\" code=\"12250\"",
        "<transaction-type code=\"2\"/>",
        "<transaction-type code=\"3\"/>",
        "<transaction-type code=\"12\"/>",
    ] {
        assert!(text.contains(expected), "{expected} missing");
    }
    let schema = format!(
        "{}/../../data/iati/2.03/iati-activities-schema.xsd",
        env!("CARGO_MANIFEST_DIR")
    );
    match Command::new("xmllint")
        .args(["--noout", "--schema", &schema, xml.to_str().unwrap()])
        .output()
    {
        Ok(o) => assert!(o.status.success(), "xmllint: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            assert!(
                !std::env::var("CI").is_ok_and(|v| v == "true"),
                "xmllint is required under CI=true: {e}"
            );
            eprintln!(
                "\n*** SKIPPED IATI schema validation: xmllint not found ({e}); apt-get install libxml2-utils ***\n"
            );
        }
    }
    // The IATI standard ruleset: every activity has a sector (cash takes it
    // from the needs it funds, or a declared one), a start date, dates in
    // order, and percentages that add up.
    let activities = text.matches("<iati-activity ").count();
    assert_eq!(
        activities,
        text.split("<iati-activity ")
            .skip(1)
            .filter(|a| a.contains("<sector "))
            .count(),
        "every activity carries a sector"
    );
    assert!(
        text.contains("in kind (valued at the catalogue&apos;s indicative unit value)"),
        "goods carry their value"
    );
    let ruleset = format!(
        "{}/../../data/iati/2.03/standard_ruleset.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let checker = format!("{}/../../scripts/check_iati_rules.py", env!("CARGO_MANIFEST_DIR"));
    let o = Command::new("python3")
        .args([&checker, &ruleset, xml.to_str().unwrap()])
        .output()
        .expect("python3 runs the IATI ruleset check");
    assert!(
        o.status.success(),
        "the IATI standard ruleset: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    // A hostile description cannot break the XML.
    let r = db.json(&[
        "contributions",
        "add",
        "--donor",
        "IND",
        "--recipient",
        "KEN",
        "--amount",
        "5",
        "--currency",
        "USD",
        "--sector",
        "12250",
        "--stage",
        "committed",
        "--description",
        "<script>&\"'</script>",
    ]);
    assert!(r["id"].is_i64(), "{r}");
    db.ok(&[
        "export",
        "contributions",
        "--format",
        "iati",
        "--output",
        xml.to_str().unwrap(),
    ]);
    if let Ok(o) = Command::new("xmllint")
        .args(["--noout", "--schema", &schema, xml.to_str().unwrap()])
        .output()
    {
        assert!(o.status.success(), "xmllint: {}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn exported_cells_that_look_like_formulas_are_neutralised_and_read_back() {
    let db = sqlite();
    db.ok(&["migrate"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f.csv");
    std::fs::write(
        &file,
        "#country+code,#item+code,#need,#severity,#date+needed,#description,#meta+id\nKEN,PPE-MASK-MED,5,high,2027-01-31,=HYPERLINK(\"http://x\"),@id1\n",
    )
    .unwrap();
    let r = db.json(&["import", file.to_str().unwrap()]);
    assert_eq!(r["created"], 1, "{r}");
    let out = dir.path().join("out.csv");
    db.ok(&["export", "needs", "--output", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("'=HYPERLINK") && text.contains("'@id1"), "{text}");
    assert!(!text.contains(",=") && !text.contains(",@"), "{text}");
    // Read back, the apostrophe goes: the same need, unchanged.
    let r = db.json(&["import", out.to_str().unwrap()]);
    assert_eq!(
        (r["unchanged"].as_u64(), r["created"].as_u64()),
        (Some(1), Some(0)),
        "{r}"
    );
    let x = dir.path().join("out.xlsx");
    db.ok(&["export", "needs", "--output", x.to_str().unwrap()]);
    let cells = xlsx_cells(&x);
    assert!(
        cells.iter().flatten().any(|c| c == "'=HYPERLINK(\"http://x\")"),
        "{cells:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_over_http_are_authorised_row_by_row_and_exports_download() {
    use crate::harness::{Api, Auth, serve};
    let db = sqlite();
    let admin = db.admin_token();
    let focal = db.account("fp@moh.ke", "focal_point", &["--country", "KEN"]);
    let server = serve(&db, &[]);
    let api = Api::new(&server);
    let client = reqwest::Client::new();
    let post = |auth: &Auth, query: &str, body: Vec<u8>| {
        let mut rb = client
            .post(format!("{}/api/v1/imports{query}", server.base))
            .header("content-type", "text/csv")
            .header("prefer", "wait=60")
            .body(body);
        if let Auth::Token(t) = auth {
            rb = rb.bearer_auth(t);
        }
        rb.send()
    };
    let csv = "#country+code,#item+code,#need,#severity,#date+needed\nKEN,PPE-MASK-MED,10,high,2027-01-31\nUGA,PPE-MASK-MED,10,high,2027-01-31\n";
    let r = post(&focal, "", csv.as_bytes().to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let problem: Value = r.json().await.unwrap();
    let report = &problem["report"];
    assert_eq!(report["problems"][0]["row"], 3, "{report}");
    assert_eq!(report["problems"][0]["code"], "forbidden", "{report}");
    assert!(
        report["problems"][0]["column"].as_str().unwrap().starts_with('A'),
        "{report}"
    );
    assert_eq!(need_count(&db), 0);

    // A dry run of the allowed row, then the import itself.
    let own = "#country+code,#item+code,#need,#severity,#date+needed\nKEN,PPE-MASK-MED,10,high,2027-01-31\n";
    let r = post(&focal, "?dry_run=true", own.as_bytes().to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(need_count(&db), 0);
    let r = post(&focal, "?name=ken.csv", own.as_bytes().to_vec()).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let report: Value = r.json().await.unwrap();
    assert_eq!(
        (report["created"].as_u64(), report["file"].as_str()),
        (Some(1), Some("ken.csv"))
    );
    assert_eq!(need_count(&db), 1);

    // Larger than other bodies may be (2 MiB), within the import limit.
    let mut big = String::from("#country+code,#item+code,#need,#severity,#date+needed,#meta+id\n");
    let mut i = 0;
    while big.len() < 3 * 1024 * 1024 {
        big.push_str(&format!("KEN,PPE-MASK-MED,{},low,2027-02-01,big-{i}\n", i + 1));
        i += 1;
    }
    let r = post(&admin, "?dry_run=true", big.into_bytes()).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["created"].as_u64(), Some(i), "{report:.300}");
    // Over the limit: a 413, or the connection closed on a body still being sent.
    match post(&admin, "", vec![b'x'; 65 * 1024 * 1024]).await {
        Ok(r) => {
            assert_eq!(r.status().as_u16(), 413);
            let p: Value = r.json().await.unwrap();
            assert!(p["detail"].as_str().unwrap().contains("64 MiB"), "{p}");
        }
        Err(e) => assert!(e.is_request(), "{e}"),
    }
    assert_eq!(need_count(&db), 1);

    for (path, kind) in [
        ("/api/v1/exports/needs?format=hxl", "text/csv"),
        ("/api/v1/exports/needs?format=xlsx", "spreadsheetml"),
        ("/api/v1/exports/contributions?format=iati", "application/xml"),
        ("/api/v1/exports/template?country=KEN", "spreadsheetml"),
    ] {
        let r = api.get(path, &focal).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        let ct = r.headers.get("content-type").unwrap().to_str().unwrap();
        assert!(ct.contains(kind), "{path}: {ct}");
        assert!(r.headers.get("content-disposition").is_some(), "{path}");
    }
    let r = api.get("/api/v1/exports/needs?format=hxl", &focal).await;
    assert!(
        r.text.contains("PPE-MASK-MED") && r.text.contains("#country+code"),
        "{}",
        r.text
    );
    let r = api.get("/api/v1/exports/needs?format=iati", &focal).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = api.get("/api/v1/resolve/country?name=Ivory%20Coast", &Auth::None).await;
    assert_eq!(r.json()["iso3"], "CIV");
}

/// Polls an import job until it ends.
async fn job_end(api: &crate::harness::Api, auth: &crate::harness::Auth, url: &str) -> Value {
    for _ in 0..1200 {
        let job = api.get(url, auth).await.json();
        if !["queued", "checking", "writing"].contains(&job["state"].as_str().unwrap_or("")) {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import at {url} did not end");
}

async fn upload_jobs(db: &Db) {
    use crate::harness::{Api, Auth, serve};
    let admin = db.admin_token();
    let focal = db.account("fp@moh.ke", "focal_point", &["--country", "KEN"]);
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let Auth::Token(token) = &admin else { unreachable!() };
    let mut big = String::from("#country+code,#item+code,#need,#severity,#date+needed,#meta+id\n");
    let mut rows = 0u64;
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(&format!("KEN,PPE-MASK-MED,{},low,2027-02-01,job-{rows}\n", rows + 1));
        rows += 1;
    }
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/imports?name=big.csv", server.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 202);
    let url = r.headers()["location"].to_str().unwrap().to_owned();
    let job: Value = r.json().await.unwrap();
    assert_eq!(
        (job["file"].as_str(), job["format"].as_str()),
        (Some("big.csv"), Some("hxl")),
        "{job}"
    );
    // Others keep writing while the file is checked and staged.
    let mut written_meanwhile = 0;
    let mut seen_progress = false;
    loop {
        let now = api.get(&url, &admin).await.json();
        if now["state"] == "checking" && now["rows_read"].as_u64().unwrap_or(0) > 0 {
            seen_progress = true;
        }
        if !["queued", "checking", "writing"].contains(&now["state"].as_str().unwrap()) {
            break;
        }
        let body =
            json!({"country": "UGA", "item": "PPE-GOWN", "quantity": 5, "priority": "low", "needed_by": "2027-01-31"});
        let w = api.send("POST", "/api/v1/needs", &admin, Some(&body), &[]).await;
        assert_eq!(w.status, 201, "a write during the import: {}", w.text);
        written_meanwhile += 1;
    }
    let job = job_end(&api, &admin, &url).await;
    assert_eq!(job["state"], "done", "{job}");
    assert!(seen_progress, "the job never showed rows read while checking");
    assert!(written_meanwhile > 0, "no write was tried during the import");
    let report = &job["report"];
    assert_eq!(
        (report["created"].as_u64(), report["committed"].as_bool()),
        (Some(rows), Some(true)),
        "{report:.300}"
    );
    assert_eq!(job["rows_read"].as_u64(), Some(rows));
    assert_eq!(need_count(db), rows + written_meanwhile);
    // The job is its sender's to see (and administrators').
    api.get(&url, &focal).await.problem(404);
    let mine = api.get("/api/v1/imports", &admin).await.json();
    assert_eq!(mine[0]["id"], job["id"], "{mine}");
    assert_eq!(api.get("/api/v1/imports", &focal).await.json(), json!([]));

    // A file with no column needsdb reads fails, naming the columns it has.
    let Auth::Token(fp) = &focal else { unreachable!() };
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/imports", server.base))
        .bearer_auth(fp)
        .header("prefer", "wait=60")
        .body("Colour,Size\nred,10\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let p: Value = r.json().await.unwrap();
    let first = &p["report"]["problems"][0];
    assert_eq!(first["code"], "no_known_columns", "{p}");
    assert!(first["message"].as_str().unwrap().contains("A (Colour)"), "{p}");
    // The command line's imports are jobs too.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("cli.csv");
    std::fs::write(
        &f,
        "#country+code,#item+code,#need,#severity,#date+needed\nKEN,PPE-GOWN,3,low,2027-01-31\n",
    )
    .unwrap();
    db.ok(&["import", f.to_str().unwrap()]);
    let all = api.get("/api/v1/imports?all=true", &admin).await.json();
    assert_eq!(
        (all[0]["file"].as_str(), all[0]["state"].as_str()),
        (Some("cli.csv"), Some("done")),
        "{all}"
    );
}
crate::harness::on_both_stores!(upload_jobs: an_upload_becomes_a_job_with_progress_and_a_report_while_other_writes_go_on_sqlite, an_upload_becomes_a_job_with_progress_and_a_report_while_other_writes_go_on_postgres);
