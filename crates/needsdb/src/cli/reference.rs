//! Members, parties, items and the audit check.

use super::args::{AuditCmd, ItemsCmd, MemberStatus, MembersCmd, PartiesCmd};
use super::{Format, output, store};
use needsdb_store::{Actor, CountryFilter, ItemPatch, NewItem, NewOrganisation};
use std::io::Write;

pub async fn members(db: &str, fmt: Format, cmd: MembersCmd) -> anyhow::Result<()> {
    let MembersCmd::List { status } = cmd;
    let s = store(db).await?;
    let mut rows = Vec::new();
    let statuses: &[&str] = match status {
        MemberStatus::Member => &["member"],
        MemberStatus::Observer => &["observer"],
        MemberStatus::All => &["member", "observer"],
    };
    for st in statuses {
        let f = CountryFilter {
            nam_status: Some((*st).into()),
            ..Default::default()
        };
        for c in s.countries(&f).await? {
            rows.push(serde_json::to_value(c)?);
        }
    }
    output::print_rows(
        fmt,
        &rows,
        &[
            "iso3",
            "name_en",
            "nam_status",
            "region",
            "who_region",
            "income_group",
            "population",
        ],
        None,
    )
}

pub async fn parties(db: &str, fmt: Format, cmd: PartiesCmd) -> anyhow::Result<()> {
    let s = store(db).await?;
    match cmd {
        PartiesCmd::List => {
            let rows: Vec<_> = s
                .parties()
                .await?
                .into_iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, &["code", "kind", "name", "org_type", "nam_status"], None)
        }
        PartiesCmd::Add { code, name, org_type } => {
            let p = s
                .add_organisation(
                    &Actor::cli(),
                    &NewOrganisation {
                        code: Some(code),
                        name: Some(name),
                        org_type,
                    },
                )
                .await?;
            output::print_value(fmt, &serde_json::to_value(p)?, &["code", "kind", "name", "org_type"])
        }
    }
}

pub async fn items(db: &str, fmt: Format, cmd: ItemsCmd) -> anyhow::Result<()> {
    let s = store(db).await?;
    let cols = [
        "code",
        "cluster",
        "category",
        "name_en",
        "unit",
        "unit_kind",
        "dac_sector",
        "unit_value_usd",
        "retired",
    ];
    let text = |v: Option<String>| v.map(serde_json::Value::String);
    match cmd {
        ItemsCmd::List { cluster, retired } => {
            let rows: Vec<_> = s
                .items()
                .await?
                .into_iter()
                .filter(|i| cluster.as_deref().is_none_or(|c| i.cluster == c))
                .filter(|i| retired || !i.retired)
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, &cols, None)
        }
        ItemsCmd::Add {
            code,
            name,
            cluster,
            category,
            unit,
            unit_kind,
            decimals,
            dac_sector,
            value,
        } => {
            let item = NewItem {
                code: Some(code),
                cluster: Some(cluster),
                category: Some(category),
                name_en: Some(name),
                unit: Some(unit),
                unit_kind: Some(unit_kind),
                decimals,
                dac_sector: Some(dac_sector),
                unit_value_usd: text(value.unit_value),
                unit_value_source: value.unit_value_source,
                unit_value_date: value.unit_value_date,
            };
            let i = s.add_item(&Actor::cli(), &item).await?;
            output::print_value(fmt, &serde_json::to_value(i)?, &cols)
        }
        ItemsCmd::Edit {
            code,
            name,
            cluster,
            category,
            dac_sector,
            value,
            clear_unit_value,
        } => {
            let unit_value_usd = if clear_unit_value {
                Some(None)
            } else {
                value.unit_value.map(|v| Some(serde_json::Value::String(v)))
            };
            let patch = ItemPatch {
                cluster,
                category,
                name_en: name,
                dac_sector,
                unit_value_usd,
                unit_value_source: value.unit_value_source,
                unit_value_date: value.unit_value_date,
            };
            let i = s
                .update_item(&Actor::cli(), &code.trim().to_ascii_uppercase(), None, &patch)
                .await?;
            output::print_value(fmt, &serde_json::to_value(i)?, &cols)
        }
        ItemsCmd::Retire { code } => {
            let i = s
                .retire_item(&Actor::cli(), &code.trim().to_ascii_uppercase(), None)
                .await?;
            output::print_value(fmt, &serde_json::to_value(i)?, &cols)
        }
        ItemsCmd::History { code } => {
            let h = s.item_history(&code.trim().to_ascii_uppercase()).await?;
            let rows: Vec<_> = h.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, &["version", "changed_at", "changed_by", "data"], None)
        }
        ItemsCmd::Clusters => {
            let r = needsdb_domain::reference::embedded().map_err(|e| anyhow::anyhow!("{e}"))?;
            let rows: Vec<_> = r.clusters.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, &["code", "name_en", "name_fr", "name_es"], None)
        }
    }
}

pub async fn audit(db: &str, fmt: Format, cmd: AuditCmd) -> anyhow::Result<()> {
    let AuditCmd::Verify = cmd;
    let s = store(db).await?;
    let r = s.audit_verify().await?;
    let v = serde_json::json!({
        "entries": r.entries,
        "intact": r.first_bad.is_none() && r.records.is_empty(),
        "first_bad_entry": r.first_bad.as_ref().map(|b| b.0),
        "problem": r.first_bad.as_ref().map(|b| b.1.clone()),
        "records_checked": r.records_checked,
        "records_changed": r.records.len(),
        "records": r.records,
    });
    match fmt {
        Format::Table => {
            output::print_value(
                fmt,
                &v,
                &[
                    "entries",
                    "intact",
                    "first_bad_entry",
                    "problem",
                    "records_checked",
                    "records_changed",
                ],
            )?;
            for m in &r.records {
                writeln!(
                    std::io::stdout(),
                    "{} {} differs from audit entry {}: {}",
                    m.entity,
                    m.id,
                    m.entry,
                    m.differences.join("; ")
                )?;
            }
        }
        _ => output::print_value(fmt, &v, &[])?,
    }
    match (r.first_bad, r.records.first()) {
        (Some((seq, why)), _) => anyhow::bail!("the audit trail is broken at entry {seq}: {why}"),
        (None, Some(m)) => anyhow::bail!(
            "{} record(s) differ from the last state the audit trail recorded, the first {} {}",
            r.records.len(),
            m.entity,
            m.id
        ),
        (None, None) => Ok(()),
    }
}
