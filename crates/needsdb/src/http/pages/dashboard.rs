//! The dashboard: where need is unmet (the map), what has arrived (cluster
//! bars, the month-by-month series), and how fairly supplies were shared
//! (the equity panel). Charts are SVG drawn here; each has a table with the
//! same figures. Filters live in the address, as in the lists. Anyone may
//! read the aggregates; recent contributions and earmarks are shown to
//! those signed in, as the API shows them.

use super::charts::{self, Direction, MapState, Stack};
use super::country_list::REGIONS;
use super::needs::place_options;
use super::sheets::{self, Cell, Sheet};
use super::{Fields, FormState, Page, failure, render};
use crate::http::AppState;
use crate::services::{access, analysis};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use needsdb_store::{ContributionQuery, Coverage, CoverageBy, NeedQuery, StoreError};

/// The filters, by their names in the address.
const FILTERS: [&str; 6] = ["item", "cluster", "region", "who_region", "income_group", "show"];

/// What the map colours a state by: the share of its need covered (funded),
/// or the share that has arrived.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shade {
    Covered,
    Arrived,
}

fn share(c: &Coverage, shade: Shade) -> f64 {
    match shade {
        Shade::Covered => c.coverage_pct,
        Shade::Arrived => {
            let needed = f(&c.needed);
            if needed > 0.0 {
                (f(&c.delivered) / needed * 1000.0).round().min(1000.0) / 10.0
            } else {
                0.0
            }
        }
    }
}

/// One group's figures as the tables show them.
pub struct Line {
    pub name: String,
    pub href: Option<String>,
    pub needs: String,
    pub needed: String,
    pub pledged: String,
    pub committed: String,
    pub delivered: String,
    pub unmet: String,
    pub coverage: String,
}

pub struct EquityView {
    pub shares_svg: String,
    pub lorenz_svg: String,
    /// (group, population share, delivered share)
    pub rows: Vec<(String, String, String)>,
    pub gini: String,
    pub sentence: String,
    /// What the panel counts: cash across items, or one item's deliveries.
    pub counts: String,
}

#[derive(Template)]
#[template(path = "pages/dashboard.html")]
struct Dashboard {
    page: Page,
    title: String,
    form: FormState,
    items: Vec<(String, String)>,
    clusters: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    who_regions: Vec<(String, String)>,
    income_groups: Vec<(String, String)>,
    shades: Vec<(String, String)>,
    view: View,
}

use charts::{number as f, parts};

fn line(page: &Page, name: String, href: Option<String>, needs: i64, c: &Coverage) -> Line {
    Line {
        name,
        href,
        needs: page.num(&serde_json::json!(needs)),
        needed: page.num(&c.needed),
        pledged: page.num(&c.pledged),
        committed: page.num(&c.committed),
        delivered: page.num(&c.delivered),
        unmet: page.num(&c.unmet),
        coverage: page.ta("percent", &[("value", page.num(&serde_json::json!(c.coverage_pct)))]),
    }
}

/// Coverage by a grouping: in the item's unit when an item is chosen,
/// else in US dollars across items. (group, needs, coverage)
async fn coverage(s: &AppState, by: CoverageBy, q: &NeedQuery) -> Result<Vec<(String, i64, Coverage)>, StoreError> {
    Ok(if q.item.is_some() {
        s.store
            .coverage(by, q)
            .await?
            .into_iter()
            .map(|r| (r.group, r.needs, r.coverage))
            .collect()
    } else {
        s.store
            .coverage_usd(by, q)
            .await?
            .into_iter()
            .map(|r| (r.group, r.needs, r.coverage))
            .collect()
    })
}

pub async fn show(State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery) -> Response {
    let fields = Fields::parse(raw.as_deref().unwrap_or("").as_bytes());
    let form = FormState::new(fields.clone().into_values());
    let item = fields.opt("item").map(|i| i.to_ascii_uppercase());
    let shade = if fields.get("show") == "arrived" {
        Shade::Arrived
    } else {
        Shade::Covered
    };
    let q = NeedQuery {
        item: item.clone(),
        cluster: fields.opt("cluster"),
        region: fields.opt("region"),
        who_region: fields.opt("who_region"),
        income_group: fields.opt("income_group"),
        scope: access::aggregate_scope(page.caller()),
        ..Default::default()
    };
    let dir = if page.lang.dir() == "rtl" {
        Direction::Rtl
    } else {
        Direction::Ltr
    };
    let catalogue = match s.store.items().await {
        Ok(i) => i,
        Err(e) => return failure(page, e.into()),
    };
    let unit = item
        .as_ref()
        .and_then(|code| catalogue.iter().find(|i| i.code.as_str() == code))
        .map(|i| i.unit.clone());
    if item.is_some() && unit.is_none() {
        let mut form = form;
        form.add(
            "item",
            page.ta("err-invalid_choice", &[("field", page.t("field-item").to_lowercase())]),
        );
        return page_with(&s, page, form, &catalogue, Default::default()).await;
    }
    let measure = match &unit {
        Some(u) => page.unit_name(u),
        None => page.t("measure-usd"),
    };
    // The two groupings read the same needs; the store answers them side by
    // side, and the earmark report (for those signed in) beside them.
    let signed_in = page.user.is_some();
    let report = async {
        if signed_in {
            Some(analysis::earmark_report(&*s.store).await)
        } else {
            None
        }
    };
    // Recent pledges and deliveries, for those signed in: ten rows, no count.
    let recent_query = signed_in.then(|| ContributionQuery {
        item: item.clone(),
        cluster: q.cluster.clone(),
        region: q.region.clone(),
        who_region: q.who_region.clone(),
        income_group: q.income_group.clone(),
        sort: Some("-stage_date".into()),
        limit: Some(10),
        without_total: true,
        ..Default::default()
    });
    let recent = async {
        match &recent_query {
            Some(cq) => Some(s.store.contributions(cq).await),
            None => None,
        }
    };
    // The equity panel: deliveries of the item (cash without one) against population.
    let equity = analysis::equity(&*s.store, item.as_deref(), None, analysis::Entities::All);
    let (by_country, by_cluster, report, equity, recent) = tokio::join!(
        coverage(&s, CoverageBy::Country, &q),
        coverage(&s, CoverageBy::Cluster, &q),
        report,
        equity,
        recent,
    );
    let (by_country, by_cluster) = match (by_country, by_cluster) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(StoreError::Invalid(inv)), _) | (_, Err(StoreError::Invalid(inv))) => {
            let mut form = form;
            let labels: Vec<(&str, String)> = FILTERS.iter().map(|f| (*f, (*f).replace('_', " "))).collect();
            form.add_invalid(page.lang, &inv, &labels, "item");
            return page_with(&s, page, form, &catalogue, Default::default()).await;
        }
        (Err(e), _) | (_, Err(e)) => return failure(page, e.into()),
    };

    // The map: every state of the reference data; those with a need coloured.
    let reference = needsdb_domain::reference::embedded().ok();
    let mut states: Vec<MapState> = reference
        .map(|r| {
            r.countries
                .iter()
                .map(|c| {
                    let iso3 = c.iso3.as_str().to_owned();
                    // A state whose needs have no value counts no figure in US dollars.
                    let found = by_country.iter().find(|(g, n, _)| *g == iso3 && *n > 0);
                    MapState {
                        class: found.map(|(_, _, cov)| charts::class_of(share(cov, shade))),
                        title: match found {
                            Some((_, _, cov)) => page.ta(
                                "map-state",
                                &[
                                    ("country", page.country(&iso3)),
                                    ("coverage", page.num(&serde_json::json!(cov.coverage_pct))),
                                    ("arrived", page.num(&serde_json::json!(share(cov, Shade::Arrived)))),
                                    ("unmet", page.num(&cov.unmet)),
                                    ("measure", measure.clone()),
                                ],
                            ),
                            None => page.ta1("map-state-none", "country", page.country(&iso3)),
                        },
                        href: page.href(&format!("/countries/{iso3}")),
                        member: c.nam_status != needsdb_domain::reference::NamStatus::None,
                        iso3,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    states.sort_by(|a, b| a.iso3.cmp(&b.iso3));
    let map_svg = charts::map_svg(
        &page.ta1(
            if shade == Shade::Arrived {
                "map-title-arrived"
            } else {
                "map-title"
            },
            "measure",
            &measure,
        ),
        &page.ta1("map-desc", "count", by_country.len()),
        &states,
    );
    let legend = (0..5)
        .map(|c| {
            (
                charts::VIRIDIS[c],
                page.ta(
                    if shade == Shade::Arrived {
                        "legend-class-arrived"
                    } else {
                        "legend-class"
                    },
                    &[("from", (c * 20).to_string()), ("to", (c * 20 + 20).to_string())],
                ),
            )
        })
        .chain(std::iter::once((charts::NO_DATA, page.t("legend-none"))))
        .collect();
    let mut countries: Vec<Line> = by_country
        .iter()
        .map(|(g, n, c)| {
            line(
                &page,
                page.country(g),
                Some(page.href(&format!("/countries/{g}"))),
                *n,
                c,
            )
        })
        .collect();
    countries.sort_by(|a, b| a.name.cmp(&b.name));

    // Coverage by cluster, as stacked bars.
    let stack_keys = ["stack-delivered", "stack-pipeline", "stack-promised", "stack-unmet"];
    let stacks: Vec<Stack> = by_cluster
        .iter()
        .map(|(g, _, c)| {
            let values = parts(c);
            Stack {
                label: page.cluster(g),
                titles: values
                    .iter()
                    .zip(stack_keys)
                    .map(|(v, k)| {
                        format!(
                            "{}, {}: {} {}",
                            page.cluster(g),
                            page.t(k),
                            page.num(&serde_json::json!((v * 100.0).round() / 100.0)),
                            measure
                        )
                    })
                    .collect(),
                values: values.to_vec(),
            }
        })
        .collect();
    let clusters_svg = charts::stacked_bars(
        "clusters",
        &page.ta1("clusters-title", "measure", &measure),
        &page.t("clusters-desc"),
        &stacks,
        dir,
    );
    let stack_legend = charts::STACK_COLOURS
        .iter()
        .copied()
        .zip(stack_keys.iter().map(|k| page.t(k)))
        .collect();
    let cluster_lines = by_cluster
        .iter()
        .map(|(g, n, c)| line(&page, page.cluster(g), None, *n, c))
        .collect();

    // Month by month, for one item.
    let mut series = None;
    if let Some(code) = &item {
        let rows = match s.store.monthly(code).await {
            Ok(r) => r,
            Err(e) => return failure(page, e.into()),
        };
        if !rows.is_empty() {
            let labels: Vec<String> = rows.iter().map(|r| r.month.clone()).collect();
            let names = ["col-needed", "col-pledged", "col-committed", "col-delivered"];
            let values: Vec<(String, Vec<f64>)> = names
                .iter()
                .enumerate()
                .map(|(k, key)| {
                    (
                        page.t(key),
                        rows.iter()
                            .map(|r| f([&r.needed, &r.pledged, &r.committed, &r.delivered][k]))
                            .collect(),
                    )
                })
                .collect();
            let max = values.iter().flat_map(|(_, v)| v.iter().copied()).fold(0.0, f64::max);
            let svg = charts::lines(
                &page.ta1("series-title", "item", page.item(code, code)),
                &page.t("series-desc"),
                &labels,
                &values,
                &format!("{} {}", page.num(&serde_json::json!(max)), measure),
                dir,
            );
            let table: Vec<[String; 5]> = rows
                .iter()
                .map(|r| {
                    [
                        r.month.clone(),
                        page.num(&r.needed),
                        page.num(&r.pledged),
                        page.num(&r.committed),
                        page.num(&r.delivered),
                    ]
                })
                .collect();
            series = Some((svg, table));
        }
    }

    let equity = match equity {
        Ok(e) => {
            let counted = item.as_deref().zip(unit.as_deref());
            Some(equity_view(&page, &e, dir, counted))
        }
        Err(StoreError::Invalid(_)) => None,
        Err(e) => return failure(page, e.into()),
    };
    let recent = if let Some(recent) = recent {
        match recent {
            Ok(p) => Some(
                p.items
                    .iter()
                    .map(|c| {
                        (
                            c.id,
                            page.date(c.stage_date),
                            page.country(&c.donor),
                            page.country(&c.recipient),
                            c.item.as_ref().map_or_else(|| page.t("kind-cash"), |i| page.item(i, i)),
                            page.qty(&c.quantity, &c.unit),
                            page.t(&format!("stage-{}", c.stage.as_str())),
                        )
                    })
                    .collect(),
            ),
            Err(e) => return failure(page, e.into()),
        }
    } else {
        None
    };
    let earmarks = if let Some(report) = report {
        match report {
            Ok(lines) => Some(
                lines
                    .iter()
                    .map(|l| {
                        (
                            l.contribution,
                            page.country(&l.donor),
                            l.target.clone(),
                            page.num(&l.earmarked),
                            page.num(&l.reached),
                            page.t(&format!("earmark-{}", l.status)),
                        )
                    })
                    .collect(),
            ),
            Err(e) => return failure(page, e.into()),
        }
    } else {
        None
    };

    if let Some((n, format)) = page.download() {
        let coverage_sheet =
            |name: &'static str, first: &str, rows: &[(String, i64, Coverage)], label: &dyn Fn(&str) -> String| {
                let mut sheet = Sheet::new(
                    &page,
                    name,
                    &[
                        first,
                        "col-needs",
                        "col-needed",
                        "col-pledged",
                        "col-committed",
                        "col-delivered",
                        "col-unmet",
                        "col-coverage",
                    ],
                );
                sheet.rows = rows
                    .iter()
                    .map(|(g, n, c)| {
                        vec![
                            Cell::text(label(g)),
                            Cell::int(*n),
                            Cell::num(&c.needed),
                            Cell::num(&c.pledged),
                            Cell::num(&c.committed),
                            Cell::num(&c.delivered),
                            Cell::num(&c.unmet),
                            Cell::num(&serde_json::json!(c.coverage_pct)),
                        ]
                    })
                    .collect();
                sheet
            };
        let mut all = vec![
            coverage_sheet("dashboard-countries", "col-country", &by_country, &|g| g.to_owned()),
            coverage_sheet("dashboard-clusters", "col-cluster", &by_cluster, &|g| g.to_owned()),
        ];
        let mut monthly = Sheet::new(
            &page,
            "dashboard-monthly",
            &[
                "col-month",
                "col-needed",
                "col-pledged",
                "col-committed",
                "col-delivered",
            ],
        );
        if let Some(code) = &item {
            // Plain numbers for the spreadsheet, not the page's formatted ones.
            match s.store.monthly(code).await {
                Ok(rows) => {
                    monthly.rows = rows
                        .iter()
                        .map(|r| {
                            vec![
                                Cell::text(r.month.clone()),
                                Cell::num(&r.needed),
                                Cell::num(&r.pledged),
                                Cell::num(&r.committed),
                                Cell::num(&r.delivered),
                            ]
                        })
                        .collect()
                }
                Err(e) => return failure(page, e.into()),
            }
        }
        all.push(monthly);
        return sheets::send(page, all, n, format);
    }

    let view = View {
        measure,
        map_svg,
        legend,
        countries,
        clusters_svg,
        stack_legend,
        cluster_lines,
        series,
        equity,
        recent,
        earmarks,
    };
    page_with(&s, page, form, &catalogue, view).await
}

/// A recent contribution: (id, date, donor, recipient, item, quantity, stage).
type Recent = (i64, String, String, String, String, String, String);
/// An earmark's line: (contribution, donor, target, earmarked, reached, status).
type EarmarkRow = (i64, String, String, String, String, String);

/// What the page shows besides its form.
#[derive(Default)]
struct View {
    /// What the figures are in: US dollars, or the item's unit.
    measure: String,
    map_svg: String,
    legend: Vec<(&'static str, String)>,
    countries: Vec<Line>,
    clusters_svg: String,
    stack_legend: Vec<(&'static str, String)>,
    cluster_lines: Vec<Line>,
    series: Option<(String, Vec<[String; 5]>)>,
    equity: Option<EquityView>,
    /// Signed in only.
    recent: Option<Vec<Recent>>,
    /// Signed in only.
    earmarks: Option<Vec<EarmarkRow>>,
}

/// `counted`: the item chosen and its unit; with none the panel counts cash
/// alone (goods of different items have no common measure of delivery).
fn equity_view(
    page: &Page,
    e: &needsdb_domain::equity::Equity,
    dir: Direction,
    counted: Option<(&str, &str)>,
) -> EquityView {
    let counts = match counted {
        Some((code, unit)) => page.ta(
            "equity-counts-item",
            &[("item", page.item(code, code)), ("unit", page.unit_name(unit))],
        ),
        None => page.t("equity-counts-cash"),
    };
    let groups = ["low", "lower_middle", "upper_middle", "high"];
    let shares: Vec<Stack> = e
        .by_income_group
        .iter()
        .filter(|g| groups.contains(&g.group.as_str()))
        .flat_map(|g| {
            let name = page.t(&format!("income-{}", g.group));
            [
                Stack {
                    label: format!("{name} · {}", page.t("equity-population")),
                    values: vec![0.0, g.population_share_pct],
                    titles: vec![
                        String::new(),
                        format!(
                            "{name}: {} % {}",
                            page.num(&serde_json::json!(g.population_share_pct)),
                            page.t("equity-population")
                        ),
                    ],
                },
                Stack {
                    label: format!("{name} · {}", page.t("equity-delivered")),
                    values: vec![g.delivered_share_pct],
                    titles: vec![format!(
                        "{name}: {} % {}",
                        page.num(&serde_json::json!(g.delivered_share_pct)),
                        page.t("equity-delivered")
                    )],
                },
            ]
        })
        .collect();
    let rows = e
        .by_income_group
        .iter()
        .map(|g| {
            (
                page.t(&format!("income-{}", g.group)),
                page.ta(
                    "percent",
                    &[("value", page.num(&serde_json::json!(g.population_share_pct)))],
                ),
                page.ta(
                    "percent",
                    &[("value", page.num(&serde_json::json!(g.delivered_share_pct)))],
                ),
            )
        })
        .collect();
    let group = |g: &str| e.by_income_group.iter().find(|s| s.group == g);
    let pct = |v: f64| page.num(&serde_json::json!(v));
    let sentence = match (group("high"), group("low"), e.gini) {
        (_, _, None) if counted.is_none() => page.t("equity-nothing-cash"),
        (_, _, None) => page.t("equity-nothing"),
        (Some(h), Some(l), _) => page.ta(
            "equity-sentence",
            &[
                ("high_delivered", pct(h.delivered_share_pct)),
                ("high_population", pct(h.population_share_pct)),
                ("low_delivered", pct(l.delivered_share_pct)),
                ("low_population", pct(l.population_share_pct)),
            ],
        ),
        _ => page.t("equity-partial"),
    };
    let points: Vec<(f64, f64)> = e.lorenz.iter().map(|p| (p.population, p.delivered)).collect();
    EquityView {
        shares_svg: charts::stacked_bars("shares", &page.t("equity-shares-title"), &sentence, &shares, dir),
        lorenz_svg: charts::lorenz(
            &page.t("equity-lorenz-title"),
            &page.t("equity-lorenz-desc"),
            &points,
            dir,
        ),
        rows,
        gini: e.gini.map_or_else(String::new, |g| {
            page.num(&serde_json::json!((g * 1000.0).round() / 1000.0))
        }),
        sentence,
        counts,
    }
}

async fn page_with(
    s: &AppState,
    mut page: Page,
    form: FormState,
    catalogue: &[needsdb_domain::reference::CatalogueItem],
    view: View,
) -> Response {
    let status = page.status_for(&form);
    let (clusters, who_regions, income_groups, _) = match place_options(s, &page).await {
        Ok(o) => o,
        Err(e) => return failure(page, e.into()),
    };
    let mut items = super::needs::item_options(&page, catalogue);
    items.insert(0, (String::new(), page.t("measure-all-items")));
    let regions = std::iter::once((String::new(), page.t("filter-any")))
        .chain(
            REGIONS
                .iter()
                .map(|(code, _)| ((*code).to_owned(), page.t(&format!("region-{code}")))),
        )
        .collect();
    let tpl = Dashboard {
        title: page.t("dashboard-title"),
        form,
        items,
        clusters,
        regions,
        who_regions,
        income_groups,
        shades: vec![
            ("covered".into(), page.t("shade-covered")),
            ("arrived".into(), page.t("shade-arrived")),
        ],
        view,
        page,
    };
    render(status, &tpl.page, &tpl)
}
