//! Allocation proposals and turning them into commitments.

use super::{Conn, audit_log, contributions, now};
use crate::model::{Actor, Proposal, ProposalShare};
use crate::{Result, StoreError};
use needsdb_domain::decimal::format_scaled;
use needsdb_domain::{Invalid, NewContribution, NewLink};
use serde_json::Value;
use sqlx::Row;

const DESCRIPTION: &str = "From allocation proposal";

pub(super) async fn save(
    conn: &mut Conn,
    actor: &Actor,
    item: &str,
    supplier: &str,
    request: &Value,
    result: &Value,
) -> Result<i64> {
    let known: Option<String> = sqlx::query_scalar("SELECT code FROM parties WHERE code = $1 AND deleted_at IS NULL")
        .bind(supplier)
        .fetch_optional(&mut *conn)
        .await?;
    if known.is_none() {
        return Err(Invalid::one(
            "supplier",
            "unknown_party",
            format!("'{supplier}' is not a known country or organisation"),
        )
        .into());
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO allocation_proposals (item, supplier, request, result, status, created_at, created_by)
         VALUES ($1, $2, $3, $4, 'proposed', $5, $6) RETURNING id",
    )
    .bind(item)
    .bind(supplier)
    .bind(request.to_string())
    .bind(result.to_string())
    .bind(now())
    .bind(&actor.0)
    .fetch_one(&mut *conn)
    .await?;
    let after = serde_json::json!({"item": item, "supplier": supplier, "request": request});
    audit_log::append(
        conn,
        actor,
        "proposal.create",
        "proposal",
        &id.to_string(),
        None,
        Some(&after),
    )
    .await?;
    Ok(id)
}

pub(super) async fn get(conn: &mut Conn, id: i64) -> Result<Proposal> {
    let row = sqlx::query("SELECT * FROM allocation_proposals WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else {
        return Err(StoreError::not_found("proposal", id));
    };
    let request: String = r.try_get("request")?;
    let result: String = r.try_get("result")?;
    let contributions: Vec<i64> = sqlx::query_scalar(
        "SELECT contribution_id FROM proposal_contributions WHERE proposal_id = $1 ORDER BY contribution_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Proposal {
        id,
        item: r.try_get("item")?,
        supplier: r.try_get("supplier")?,
        status: r.try_get("status")?,
        request: serde_json::from_str(&request)?,
        result: serde_json::from_str(&result)?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        decided_at: r.try_get("decided_at")?,
        decided_by: r.try_get("decided_by")?,
        contributions,
    })
}

pub(super) async fn list(conn: &mut Conn) -> Result<Vec<Proposal>> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM allocation_proposals ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let mut out = Vec::new();
    for id in ids {
        out.push(get(conn, id).await?);
    }
    Ok(out)
}

pub(super) async fn decide(conn: &mut Conn, actor: &Actor, id: i64, to: &str) -> Result<Proposal> {
    let p = get(conn, id).await?;
    if p.status != "proposed" {
        return Err(StoreError::Conflict(format!("proposal {id} is already {}", p.status)));
    }
    sqlx::query("UPDATE allocation_proposals SET status = $1, decided_at = $2, decided_by = $3 WHERE id = $4")
        .bind(to)
        .bind(now())
        .bind(&actor.0)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let before = serde_json::json!({"status": p.status});
    let after = serde_json::json!({"status": to});
    audit_log::append(
        conn,
        actor,
        "proposal.decide",
        "proposal",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(p)
}

/// One committed contribution per share, linked to the recipient's open
/// needs of the item, most urgent first. All or nothing.
pub(super) async fn commit(conn: &mut Conn, actor: &Actor, id: i64, shares: &[ProposalShare]) -> Result<()> {
    let p = decide(conn, actor, id, "committed").await?;
    let decimals: i64 = sqlx::query_scalar("SELECT decimals FROM items WHERE code = $1")
        .bind(&p.item)
        .fetch_one(&mut *conn)
        .await?;
    let decimals = u32::try_from(decimals).unwrap_or(0);
    let catalog = super::catalog::load(conn).await?;
    let reporter = contributions::reporter(conn, actor).await?;
    for share in shares.iter().filter(|s| s.quantity > 0) {
        let open: Vec<(i64, i64)> = sqlx::query(
            "SELECT id, open_units FROM needs WHERE country = $1 AND item = $2 AND deleted_at IS NULL AND status IN ('validated', 'partly_met')
             ORDER BY CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, needed_by, id",
        )
        .bind(&share.iso3)
        .bind(&p.item)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("open_units")?)))
        .collect::<Result<_, sqlx::Error>>()?;
        let mut left = share.quantity;
        let mut links = Vec::new();
        for (need, unmet) in open {
            let give = unmet.min(left);
            if give > 0 {
                links.push(NewLink {
                    need: Some(need),
                    quantity: Some(Value::String(format_scaled(give, decimals))),
                });
                left -= give;
            }
        }
        let input = NewContribution {
            donor: Some(p.supplier.clone()),
            recipient: Some(share.iso3.clone()),
            item: Some(p.item.clone()),
            quantity: Some(Value::String(format_scaled(share.quantity, decimals))),
            stage: Some("committed".into()),
            description: Some(format!("{DESCRIPTION} {id}.")),
            links,
            ..Default::default()
        };
        let cid = contributions::create(
            conn,
            actor,
            reporter.as_ref(),
            &input,
            &catalog,
            crate::write_queue::WriteKind::Whole,
        )
        .await?;
        sqlx::query("INSERT INTO proposal_contributions (proposal_id, contribution_id) VALUES ($1, $2)")
            .bind(id)
            .bind(cid)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
