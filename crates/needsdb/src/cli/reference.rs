//! Members, parties, items and the audit check.

use super::args::{AuditCmd, ItemsCmd, MemberStatus, MembersCmd, PartiesCmd};
use super::{Format, output, store};
use needsdb_store::{Actor, CountryFilter, NewItem, NewOrganisation};

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
    ];
    match cmd {
        ItemsCmd::List { cluster } => {
            let rows: Vec<_> = s
                .items()
                .await?
                .into_iter()
                .filter(|i| cluster.as_deref().is_none_or(|c| i.cluster == c))
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
            };
            let i = s.add_item(&Actor::cli(), &item).await?;
            output::print_value(fmt, &serde_json::to_value(i)?, &cols)
        }
    }
}

pub async fn audit(db: &str, fmt: Format, cmd: AuditCmd) -> anyhow::Result<()> {
    let AuditCmd::Verify = cmd;
    let s = store(db).await?;
    let r = s.audit_verify().await?;
    let v = serde_json::json!({
        "entries": r.entries,
        "intact": r.first_bad.is_none(),
        "first_bad_entry": r.first_bad.as_ref().map(|b| b.0),
        "problem": r.first_bad.as_ref().map(|b| b.1.clone()),
    });
    output::print_value(fmt, &v, &["entries", "intact", "first_bad_entry", "problem"])?;
    match r.first_bad {
        None => Ok(()),
        Some((seq, why)) => anyhow::bail!("the audit trail is broken at entry {seq}: {why}"),
    }
}
