use crate::harness::Backend;
use needsdb_domain::{NewContribution, NewEarmark, NewLink, NewNeed};
use needsdb_store::{
    Actor, ContributionQuery, CountryFilter, Ending, NeedQuery, NewItem, NewUser, Role, StageChange, StatusChange,
    StoreError,
};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};

fn data_file(name: &str) -> String {
    let path = format!("{}/../../data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn csv_rows(name: &str) -> Vec<HashMap<String, String>> {
    let text = data_file(name);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .zip(rec.unwrap().iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

fn actor() -> Actor {
    Actor("test:conformance".into())
}

fn need(country: &str, item: &str, qty: serde_json::Value) -> NewNeed {
    NewNeed {
        country: Some(country.into()),
        item: Some(item.into()),
        quantity: Some(qty),
        priority: Some("high".into()),
        needed_by: Some("2026-12-31".into()),
        justification: Some("ICU occupancy above 90%".into()),
        ..Default::default()
    }
}

fn to(status: &str) -> StatusChange {
    StatusChange {
        to: Some(status.into()),
        note: None,
    }
}

fn stage(s: &str) -> StageChange {
    StageChange {
        to: Some(s.into()),
        ..Default::default()
    }
}

fn invalid_fields(e: StoreError) -> Vec<String> {
    match e {
        StoreError::Invalid(i) => i.0.into_iter().map(|f| format!("{}:{}", f.field, f.code)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// Creates a need and takes it through submission and validation.
/// A user as an administrator creates one.
fn new_user(email: &str, role: Role, country: Option<&str>, org: Option<&str>) -> NewUser {
    NewUser {
        email: email.into(),
        password_hash: "h".into(),
        role,
        country: country.map(Into::into),
        org: org.map(Into::into),
        must_change_password: false,
    }
}

/// India's gift of oxygen concentrators to Kenya at `stage`, linked to the
/// given needs with the given quantities.
fn gift_to_kenya(stage: &str, links: &[(i64, i64)]) -> NewContribution {
    NewContribution {
        donor: Some("IND".into()),
        recipient: Some("KEN".into()),
        item: Some("BIO-O2-CONCENTRATOR".into()),
        quantity: Some(json!(links.iter().map(|(_, q)| q).sum::<i64>())),
        stage: Some(stage.into()),
        links: links
            .iter()
            .map(|(need, q)| NewLink {
                need: Some(*need),
                quantity: Some(json!(q)),
            })
            .collect(),
        ..Default::default()
    }
}

async fn validated_need(b: &Backend, country: &str, item: &str, qty: serde_json::Value) -> i64 {
    let s = &b.store;
    let n = s.create_need(&actor(), &need(country, item, qty), true).await.unwrap();
    s.change_need_status(&actor(), n.id, None, &to("validated"))
        .await
        .unwrap()
        .id
}

pub async fn migrate_is_repeatable_and_loads_reference_once(b: &Backend) {
    let again = b.store.migrate().await.unwrap();
    assert!(!again.reference_loaded, "an unchanged reference must not be reloaded");
    assert_eq!(again.countries as usize, csv_rows("countries.csv").len());
    assert_eq!(again.items as usize, csv_rows("item_catalogue.csv").len());
    let audit = b.store.audit_verify().await.unwrap();
    assert_eq!(audit.entries, 1, "one reference.load entry");
    assert!(audit.first_bad.is_none());
}

pub async fn nam_counts_come_from_the_data_files(b: &Backend) {
    let membership = csv_rows("nam_membership.csv");
    let count = |status: &str| membership.iter().filter(|r| r["status"] == status).count();
    let (members, observers) = (count("member"), count("observer"));
    // The countries file carries its own NAM column: the two sources must agree.
    let countries = csv_rows("countries.csv");
    assert_eq!(
        countries.iter().filter(|r| r["nam_status"] == "member").count(),
        members
    );
    assert_eq!(
        countries.iter().filter(|r| r["nam_status"] == "observer").count(),
        observers
    );

    let of = |status: &str| CountryFilter {
        nam_status: Some(status.into()),
        ..Default::default()
    };
    let stored_members = b.store.countries(&of("member")).await.unwrap();
    let stored_observers = b.store.countries(&of("observer")).await.unwrap();
    assert_eq!(stored_members.len(), members);
    assert_eq!(stored_observers.len(), observers);
    let expected: BTreeSet<String> = membership
        .iter()
        .filter(|r| r["status"] == "member")
        .map(|r| r["iso3"].clone())
        .collect();
    let got: BTreeSet<String> = stored_members.iter().map(|c| c.iso3.clone()).collect();
    assert_eq!(got, expected);
    eprintln!("NAM: {members} members, {observers} observer states (counted from nam_membership.csv)");
}

pub async fn every_member_has_complete_reference_fields(b: &Backend) {
    let members = b
        .store
        .countries(&CountryFilter {
            nam_status: Some("member".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    // The one known gap: the World Bank has not classified Venezuela since 2021.
    let no_income: Vec<&str> = members
        .iter()
        .filter(|c| c.income_group.is_none())
        .map(|c| c.iso3.as_str())
        .collect();
    let expected_gaps: Vec<String> = csv_rows("countries.csv")
        .into_iter()
        .filter(|r| r["nam_status"] == "member" && r["wb_income_group"].is_empty())
        .map(|r| r["iso3"].clone())
        .collect();
    assert_eq!(no_income, expected_gaps);
    assert_eq!(no_income, vec!["VEN"]);
    for c in &members {
        assert!(
            c.iso3.len() == 3 && c.iso3.chars().all(|ch| ch.is_ascii_uppercase()),
            "{}",
            c.iso3
        );
        assert!(
            c.m49.len() == 3 && c.m49.chars().all(|ch| ch.is_ascii_digit()),
            "{} m49 {}",
            c.iso3,
            c.m49
        );
        for (lang, name) in [
            ("en", &c.name_en),
            ("fr", &c.name_fr),
            ("es", &c.name_es),
            ("ru", &c.name_ru),
            ("zh", &c.name_zh),
            ("ar", &c.name_ar),
        ] {
            assert!(!name.trim().is_empty(), "{} has no {lang} name", c.iso3);
        }
        assert!(c.region.is_some(), "{} has no M49 region", c.iso3);
        assert!(c.who_region.is_some(), "{} has no WHO region", c.iso3);
        assert!(c.population.is_some_and(|p| p > 0), "{} has no population", c.iso3);
    }
}

pub async fn reference_organisations_include_nam_observers(b: &Backend) {
    let parties = b.store.parties().await.unwrap();
    let observers: BTreeSet<String> = csv_rows("nam_membership.csv")
        .into_iter()
        .filter(|r| r["status"] == "observer_organisation")
        .map(|r| r["name"].clone())
        .collect();
    let stored: BTreeSet<String> = parties
        .iter()
        .filter(|p| p.kind == "organisation" && p.nam_status == "observer")
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(stored, observers);
    assert!(parties.iter().any(|p| p.code == "WHO" && p.kind == "organisation"));
    assert!(
        parties
            .iter()
            .any(|p| p.code == "KEN" && p.kind == "state" && p.nam_status == "member")
    );
}

pub async fn a_need_moves_through_its_lifecycle_with_versions(b: &Backend) {
    let s = &b.store;
    let n = s
        .create_need(&actor(), &need("KEN", "BIO-O2-CONCENTRATOR", json!(200)), false)
        .await
        .unwrap();
    assert_eq!((n.status.as_str(), n.version), ("draft", 1));
    assert_eq!(n.quantity, json!(200));
    assert_eq!(n.coverage.unmet, json!(200));
    let n = s
        .update_need(
            &actor(),
            n.id,
            Some(1),
            &NewNeed {
                quantity: Some(json!(250)),
                place: Some("Turkana".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (n.version, n.quantity.clone(), n.place.as_deref()),
        (2, json!(250), Some("Turkana"))
    );
    let n = s
        .change_need_status(&actor(), n.id, Some(2), &to("submitted"))
        .await
        .unwrap();
    let n = s
        .change_need_status(&actor(), n.id, Some(3), &to("validated"))
        .await
        .unwrap();
    assert_eq!((n.status.as_str(), n.version), ("validated", 4));
    let h = s.need_history(n.id).await.unwrap();
    assert_eq!(h.iter().map(|v| v.version).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    assert_eq!(h[0].data["quantity"], json!(200), "the first version is kept as it was");
    assert_eq!(h[3].data["status"], json!("validated"));
    assert!(h.iter().all(|v| v.changed_by == "test:conformance"));
    // Every write is in the audit chain: reference load + 4 need versions.
    assert_eq!(s.audit_verify().await.unwrap().entries, 5);
}

pub async fn invalid_needs_are_rejected_and_nothing_is_written(b: &Backend) {
    let s = &b.store;
    let before = (b.count("needs").await, b.count("audit_log").await);
    let cases = [
        (need("KEN", "NO-SUCH-ITEM", json!(5)), "item:unknown_item"),
        (need("KEN", "BIO-O2-CONCENTRATOR", json!(-5)), "quantity:negative"),
        (need("XXX", "BIO-O2-CONCENTRATOR", json!(5)), "country:unknown_country"),
        (need("KEN", "BIO-O2-CONCENTRATOR", json!("2.5")), "quantity:too_precise"),
        (
            NewNeed {
                item: Some("CASH-CONTRIBUTION".into()),
                quantity: None,
                amount: Some(json!(100)),
                currency: Some("XYZ".into()),
                ..need("KEN", "x", json!(1))
            },
            "currency:unknown_currency",
        ),
        (
            NewNeed {
                needed_by: Some("next week".into()),
                ..need("KEN", "BIO-O2-CONCENTRATOR", json!(5))
            },
            "needed_by:invalid_date",
        ),
    ];
    for (input, expected) in cases {
        let e = s.create_need(&actor(), &input, false).await.unwrap_err();
        assert_eq!(invalid_fields(e), vec![expected.to_owned()]);
    }
    assert_eq!(
        (b.count("needs").await, b.count("audit_log").await),
        before,
        "nothing partial is written"
    );
    assert_eq!(b.count("need_versions").await, 0);
}

pub async fn illegal_need_status_changes_are_rejected(b: &Backend) {
    let s = &b.store;
    let n = s
        .create_need(&actor(), &need("UGA", "PPE-MASK-MED", json!(1000)), false)
        .await
        .unwrap();
    let e = s
        .change_need_status(&actor(), n.id, None, &to("validated"))
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["to:illegal_transition"]);
    let e = s
        .change_need_status(&actor(), n.id, None, &to("met"))
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["to:derived_status"]);
    let e = s
        .change_need_status(&actor(), n.id, None, &to("finished"))
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["to:invalid_choice"]);
    s.change_need_status(&actor(), n.id, None, &to("withdrawn"))
        .await
        .unwrap();
    let e = s
        .change_need_status(&actor(), n.id, None, &to("draft"))
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["to:illegal_transition"]);
    let e = s
        .update_need(
            &actor(),
            n.id,
            None,
            &NewNeed {
                quantity: Some(json!(5)),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["status:not_editable"]);
    assert_eq!(
        s.need(n.id).await.unwrap().version,
        2,
        "refused changes leave no version"
    );
    assert!(matches!(s.need(999_999).await, Err(StoreError::NotFound { .. })));
}

pub async fn stale_versions_are_refused(b: &Backend) {
    let s = &b.store;
    let n = s
        .create_need(&actor(), &need("KEN", "PPE-GOWN", json!(10)), false)
        .await
        .unwrap();
    s.update_need(
        &actor(),
        n.id,
        Some(1),
        &NewNeed {
            quantity: Some(json!(11)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let e = s
        .update_need(
            &actor(),
            n.id,
            Some(1),
            &NewNeed {
                quantity: Some(json!(12)),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            StoreError::VersionMismatch {
                current: 2,
                expected: 1,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(s.need(n.id).await.unwrap().quantity, json!(11));
}

pub async fn only_one_of_concurrent_updates_wins(b: &Backend) {
    let n = b
        .store
        .create_need(&actor(), &need("KEN", "PPE-GOWN", json!(10)), false)
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = b.store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .update_need(
                    &actor(),
                    n.id,
                    Some(1),
                    &NewNeed {
                        quantity: Some(json!(100 + i)),
                        ..Default::default()
                    },
                )
                .await
        }));
    }
    let mut wins = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => wins += 1,
            Err(StoreError::VersionMismatch { .. }) => {}
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(wins, 1);
    assert_eq!(b.store.need(n.id).await.unwrap().version, 2);
}

pub async fn contributions_advance_and_drive_coverage(b: &Backend) {
    let s = &b.store;
    let a = validated_need(b, "KEN", "BIO-O2-CONCENTRATOR", json!(100)).await;
    let c = s
        .create_contribution(
            &actor(),
            &NewContribution {
                donor: Some("IND".into()),
                recipient: Some("KEN".into()),
                channel: Some("WHO".into()),
                item: Some("BIO-O2-CONCENTRATOR".into()),
                quantity: Some(json!(60)),
                stage: Some("announced".into()),
                source_url: Some("https://example.org/statement".into()),
                links: vec![NewLink {
                    need: Some(a),
                    quantity: Some(json!(60)),
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((c.stage.as_str(), c.funded), ("announced", false));
    let n = s.need(a).await.unwrap();
    assert_eq!(
        (
            n.coverage.announced.clone(),
            n.coverage.committed.clone(),
            n.status.as_str()
        ),
        (json!(60), json!(0), "validated")
    );
    let c = s
        .advance_contribution(&actor(), c.id, Some(1), &stage("pledged"))
        .await
        .unwrap();
    assert_eq!(s.need(a).await.unwrap().coverage.pledged, json!(60));
    let c = s
        .advance_contribution(&actor(), c.id, Some(c.version), &stage("committed"))
        .await
        .unwrap();
    let n = s.need(a).await.unwrap();
    assert_eq!(
        (
            n.coverage.committed.clone(),
            n.coverage.unmet.clone(),
            n.status.as_str()
        ),
        (json!(60), json!(40), "partly_met")
    );
    assert_eq!(n.coverage.coverage_pct, 60.0);
    let e = s
        .advance_contribution(&actor(), c.id, None, &stage("disbursed"))
        .await
        .unwrap_err();
    assert_eq!(
        invalid_fields(e),
        vec!["to:illegal_transition"],
        "goods are shipped, not disbursed"
    );
    let c = s
        .advance_contribution(&actor(), c.id, None, &stage("shipped"))
        .await
        .unwrap();
    let c = s
        .advance_contribution(&actor(), c.id, None, &stage("delivered"))
        .await
        .unwrap();
    assert_eq!(
        c.events.iter().map(|e| e.to.as_str()).collect::<Vec<_>>(),
        vec!["announced", "pledged", "committed", "shipped", "delivered"]
    );
    assert!(c.events.iter().all(|e| e.actor == "test:conformance"));
    assert_eq!(s.need(a).await.unwrap().coverage.delivered, json!(60));
    // A second contribution fills the rest.
    s.create_contribution(
        &actor(),
        &NewContribution {
            donor: Some("WHO".into()),
            recipient: Some("KEN".into()),
            item: Some("BIO-O2-CONCENTRATOR".into()),
            quantity: Some(json!(40)),
            stage: Some("committed".into()),
            links: vec![NewLink {
                need: Some(a),
                quantity: Some(json!(40)),
            }],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let n = s.need(a).await.unwrap();
    assert_eq!((n.status.as_str(), n.coverage.unmet.clone()), ("met", json!(0)));
    let e = s
        .advance_contribution(&actor(), c.id, None, &stage("shipped"))
        .await
        .unwrap_err();
    assert_eq!(
        invalid_fields(e),
        vec!["to:illegal_transition"],
        "a delivery cannot go back"
    );
    // The delivery record proves wrong: it is cancelled, and the need reopens.
    let c = s
        .advance_contribution(&actor(), c.id, None, &stage("cancelled"))
        .await
        .unwrap();
    assert_eq!(c.events.len(), 6, "the delivery stays in the history");
    let n = s.need(a).await.unwrap();
    assert_eq!(
        (
            n.status.as_str(),
            n.coverage.delivered.clone(),
            n.coverage.committed.clone()
        ),
        ("partly_met", json!(0), json!(40))
    );
    let e = s
        .advance_contribution(&actor(), c.id, None, &stage("pledged"))
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["to:illegal_transition"], "cancelled is final");
    assert_eq!(s.contribution_history(c.id).await.unwrap().len(), 6);
    assert!(s.audit_verify().await.unwrap().first_bad.is_none());
}

pub async fn cancelling_a_contribution_reopens_its_needs(b: &Backend) {
    let s = &b.store;
    let a = validated_need(b, "UGA", "PPE-MASK-MED", json!(1000)).await;
    let c = s
        .create_contribution(
            &actor(),
            &NewContribution {
                donor: Some("CHN".into()),
                recipient: Some("UGA".into()),
                item: Some("PPE-MASK-MED".into()),
                quantity: Some(json!(1000)),
                stage: Some("committed".into()),
                links: vec![NewLink {
                    need: Some(a),
                    quantity: Some(json!(1000)),
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(s.need(a).await.unwrap().status.as_str(), "met");
    s.advance_contribution(
        &actor(),
        c.id,
        None,
        &StageChange {
            to: Some("cancelled".into()),
            note: Some("supplier failed".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let n = s.need(a).await.unwrap();
    assert_eq!(
        (n.status.as_str(), n.coverage.committed.clone()),
        ("validated", json!(0))
    );
    let statuses: Vec<String> = s
        .need_history(a)
        .await
        .unwrap()
        .iter()
        .map(|v| v.data["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, vec!["submitted", "validated", "met", "validated"]);
}

pub async fn invalid_contributions_are_rejected_and_nothing_is_written(b: &Backend) {
    let s = &b.store;
    let a = validated_need(b, "KEN", "BIO-O2-CONCENTRATOR", json!(100)).await;
    let draft = s
        .create_need(&actor(), &need("KEN", "BIO-O2-CONCENTRATOR", json!(5)), false)
        .await
        .unwrap()
        .id;
    let before = [
        "contributions",
        "contribution_links",
        "contribution_events",
        "audit_log",
    ];
    let mut counts = Vec::new();
    for t in before {
        counts.push(b.count(t).await);
    }
    let base = NewContribution {
        donor: Some("IND".into()),
        recipient: Some("KEN".into()),
        item: Some("BIO-O2-CONCENTRATOR".into()),
        quantity: Some(json!(50)),
        ..Default::default()
    };
    let cases = [
        (
            NewContribution {
                links: vec![NewLink {
                    need: Some(a),
                    quantity: Some(json!(51)),
                }],
                ..base.clone()
            },
            "links:links_exceed_contribution",
        ),
        (
            NewContribution {
                item: Some("NO-SUCH".into()),
                ..base.clone()
            },
            "item:unknown_item",
        ),
        (
            NewContribution {
                quantity: Some(json!(-1)),
                ..base.clone()
            },
            "quantity:negative",
        ),
        (
            NewContribution {
                donor: Some("XXX".into()),
                ..base.clone()
            },
            "donor:unknown_party",
        ),
        (
            NewContribution {
                item: None,
                quantity: None,
                amount: Some(json!(10)),
                currency: Some("ABC".into()),
                ..base.clone()
            },
            "currency:unknown_currency",
        ),
        (
            NewContribution {
                links: vec![NewLink {
                    need: Some(draft),
                    quantity: Some(json!(1)),
                }],
                ..base.clone()
            },
            "links[0].need:need_not_open",
        ),
        (
            NewContribution {
                stage: Some("cancelled".into()),
                ..base.clone()
            },
            "stage:invalid_choice",
        ),
        (
            NewContribution {
                recipient: Some("UGA".into()),
                links: vec![NewLink {
                    need: Some(a),
                    quantity: Some(json!(1)),
                }],
                ..base.clone()
            },
            "links[0].need:country_mismatch",
        ),
    ];
    for (input, expected) in cases {
        let e = s.create_contribution(&actor(), &input).await.unwrap_err();
        assert_eq!(invalid_fields(e), vec![expected.to_owned()]);
    }
    let c = s
        .create_contribution(
            &actor(),
            &NewContribution {
                stage: Some("committed".into()),
                ..base
            },
        )
        .await
        .unwrap();
    let e = s
        .advance_contribution(&actor(), c.id, None, &stage("pledged"))
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["to:illegal_transition"]);
    let mut after = Vec::new();
    for t in before {
        after.push(b.count(t).await);
    }
    // Only the one valid contribution was written: its row, its first event and its audit entry; it has no links.
    assert_eq!(after, vec![counts[0] + 1, counts[1], counts[2] + 1, counts[3] + 1]);
}

pub async fn earmarked_cash_contribution_is_kept(b: &Backend) {
    let s = &b.store;
    let c = s
        .create_contribution(
            &actor(),
            &NewContribution {
                donor: Some("AZE".into()),
                recipient: Some("WHO".into()),
                amount: Some(json!(10_000_000)),
                currency: Some("USD".into()),
                stage: Some("committed".into()),
                sector: Some("12250".into()),
                description: Some("$10M to WHO, half for NAM member states".into()),
                earmarks: vec![NewEarmark {
                    target: Some("nam-members".into()),
                    share_percent: Some(json!(50)),
                    amount: None,
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (
            c.kind.as_str(),
            c.quantity.clone(),
            c.usd_value.clone(),
            c.unit.as_str()
        ),
        ("cash", json!(10_000_000), Some(json!(10_000_000)), "USD")
    );
    assert_eq!(c.earmarks.len(), 1);
    assert_eq!(
        (c.earmarks[0].target.as_str(), c.earmarks[0].share_percent.clone()),
        ("nam-members", Some(json!(50)))
    );
    let eur = s
        .create_contribution(
            &actor(),
            &NewContribution {
                donor: Some("DEU".into()),
                recipient: Some("UNICEF".into()),
                amount: Some(json!("2500000.50")),
                currency: Some("EUR".into()),
                usd_rate: Some(json!("1.0842")),
                sector: Some("72010".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(eur.usd_value, Some(json!(2_710_500.54)));
    assert_eq!(eur.usd_rate.as_deref(), Some("1.0842"));
}

pub async fn financial_needs_are_counted_in_us_dollars(b: &Backend) {
    let s = &b.store;
    let input = NewNeed {
        item: Some("CASH-CONTRIBUTION".into()),
        quantity: None,
        amount: Some(json!(500_000)),
        currency: Some("USD".into()),
        ..need("SDN", "x", json!(1))
    };
    let n = s.create_need(&actor(), &input, true).await.unwrap();
    s.change_need_status(&actor(), n.id, None, &to("validated"))
        .await
        .unwrap();
    s.create_contribution(
        &actor(),
        &NewContribution {
            donor: Some("QAT".into()),
            recipient: Some("SDN".into()),
            amount: Some(json!(1_000_000)),
            currency: Some("QAR".into()),
            usd_rate: Some(json!("0.2747")),
            stage: Some("disbursed".into()),
            links: vec![NewLink {
                need: Some(n.id),
                quantity: Some(json!(1_000_000)),
            }],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let n = s.need(n.id).await.unwrap();
    assert_eq!(
        (n.unit.as_str(), n.coverage.committed.clone(), n.coverage.unmet.clone()),
        ("USD", json!(274_700), json!(225_300))
    );
    assert_eq!(n.status.as_str(), "partly_met");
}

pub async fn audit_chain_verifies_and_names_a_tampered_entry(b: &Backend) {
    let s = &b.store;
    for q in 1..=3 {
        s.create_need(&actor(), &need("KEN", "PPE-GOWN", json!(q)), false)
            .await
            .unwrap();
    }
    // Characters of more than one byte: PostgreSQL hashes a write's entry
    // itself, and must count each field's length in UTF-8 bytes as Rust does.
    let mut far = need("SYR", "PPE-GOWN", json!(4));
    far.place = Some("إدلب — Côte d’Ivoire 🏥".into());
    s.create_need(&actor(), &far, false).await.unwrap();
    let r = s.audit_verify().await.unwrap();
    assert_eq!((r.entries, r.first_bad.clone()), (5, None));
    let changed = b
        .exec("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3")
        .await;
    assert_eq!(changed, 1);
    let r = s.audit_verify().await.unwrap();
    assert_eq!(r.first_bad.map(|(seq, _)| seq), Some(3));
}

pub async fn audit_chain_detects_removed_entries(b: &Backend) {
    let s = &b.store;
    for q in 1..=3 {
        s.create_need(&actor(), &need("KEN", "PPE-GOWN", json!(q)), false)
            .await
            .unwrap();
    }
    b.exec("DELETE FROM audit_log WHERE seq = 2").await;
    assert_eq!(s.audit_verify().await.unwrap().first_bad.map(|(seq, _)| seq), Some(2));
    b.exec("DELETE FROM audit_log WHERE seq >= 2").await;
    let r = s.audit_verify().await.unwrap();
    assert_eq!(
        r.first_bad.map(|(seq, _)| seq),
        Some(2),
        "a cut-off tail is caught by the recorded head"
    );
}

pub async fn lists_filter_and_page(b: &Backend) {
    let s = &b.store;
    for (c, item) in [
        ("KEN", "PPE-GOWN"),
        ("UGA", "PPE-GOWN"),
        ("FRA", "PPE-GOWN"),
        ("KEN", "FOOD-RICE"),
        ("BRA", "PPE-GOWN"),
    ] {
        let qty = if item == "FOOD-RICE" { json!(2.5) } else { json!(10) };
        s.create_need(&actor(), &need(c, item, qty), true).await.unwrap();
    }
    let all = s.needs(&NeedQuery::default()).await.unwrap();
    assert_eq!((all.total, all.items.len(), all.next), (5, 5, None));
    let members = s
        .needs(&NeedQuery {
            nam_status: Some("member".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        members.total, 3,
        "KEN twice and UGA; France is not in NAM and Brazil is an observer"
    );
    let rice = s
        .needs(&NeedQuery {
            item: Some("FOOD-RICE".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (rice.total, rice.items[0].quantity.clone(), rice.items[0].unit.as_str()),
        (1, json!(2.5), "tonne")
    );
    let afr = s
        .needs(&NeedQuery {
            who_region: Some("afr".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(afr.total, 3);
    let africa = s
        .needs(&NeedQuery {
            region: Some("2".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(africa.total, 3);
    let page1 = s
        .needs(&NeedQuery {
            limit: Some(2),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((page1.total, page1.items.len()), (5, 2));
    let page2 = s
        .needs(&NeedQuery {
            limit: Some(2),
            cursor: page1.next.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let page3 = s
        .needs(&NeedQuery {
            limit: Some(2),
            cursor: page2.next.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((page3.items.len(), page3.next), (1, None));
    let ids: BTreeSet<i64> = page1
        .items
        .iter()
        .chain(&page2.items)
        .chain(&page3.items)
        .map(|n| n.id)
        .collect();
    assert_eq!(ids.len(), 5);
    let e = s
        .needs(&NeedQuery {
            priority: Some("urgent".into()),
            income_group: Some("rich".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        invalid_fields(e),
        vec!["income_group:invalid_choice", "priority:invalid_choice"]
    );
    let cs = s
        .contributions(&ContributionQuery {
            stage: Some("nope".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(cs), vec!["stage:invalid_choice"]);
}

pub async fn catalogue_can_be_extended(b: &Backend) {
    let s = &b.store;
    let item = NewItem {
        code: Some("SHL-KITCHEN-SET".into()),
        cluster: Some("shelter".into()),
        category: Some("non_food_items".into()),
        name_en: Some("Kitchen set".into()),
        unit: Some("set".into()),
        unit_kind: Some("count".into()),
        decimals: None,
        dac_sector: Some("72010".into()),
        ..Default::default()
    };
    let added = s.add_item(&actor(), &item).await.unwrap();
    assert_eq!(added.code.as_str(), "SHL-KITCHEN-SET");
    assert!(
        s.items()
            .await
            .unwrap()
            .iter()
            .any(|i| i.code.as_str() == "SHL-KITCHEN-SET")
    );
    assert!(matches!(
        s.add_item(&actor(), &item).await,
        Err(StoreError::Conflict(_))
    ));
    let bad = NewItem {
        dac_sector: Some("12".into()),
        unit_kind: Some("weight".into()),
        ..item
    };
    assert_eq!(
        invalid_fields(s.add_item(&actor(), &bad).await.unwrap_err()),
        vec!["unit_kind:invalid_choice", "dac_sector:invalid"]
    );
    let n = s
        .create_need(&actor(), &need("LBN", "SHL-KITCHEN-SET", json!(400)), false)
        .await
        .unwrap();
    assert_eq!(n.unit, "set");
    // The reference load must not remove or overwrite a local item.
    b.exec("DELETE FROM meta WHERE key = 'reference_fingerprint'").await;
    assert!(s.migrate().await.unwrap().reference_loaded);
    assert!(
        s.items()
            .await
            .unwrap()
            .iter()
            .any(|i| i.code.as_str() == "SHL-KITCHEN-SET")
    );
}

pub async fn users_are_bound_to_their_country_or_organisation(b: &Backend) {
    let s = &b.store;
    let u = |email: &str, role, country: Option<&str>, org: Option<&str>| NewUser {
        email: email.into(),
        password_hash: "$argon2id$placeholder".into(),
        role,
        country: country.map(Into::into),
        org: org.map(Into::into),
        must_change_password: false,
    };
    let fp = s
        .create_user(&actor(), &u("FP@moh.go.ke", Role::FocalPoint, Some("KEN"), None))
        .await
        .unwrap();
    assert_eq!(
        (fp.email.as_str(), fp.country.as_deref()),
        ("fp@moh.go.ke", Some("KEN"))
    );
    assert!(matches!(
        s.create_user(&actor(), &u("fp@moh.go.ke", Role::Viewer, None, None))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let e = s
        .create_user(&actor(), &u("a@b.org", Role::FocalPoint, None, None))
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["country:required"]);
    let e = s
        .create_user(&actor(), &u("p@b.org", Role::Partner, None, Some("NOPE")).clone())
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["org:unknown_party"]);
    let e = s
        .create_user(&actor(), &u("not-an-email", Role::Viewer, None, None))
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["email:invalid_email"]);
    let (found, hash) = s.user_by_email(" Fp@Moh.go.ke ").await.unwrap().unwrap();
    assert_eq!((found.id, hash.as_str()), (fp.id, "$argon2id$placeholder"));
    assert_eq!(s.user_count().await.unwrap(), 1);
}

pub async fn external_ids_are_unique_per_country(b: &Backend) {
    let s = &b.store;
    let with_id = |c: &str| NewNeed {
        external_id: Some("MOH-2026-001".into()),
        ..need(c, "PPE-GOWN", json!(5))
    };
    s.create_need(&actor(), &with_id("KEN"), false).await.unwrap();
    s.create_need(&actor(), &with_id("UGA"), false).await.unwrap();
    assert!(matches!(
        s.create_need(&actor(), &with_id("KEN"), false).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn lists_sort_and_page_with_cursors(b: &Backend) {
    let s = &b.store;
    let dates = ["2027-03-01", "2026-12-01", "2027-01-15", "2026-12-01", "2027-02-01"];
    let prios = ["low", "critical", "medium", "high", "critical"];
    for (d, p) in dates.iter().zip(prios) {
        let n = NewNeed {
            needed_by: Some((*d).into()),
            priority: Some(p.into()),
            ..need("KEN", "PPE-GOWN", json!(1))
        };
        s.create_need(&actor(), &n, false).await.unwrap();
    }
    for (sort, expected) in [
        (
            "needed_by",
            vec!["2026-12-01", "2026-12-01", "2027-01-15", "2027-02-01", "2027-03-01"],
        ),
        (
            "-needed_by",
            vec!["2027-03-01", "2027-02-01", "2027-01-15", "2026-12-01", "2026-12-01"],
        ),
    ] {
        let mut got = Vec::new();
        let mut cursor = None;
        loop {
            let p = s
                .needs(&NeedQuery {
                    sort: Some(sort.into()),
                    limit: Some(2),
                    cursor: cursor.clone(),
                    ..Default::default()
                })
                .await
                .unwrap();
            assert_eq!(p.total, 5);
            got.extend(p.items.iter().map(|n| n.needed_by.to_string()));
            cursor = p.next;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(got, expected, "{sort}");
    }
    // Highest priority first: critical is the highest.
    let by_priority: Vec<String> = s
        .needs(&NeedQuery {
            sort: Some("-priority".into()),
            limit: Some(3),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
        .iter()
        .map(|n| n.priority.to_string())
        .collect();
    assert_eq!(by_priority, vec!["critical", "critical", "high"]);
    let e = s
        .needs(&NeedQuery {
            sort: Some("colour".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["sort:invalid_choice"]);
    let e = s
        .needs(&NeedQuery {
            cursor: Some("not-a-cursor".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["cursor:invalid_cursor"]);
    let c = s
        .contributions(&ContributionQuery {
            sort: Some("-stage_date".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(c.total, 0);
}

pub async fn scopes_limit_what_a_caller_sees(b: &Backend) {
    let s = &b.store;
    s.create_need(&actor(), &need("KEN", "PPE-GOWN", json!(1)), false)
        .await
        .unwrap();
    validated_need(b, "UGA", "PPE-GOWN", json!(1)).await;
    s.create_need(&actor(), &need("UGA", "PPE-GOWN", json!(2)), true)
        .await
        .unwrap();
    let shared = vec![
        needsdb_domain::NeedStatus::Validated,
        needsdb_domain::NeedStatus::PartlyMet,
        needsdb_domain::NeedStatus::Met,
    ];
    let kenya = needsdb_store::NeedScope {
        own_country: Some("KEN".into()),
        shared: shared.clone(),
    };
    let seen = s
        .needs(&NeedQuery {
            scope: Some(kenya),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut got: Vec<(String, String)> = seen
        .items
        .iter()
        .map(|n| (n.country.clone(), n.status.to_string()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![("KEN".into(), "draft".into()), ("UGA".into(), "validated".into())]
    );
    let partner = needsdb_store::NeedScope {
        own_country: None,
        shared,
    };
    assert_eq!(
        s.needs(&NeedQuery {
            scope: Some(partner),
            ..Default::default()
        })
        .await
        .unwrap()
        .total,
        1
    );
    let nothing = needsdb_store::NeedScope::default();
    assert_eq!(
        s.needs(&NeedQuery {
            scope: Some(nothing),
            ..Default::default()
        })
        .await
        .unwrap()
        .total,
        0
    );
}

pub async fn coverage_is_grouped_without_mixing_units(b: &Backend) {
    let s = &b.store;
    let ken = validated_need(b, "KEN", "BIO-O2-CONCENTRATOR", json!(100)).await;
    validated_need(b, "UGA", "BIO-O2-CONCENTRATOR", json!(50)).await;
    validated_need(b, "KEN", "FOOD-RICE", json!(2.5)).await;
    s.create_need(&actor(), &need("KEN", "BIO-O2-CONCENTRATOR", json!(1000)), false)
        .await
        .unwrap();
    s.create_contribution(
        &actor(),
        &NewContribution {
            donor: Some("IND".into()),
            recipient: Some("KEN".into()),
            item: Some("BIO-O2-CONCENTRATOR".into()),
            quantity: Some(json!(130)),
            stage: Some("committed".into()),
            links: vec![NewLink {
                need: Some(ken),
                quantity: Some(json!(130)),
            }],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let rows = s
        .coverage(needsdb_store::CoverageBy::Item, &NeedQuery::default())
        .await
        .unwrap();
    let o2 = rows.iter().find(|r| r.item == "BIO-O2-CONCENTRATOR").unwrap();
    assert_eq!(o2.needs, 2, "the draft is not counted");
    assert_eq!(
        (o2.coverage.needed.clone(), o2.coverage.committed.clone()),
        (json!(150), json!(130))
    );
    assert_eq!(
        o2.coverage.unmet,
        json!(50),
        "Kenya's surplus does not fill Uganda's gap"
    );
    assert_eq!(o2.coverage.coverage_pct, 66.7);
    let by_country = s
        .coverage(needsdb_store::CoverageBy::Country, &NeedQuery::default())
        .await
        .unwrap();
    let kenya: Vec<(String, String)> = by_country
        .iter()
        .filter(|r| r.group == "KEN")
        .map(|r| (r.item.clone(), r.unit.clone()))
        .collect();
    assert_eq!(
        kenya,
        vec![
            ("BIO-O2-CONCENTRATOR".into(), "unit".into()),
            ("FOOD-RICE".into(), "tonne".into())
        ]
    );
    let nam = s
        .coverage(needsdb_store::CoverageBy::NamStatus, &NeedQuery::default())
        .await
        .unwrap();
    assert!(nam.iter().all(|r| r.group == "member"));
}

pub async fn sessions_and_tokens_store_only_hashes_and_can_be_revoked(b: &Backend) {
    let s = &b.store;
    let u = s
        .create_user(
            &actor(),
            &NewUser {
                email: "a@who.int".into(),
                password_hash: "h".into(),
                role: Role::Viewer,
                country: None,
                org: None,
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    s.create_session(&actor(), u.id, "hash-of-session", "csrf", chrono::Duration::hours(1))
        .await
        .unwrap();
    let got = s.session("hash-of-session").await.unwrap().unwrap();
    assert_eq!((got.user.id, got.csrf_token.as_str()), (u.id, "csrf"));
    assert!(s.session("other").await.unwrap().is_none());
    s.revoke_session(&actor(), "hash-of-session").await.unwrap();
    assert!(s.session("hash-of-session").await.unwrap().is_none());
    s.create_session(&actor(), u.id, "expired", "csrf", chrono::Duration::seconds(-1))
        .await
        .unwrap();
    assert!(s.session("expired").await.unwrap().is_none());

    let t = s
        .create_token(
            &actor(),
            &needsdb_store::NewToken {
                user_id: u.id,
                name: "script".into(),
                prefix: "ndb_abcd".into(),
                token_hash: "thash".into(),
                expires_at: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(s.token("thash").await.unwrap().unwrap().1.id, u.id);
    assert_eq!(s.tokens(Some(u.id)).await.unwrap().len(), 1);
    assert!(s.revoke_token(&actor(), t.id).await.unwrap().revoked);
    assert!(s.token("thash").await.unwrap().is_none());
    assert_eq!(b.count("api_tokens").await, 1, "revoked, not deleted");

    let since = chrono::Utc::now() - chrono::Duration::minutes(15);
    s.record_signin_failure("A@who.int", "10.0.0.1").await.unwrap();
    s.record_signin_failure("a@who.int", "10.0.0.2").await.unwrap();
    // Failures are counted per account and address together.
    let f = s.signin_failures("a@who.int", "10.0.0.1", since).await.unwrap();
    assert_eq!(f.count, 1);
    assert!(f.last.is_some());
    assert_eq!(
        s.signin_failures("b@who.int", "10.0.0.1", since).await.unwrap().count,
        0
    );

    // A password change ends every other session, and keeps this one and the tokens.
    for id in ["here", "elsewhere"] {
        s.create_session(&actor(), u.id, id, "csrf", chrono::Duration::hours(1))
            .await
            .unwrap();
    }
    let token = |hash: &str| needsdb_store::NewToken {
        user_id: u.id,
        name: "script".into(),
        prefix: "ndb_x".into(),
        token_hash: hash.into(),
        expires_at: None,
    };
    s.create_token(&actor(), &token("t2")).await.unwrap();
    s.set_password(
        &actor(),
        u.id,
        "new-hash",
        false,
        &Ending::OtherSessions(Some("here".into())),
    )
    .await
    .unwrap();
    let (after, hash) = s.user_by_email("a@who.int").await.unwrap().unwrap();
    assert_eq!((hash.as_str(), after.must_change_password), ("new-hash", false));
    assert!(s.session("here").await.unwrap().is_some());
    assert!(s.session("elsewhere").await.unwrap().is_none());
    assert!(s.token("t2").await.unwrap().is_some());
    // An administrator's reset ends everything.
    s.set_password(&actor(), u.id, "reset-hash", true, &Ending::Everything)
        .await
        .unwrap();
    assert!(s.session("here").await.unwrap().is_none());
    assert!(s.token("t2").await.unwrap().is_none());
    // Disabling ends what a later re-enabling would otherwise bring back.
    s.create_session(&actor(), u.id, "again", "csrf", chrono::Duration::hours(1))
        .await
        .unwrap();
    s.create_token(&actor(), &token("t3")).await.unwrap();
    let off = needsdb_store::UserUpdate {
        disabled: Some(true),
        ..Default::default()
    };
    assert!(s.update_user(&actor(), u.id, &off).await.unwrap().disabled);
    let on = needsdb_store::UserUpdate {
        disabled: Some(false),
        ..Default::default()
    };
    assert!(!s.update_user(&actor(), u.id, &on).await.unwrap().disabled);
    assert!(s.session("again").await.unwrap().is_none());
    assert!(s.token("t3").await.unwrap().is_none());
    let report = s.audit_verify().await.unwrap();
    assert!(report.first_bad.is_none() && report.records.is_empty(), "{report:?}");
}

pub async fn contribution_lists_filter_by_the_recipient_and_the_need(b: &Backend) {
    let s = &b.store;
    let ken = validated_need(b, "KEN", "PPE-GOWN", json!(10)).await;
    s.change_need_status(
        &actor(),
        ken,
        None,
        &StatusChange {
            to: Some("withdrawn".into()),
            note: None,
        },
    )
    .await
    .unwrap();
    let ken = validated_need(b, "KEN", "PPE-GOWN", json!(10)).await;
    let give = |donor: &str, recipient: &str, item: &str, date: &str, links: Vec<NewLink>| NewContribution {
        donor: Some(donor.into()),
        recipient: Some(recipient.into()),
        item: Some(item.into()),
        quantity: Some(json!(5)),
        stage_date: Some(date.into()),
        links,
        ..Default::default()
    };
    s.create_contribution(
        &actor(),
        &give(
            "IND",
            "KEN",
            "PPE-GOWN",
            "2026-03-01",
            vec![NewLink {
                need: Some(ken),
                quantity: Some(json!(5)),
            }],
        ),
    )
    .await
    .unwrap();
    s.create_contribution(&actor(), &give("IND", "FRA", "FOOD-RICE", "2026-05-01", vec![]))
        .await
        .unwrap();
    s.create_contribution(&actor(), &give("USA", "WHO", "PPE-GOWN", "2026-07-01", vec![]))
        .await
        .unwrap();
    let count = |q: ContributionQuery| async move { s.contributions(&q).await.unwrap().total };
    assert_eq!(
        count(ContributionQuery {
            nam_status: Some("member".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ContributionQuery {
            country: Some("KEN,FRA".into()),
            ..Default::default()
        })
        .await,
        2
    );
    assert_eq!(
        count(ContributionQuery {
            who_region: Some("EUR".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ContributionQuery {
            income_group: Some("high".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ContributionQuery {
            region: Some("002".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ContributionQuery {
            cluster: Some("food_security".into()),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        count(ContributionQuery {
            priority: Some("high".into()),
            ..Default::default()
        })
        .await,
        1
    );
    let from = chrono::NaiveDate::from_ymd_opt(2026, 4, 1);
    assert_eq!(
        count(ContributionQuery {
            date_from: from,
            ..Default::default()
        })
        .await,
        2
    );
    assert_eq!(
        count(ContributionQuery {
            date_to: from,
            ..Default::default()
        })
        .await,
        1
    );
    let e = s
        .contributions(&ContributionQuery {
            who_region: Some("MARS".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(invalid_fields(e), vec!["who_region:invalid_choice"]);
}

pub async fn a_merged_report_keeps_its_history_but_counts_once(b: &Backend) {
    let s = &b.store;
    let n = validated_need(b, "KEN", "PPE-GOWN", json!(100)).await;
    let report = |who: &str| NewContribution {
        donor: Some("IND".into()),
        recipient: Some("KEN".into()),
        item: Some("PPE-GOWN".into()),
        quantity: Some(json!(60)),
        stage: Some("committed".into()),
        links: vec![NewLink {
            need: Some(n),
            quantity: Some(json!(60)),
        }],
        description: Some(format!("reported by {who}")),
        ..Default::default()
    };
    let a = s
        .create_contribution(&Actor("user:donor".into()), &report("the donor"))
        .await
        .unwrap();
    let d = s
        .create_contribution(&Actor("user:recipient".into()), &report("the recipient"))
        .await
        .unwrap();
    assert_eq!(
        s.need(n).await.unwrap().coverage.committed,
        json!(120),
        "counted twice before the merge"
    );
    assert_eq!(s.need(n).await.unwrap().status.as_str(), "met");
    let merged = s.merge_contributions(&actor(), a.id, d.id).await.unwrap();
    assert_eq!(merged.merged_into, Some(a.id));
    let need = s.need(n).await.unwrap();
    assert_eq!(
        (need.coverage.committed.clone(), need.status.as_str()),
        (json!(60), "partly_met")
    );
    assert_eq!(
        s.contribution_history(d.id).await.unwrap().len(),
        2,
        "both histories stay"
    );
    assert_eq!(s.contribution_history(a.id).await.unwrap().len(), 1);
    assert!(matches!(
        s.merge_contributions(&actor(), a.id, d.id).await,
        Err(StoreError::Conflict(_))
    ));
    let e = s.merge_contributions(&actor(), d.id, a.id).await.unwrap_err();
    assert_eq!(invalid_fields(e), vec!["into:already_merged"]);
    let other = s
        .create_contribution(
            &actor(),
            &NewContribution {
                donor: Some("CHN".into()),
                links: vec![],
                ..report("x")
            },
        )
        .await
        .unwrap();
    let e = s.merge_contributions(&actor(), a.id, other.id).await.unwrap_err();
    assert_eq!(invalid_fields(e), vec!["into:not_the_same_flow"]);
    assert!(s.audit_verify().await.unwrap().first_bad.is_none());
}

pub async fn reports_from_both_sides_of_a_flow_are_matched_as_one(b: &Backend) {
    let s = &b.store;
    let n = validated_need(b, "KEN", "PPE-GOWN", json!(100)).await;
    let user = new_user;
    let donor_desk = s
        .create_user(&actor(), &user("desk@mea.gov.in", Role::Partner, None, Some("IND")))
        .await
        .unwrap();
    let ministry = s
        .create_user(&actor(), &user("fp@moh.go.ke", Role::FocalPoint, Some("KEN"), None))
        .await
        .unwrap();
    let report = |q: i64, date: &str| NewContribution {
        donor: Some("IND".into()),
        recipient: Some("KEN".into()),
        item: Some("PPE-GOWN".into()),
        quantity: Some(json!(q)),
        stage: Some("committed".into()),
        stage_date: Some(date.into()),
        links: vec![NewLink {
            need: Some(n),
            quantity: Some(json!(q)),
        }],
        ..Default::default()
    };
    let by_donor = s
        .create_contribution(&Actor::user(donor_desk.id), &report(60, "2026-03-01"))
        .await
        .unwrap();
    assert_eq!(by_donor.merged_into, None);
    // The ministry reports the same flow: matched at once, counted once.
    let by_ministry = s
        .create_contribution(&Actor::user(ministry.id), &report(58, "2026-03-05"))
        .await
        .unwrap();
    let by_ministry = s.contribution(by_ministry.id).await.unwrap();
    assert_eq!(by_ministry.merged_into, Some(by_donor.id));
    assert_eq!(s.need(n).await.unwrap().coverage.committed, json!(60));
    assert_eq!(
        s.contribution_history(by_ministry.id).await.unwrap().len(),
        2,
        "its own history stays"
    );
    // A second shipment the donor reports is not a match for anything.
    let second = s
        .create_contribution(&Actor::user(donor_desk.id), &report(30, "2026-03-10"))
        .await
        .unwrap();
    assert_eq!(s.contribution(second.id).await.unwrap().merged_into, None);
    // Entries with no reporting side are never merged silently.
    let by_cli = s
        .create_contribution(&actor(), &report(60, "2026-03-02"))
        .await
        .unwrap();
    assert_eq!(s.contribution(by_cli.id).await.unwrap().merged_into, None);
    assert!(s.audit_verify().await.unwrap().first_bad.is_none());
}

/// An import source over rows held in memory, in chunks of two.
struct Rows {
    chunks: Vec<needsdb_store::ImportChunk>,
    failed: bool,
}

#[async_trait::async_trait]
impl needsdb_store::ImportSource for Rows {
    async fn next_chunk(&mut self) -> Option<needsdb_store::ImportChunk> {
        if self.chunks.is_empty() {
            None
        } else {
            Some(self.chunks.remove(0))
        }
    }
    fn has_problems(&self) -> bool {
        self.failed
    }
}

fn rows(needs: Vec<NewNeed>) -> Rows {
    let mut chunks = Vec::new();
    let all: Vec<needsdb_store::NeedImport> = needs
        .into_iter()
        .enumerate()
        .map(|(i, input)| needsdb_store::NeedImport {
            row: i as u64 + 2,
            input,
            status: needsdb_domain::NeedStatus::Submitted,
            reported: Vec::new(),
        })
        .collect();
    for c in all.chunks(2) {
        chunks.push(needsdb_store::ImportChunk::Needs(c.to_vec()));
    }
    Rows { chunks, failed: false }
}

fn import_opts(dry_run: bool) -> needsdb_store::ImportOptions {
    needsdb_store::ImportOptions {
        dry_run,
        label: "test.csv".into(),
        fingerprint: "0".repeat(64),
        ..Default::default()
    }
}

/// The live need a country's import stored under `key`.
async fn stored_need(b: &Backend, country: &str, key: &str) -> needsdb_store::Need {
    let page = b
        .store
        .needs(&NeedQuery {
            country: Some(country.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    page.items
        .into_iter()
        .find(|n| n.external_id.as_deref() == Some(key))
        .unwrap()
}

async fn total_needs(b: &Backend) -> i64 {
    b.store.needs(&NeedQuery::default()).await.unwrap().total
}

/// Staged rows travel as COPY text on PostgreSQL and as bound values on
/// SQLite: every character of a text must come back as it went in, and a
/// key repeated in a later chunk must be found however many rows lie between.
pub async fn imports_keep_every_character_and_find_repeats_across_chunks(b: &Backend) {
    let s = &b.store;
    // Control characters are refused before staging; a backslash, COPY's
    // escape, and text that looks like its escapes are not.
    let odd = "back\\slash, \\N, \\t, \\\\, trailing \\, quote \" ' , نقطة 点 ✓ \\";
    let mut needs: Vec<NewNeed> = (0..30)
        .map(|i| NewNeed {
            external_id: Some(format!("k{i}")),
            place: (i == 0).then(|| odd.to_owned()),
            justification: Some(if i == 0 { odd.to_owned() } else { format!("row {i}") }),
            ..need("KEN", "PPE-MASK-MED", json!(i + 1))
        })
        .collect();
    // The first row again, fifteen chunks later: a repeat, not a second need.
    needs.push(needs[0].clone());
    let out = s
        .import(&actor(), &mut rows(needs.clone()), &import_opts(false))
        .await
        .unwrap();
    assert_eq!((out.created, out.duplicates, out.committed), (30, 1, true), "{out:?}");
    let first = stored_need(b, "KEN", "k0").await;
    assert_eq!(first.justification, odd);
    assert_eq!(first.place.as_deref(), Some(odd));
    assert!(s.audit_verify().await.unwrap().first_bad.is_none());

    // The same key with other content, chunks later: a problem, and nothing written.
    let mut clash: Vec<NewNeed> = (0..10)
        .map(|i| NewNeed {
            external_id: Some(format!("c{i}")),
            ..need("UGA", "PPE-MASK-MED", json!(i + 1))
        })
        .collect();
    clash.push(NewNeed {
        external_id: Some("c0".into()),
        ..need("UGA", "PPE-MASK-MED", json!(99))
    });
    let out = s.import(&actor(), &mut rows(clash), &import_opts(false)).await.unwrap();
    assert!(!out.committed);
    assert_eq!(
        (out.problem_count, out.problems[0].row, out.problems[0].code.as_str()),
        (1, 12, "duplicate_external_id"),
        "{out:?}"
    );
}

pub async fn imports_are_all_or_nothing_idempotent_and_versioned(b: &Backend) {
    let s = &b.store;
    let with_id = |id: &str, qty: i64| NewNeed {
        external_id: Some(id.into()),
        ..need("KEN", "PPE-MASK-MED", json!(qty))
    };
    let audit_before = s.audit_verify().await.unwrap().entries;
    let good = || {
        vec![
            with_id("a", 1),
            with_id("b", 2),
            need("UGA", "PPE-MASK-MED", json!(3)),
            with_id("c", 4),
            with_id("a", 1),
        ]
    };

    // A bad row anywhere, even in the last chunk, and nothing is written.
    let mut bad = good();
    bad.push(need("KEN", "NO-SUCH-ITEM", json!(5)));
    let out = s.import(&actor(), &mut rows(bad), &import_opts(false)).await.unwrap();
    assert!(!out.committed);
    assert_eq!(out.problem_count, 1);
    assert_eq!((out.problems[0].row, out.problems[0].field.as_str()), (7, "item"));
    assert_eq!(total_needs(b).await, 0);

    // A reader that failed stops the write too, and so does a dry run.
    let mut failed = rows(good());
    failed.failed = true;
    assert!(
        !s.import(&actor(), &mut failed, &import_opts(false))
            .await
            .unwrap()
            .committed
    );
    let dry = s.import(&actor(), &mut rows(good()), &import_opts(true)).await.unwrap();
    assert_eq!((dry.created, dry.duplicates, dry.committed), (4, 1, false));
    assert_eq!(total_needs(b).await, 0);
    assert_eq!(s.audit_verify().await.unwrap().entries, audit_before);

    let out = s
        .import(&actor(), &mut rows(good()), &import_opts(false))
        .await
        .unwrap();
    assert_eq!((out.created, out.duplicates, out.committed), (4, 1, true), "{out:?}");
    assert_eq!(total_needs(b).await, 4);
    let audit = s.audit_verify().await.unwrap();
    assert_eq!(audit.entries, audit_before + 1, "one entry per import");
    assert!(audit.first_bad.is_none());

    // Again: nothing changes.
    let again = s
        .import(&actor(), &mut rows(good()), &import_opts(false))
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 5), "{again:?}");
    assert_eq!(total_needs(b).await, 4);

    // A changed row with its own id edits that need: a second version.
    let mut changed = good();
    changed[1] = with_id("b", 20);
    let out = s
        .import(&actor(), &mut rows(changed), &import_opts(false))
        .await
        .unwrap();
    assert_eq!((out.created, out.updated), (0, 1), "{out:?}");
    let b_need = stored_need(b, "KEN", "b").await;
    assert_eq!(b_need.quantity, json!(20));
    // The first version, kept only in the row until this edit, was written
    // out before the row changed.
    let history = s.need_history(b_need.id).await.unwrap();
    let seen: Vec<(i64, serde_json::Value)> = history
        .iter()
        .map(|v| (v.version, v.data["quantity"].clone()))
        .collect();
    assert_eq!(seen, vec![(1, json!(2)), (2, json!(20))]);
    assert_eq!(
        history[0].changed_at,
        history[0].data["created_at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
    let a_need = stored_need(b, "KEN", "a").await;
    let a_history = s.need_history(a_need.id).await.unwrap();
    assert_eq!(a_history.len(), 1, "imported needs keep a first version");
    assert_eq!(
        (
            a_history[0].version,
            &a_history[0].data["external_id"],
            &a_history[0].data["quantity"]
        ),
        (1, &json!("a"), &json!(1))
    );
    // A further change keeps each version once.
    s.change_need_status(&actor(), a_need.id, None, &to("withdrawn"))
        .await
        .unwrap();
    s.update_need(
        &actor(),
        b_need.id,
        None,
        &NewNeed {
            quantity: Some(json!(21)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let versions = |h: Vec<needsdb_store::Version>| h.iter().map(|v| v.version).collect::<Vec<_>>();
    assert_eq!(versions(s.need_history(a_need.id).await.unwrap()), vec![1, 2]);
    assert_eq!(versions(s.need_history(b_need.id).await.unwrap()), vec![1, 2, 3]);

    // Ordinary writes after an import with explicit ids get fresh ids.
    let n = s
        .create_need(&actor(), &need("KEN", "PPE-GOWN", json!(1)), false)
        .await
        .unwrap();
    for key in ["a", "b", "c"] {
        assert_ne!(stored_need(b, "KEN", key).await.id, n.id);
    }
    assert_eq!(total_needs(b).await, 5);
}

// ---- Every figure right, nothing silently guessed ----

fn patch_value(v: &str) -> needsdb_store::ItemPatch {
    needsdb_store::ItemPatch {
        unit_value_usd: Some(Some(json!(v))),
        unit_value_source: Some("UNICEF supply catalogue (test)".into()),
        unit_value_date: Some("2026-01-15".into()),
        ..Default::default()
    }
}

pub async fn catalogue_items_are_checked_edited_valued_and_retired(b: &Backend) {
    let s = &b.store;
    let bad = NewItem {
        code: Some("LOC-BANANA".into()),
        cluster: Some("banana".into()),
        category: Some("food".into()),
        name_en: Some("Banana".into()),
        unit: Some("bunch".into()),
        dac_sector: Some("99999".into()),
        ..Default::default()
    };
    assert_eq!(
        invalid_fields(s.add_item(&actor(), &bad).await.unwrap_err()),
        ["cluster:unknown_cluster", "dac_sector:unknown_sector"]
    );
    // A need before the item had a value, and goods estimated from it.
    let n = validated_need(b, "KEN", "BIO-O2-CONCENTRATOR", json!(200)).await;
    assert_eq!(s.need(n).await.unwrap().value_usd, None);
    let gift = s
        .create_contribution(
            &actor(),
            &NewContribution {
                donor: Some("IND".into()),
                recipient: Some("KEN".into()),
                item: Some("BIO-O2-CONCENTRATOR".into()),
                quantity: Some(json!(10)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((gift.usd_value.clone(), gift.usd_value_estimated), (None, false));
    // Giving the item a value revalues both, and keeps the item's history.
    let v2 = s
        .update_item(&actor(), "BIO-O2-CONCENTRATOR", Some(1), &patch_value("500"))
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(s.need(n).await.unwrap().value_usd, Some(json!(100_000)));
    let gift = s.contribution(gift.id).await.unwrap();
    assert_eq!((gift.usd_value, gift.usd_value_estimated), (Some(json!(5000)), true));
    let stale = s
        .update_item(&actor(), "BIO-O2-CONCENTRATOR", Some(1), &patch_value("600"))
        .await
        .unwrap_err();
    assert!(matches!(stale, StoreError::VersionMismatch { .. }), "{stale:?}");
    let history = s.item_history("BIO-O2-CONCENTRATOR").await.unwrap();
    assert_eq!(history.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(history[0].data["unit_value_usd"], serde_json::Value::Null);
    assert_eq!(history[1].data["unit_value_usd"], "500");
    // Retired: no new need may take it up; an existing need keeps it.
    s.retire_item(&actor(), "BIO-O2-CONCENTRATOR", Some(2)).await.unwrap();
    assert_eq!(
        invalid_fields(
            s.create_need(&actor(), &need("UGA", "BIO-O2-CONCENTRATOR", json!(5)), false)
                .await
                .unwrap_err()
        ),
        ["item:retired_item"]
    );
    let edited = s
        .update_need(
            &actor(),
            n,
            None,
            &NewNeed {
                priority: Some("critical".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.item, "BIO-O2-CONCENTRATOR");
    let listed = s.items().await.unwrap();
    assert!(
        listed
            .iter()
            .any(|i| i.code.as_str() == "BIO-O2-CONCENTRATOR" && i.retired)
    );
    let report = s.audit_verify().await.unwrap();
    assert!(report.first_bad.is_none() && report.records.is_empty(), "{report:?}");
}

pub async fn cash_for_goods_counts_at_the_needs_value(b: &Backend) {
    let s = &b.store;
    let n = validated_need(b, "KEN", "BIO-O2-CONCENTRATOR", json!(200)).await;
    let cash = |usd: i64| NewContribution {
        donor: Some("AZE".into()),
        recipient: Some("KEN".into()),
        amount: Some(json!(usd)),
        currency: Some("USD".into()),
        stage: Some("committed".into()),
        links: vec![NewLink {
            need: Some(n),
            quantity: Some(json!(usd)),
        }],
        ..Default::default()
    };
    // Without a value, cash cannot count against goods.
    assert_eq!(
        invalid_fields(s.create_contribution(&actor(), &cash(60_000)).await.unwrap_err()),
        ["links[0].need:not_valued"]
    );
    s.update_item(&actor(), "BIO-O2-CONCENTRATOR", None, &patch_value("500"))
        .await
        .unwrap();
    s.create_contribution(&actor(), &cash(60_000)).await.unwrap();
    let got = s.need(n).await.unwrap();
    assert_eq!(got.status, needsdb_domain::NeedStatus::PartlyMet);
    assert_eq!(got.coverage.committed, json!(0), "no concentrators arrived in kind");
    assert_eq!(got.coverage.unmet, json!(80), "$60,000 buys 120 of the 200 at $500");
    let usd = got.coverage_usd.unwrap();
    assert_eq!(
        (usd.needed, usd.committed, usd.unmet),
        (json!(100_000), json!(60_000), json!(40_000))
    );
    // Goods and cash together meet it.
    s.create_contribution(
        &actor(),
        &NewContribution {
            donor: Some("IND".into()),
            recipient: Some("KEN".into()),
            item: Some("BIO-O2-CONCENTRATOR".into()),
            quantity: Some(json!(80)),
            stage: Some("committed".into()),
            links: vec![NewLink {
                need: Some(n),
                quantity: Some(json!(80)),
            }],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(s.need(n).await.unwrap().status, needsdb_domain::NeedStatus::Met);
    // Coverage in US dollars adds across items; needs with no value are counted apart.
    validated_need(b, "KEN", "PPE-GOWN", json!(1000)).await;
    let rows = s
        .coverage_usd(
            needsdb_store::CoverageBy::Country,
            &NeedQuery {
                country: Some("KEN".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].needs, rows[0].unvalued_needs), (1, 1));
    assert_eq!(
        (
            rows[0].coverage.needed.clone(),
            rows[0].coverage.committed.clone(),
            rows[0].coverage.unmet.clone()
        ),
        (json!(100_000), json!(100_000), json!(0))
    );
}

pub async fn two_reports_from_one_side_are_never_merged_at_once(b: &Backend) {
    let s = &b.store;
    let n = validated_need(b, "KEN", "PPE-GOWN", json!(1000)).await;
    let user = new_user;
    let desk = s
        .create_user(&actor(), &user("desk@mea.gov.in", Role::Partner, None, Some("IND")))
        .await
        .unwrap();
    let desk2 = s
        .create_user(&actor(), &user("desk2@mea.gov.in", Role::Partner, None, Some("IND")))
        .await
        .unwrap();
    let ministry = s
        .create_user(&actor(), &user("fp@moh.go.ke", Role::FocalPoint, Some("KEN"), None))
        .await
        .unwrap();
    let report = |date: &str| NewContribution {
        donor: Some("IND".into()),
        recipient: Some("KEN".into()),
        item: Some("PPE-GOWN".into()),
        quantity: Some(json!(100)),
        stage: Some("committed".into()),
        stage_date: Some(date.into()),
        links: vec![NewLink {
            need: Some(n),
            quantity: Some(json!(100)),
        }],
        ..Default::default()
    };
    let receiving = s
        .create_contribution(&Actor::user(ministry.id), &report("2026-03-01"))
        .await
        .unwrap();
    let first = s
        .create_contribution(&Actor::user(desk.id), &report("2026-03-02"))
        .await
        .unwrap();
    assert_eq!(s.contribution(first.id).await.unwrap().merged_into, Some(receiving.id));
    // The donor reports a second shipment of the same size: the receiving
    // report already has its match, and the two donor reports are never merged.
    let second = s
        .create_contribution(&Actor::user(desk2.id), &report("2026-03-10"))
        .await
        .unwrap();
    let second = s.contribution(second.id).await.unwrap();
    assert_eq!(second.merged_into, None);
    assert_eq!(second.reported_side.as_deref(), Some("donor"));
    assert_eq!(s.need(n).await.unwrap().coverage.committed, json!(200));
}

pub async fn merged_reports_are_never_listed_as_funded(b: &Backend) {
    let s = &b.store;
    let n = validated_need(b, "KEN", "PPE-GOWN", json!(1000)).await;
    let give = |q: i64| NewContribution {
        donor: Some("IND".into()),
        recipient: Some("KEN".into()),
        item: Some("PPE-GOWN".into()),
        quantity: Some(json!(q)),
        stage: Some("committed".into()),
        links: vec![NewLink {
            need: Some(n),
            quantity: Some(json!(q)),
        }],
        ..Default::default()
    };
    let a = s.create_contribution(&actor(), &give(100)).await.unwrap();
    let d = s.create_contribution(&actor(), &give(100)).await.unwrap();
    s.merge_contributions(&actor(), a.id, d.id).await.unwrap();
    let list = s
        .contributions(&ContributionQuery {
            donor: Some("IND".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let funded: i64 = list
        .items
        .iter()
        .filter(|c| c.funded)
        .map(|c| c.quantity.as_i64().unwrap())
        .sum();
    assert_eq!(json!(funded), s.need(n).await.unwrap().coverage.committed);
    let merged = list.items.iter().find(|c| c.id == d.id).unwrap();
    assert!(!merged.funded && !merged.counted && merged.merged_into == Some(a.id));
}

pub async fn descending_priority_puts_critical_first(b: &Backend) {
    let s = &b.store;
    for p in ["low", "critical", "medium", "high"] {
        let mut input = need("KEN", "PPE-GOWN", json!(10));
        input.priority = Some(p.into());
        s.create_need(&actor(), &input, false).await.unwrap();
    }
    let order = |sort: &str| {
        let q = NeedQuery {
            sort: Some(sort.into()),
            limit: Some(2),
            ..Default::default()
        };
        async move {
            let mut out = Vec::new();
            let mut q = q;
            loop {
                let page = s.needs(&q).await.unwrap();
                out.extend(page.items.iter().map(|n| n.priority.as_str()));
                match page.next {
                    Some(c) => q.cursor = Some(c),
                    None => return out,
                }
            }
        }
    };
    assert_eq!(order("-priority").await, ["critical", "high", "medium", "low"]);
    assert_eq!(order("priority").await, ["low", "medium", "high", "critical"]);
    assert_eq!(order("-needed_by").await.len(), 4);
}

pub async fn audit_verify_names_records_changed_behind_its_back(b: &Backend) {
    let s = &b.store;
    let n = validated_need(b, "KEN", "BIO-O2-CONCENTRATOR", json!(100)).await;
    let c = s
        .create_contribution(
            &actor(),
            &NewContribution {
                donor: Some("IND".into()),
                recipient: Some("KEN".into()),
                item: Some("BIO-O2-CONCENTRATOR".into()),
                quantity: Some(json!(10)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut import = rows(vec![
        NewNeed {
            external_id: Some("moh-1".into()),
            ..need("UGA", "PPE-GOWN", json!(10))
        },
        NewNeed {
            external_id: Some("moh-2".into()),
            ..need("UGA", "PPE-GOWN", json!(20))
        },
    ]);
    s.import(&actor(), &mut import, &import_opts(false)).await.unwrap();
    let clean = s.audit_verify().await.unwrap();
    assert!(clean.records.is_empty(), "{:?}", clean.records);
    assert!(clean.records_checked >= 4, "{}", clean.records_checked);
    // Edits made straight to the rows, past the store and its log.
    b.exec(&format!("UPDATE needs SET quantity = 5000000 WHERE id = {n}"))
        .await;
    b.exec(&format!("UPDATE contributions SET donor = 'CHN' WHERE id = {}", c.id))
        .await;
    b.exec("UPDATE needs SET quantity = 999 WHERE external_id = 'moh-2'")
        .await;
    let r = s.audit_verify().await.unwrap();
    assert!(r.first_bad.is_none(), "the log itself is intact");
    let named: Vec<(String, String)> = r.records.iter().map(|m| (m.entity.clone(), m.id.clone())).collect();
    assert!(named.contains(&("need".into(), n.to_string())), "{named:?}");
    assert!(named.contains(&("contribution".into(), c.id.to_string())), "{named:?}");
    assert!(
        named.iter().any(|(e, id)| e == "need" && id.contains('-')),
        "the imported needs: {named:?}"
    );
    let need_diff = r.records.iter().find(|m| m.id == n.to_string()).unwrap();
    assert!(
        need_diff.differences.iter().any(|d| d.starts_with("quantity: 100")),
        "{need_diff:?}"
    );
}

/// Tokens and sessions are kept per data version in each process. A
/// revocation or a disabled user through one process ends them in the other
/// at its next request, and one that expires ends with nothing written.
pub async fn kept_callers_end_at_once_in_every_process(b: &Backend) {
    let a = b.store.clone();
    let other = needsdb_store::open(&b.url).await.unwrap();
    let user = |email: &str| NewUser {
        email: email.into(),
        password_hash: "h".into(),
        role: Role::Viewer,
        country: None,
        org: None,
        must_change_password: false,
    };
    let token = |user_id: i64, hash: &str| needsdb_store::NewToken {
        user_id,
        name: "script".into(),
        prefix: "ndb_abcd".into(),
        token_hash: hash.into(),
        expires_at: None,
    };
    let u = a.create_user(&actor(), &user("kept@who.int")).await.unwrap();
    let t = a.create_token(&actor(), &token(u.id, "kept-token")).await.unwrap();
    a.create_session(&actor(), u.id, "kept-session", "csrf", chrono::Duration::hours(1))
        .await
        .unwrap();
    for s in [&*a, &*other] {
        for _ in 0..2 {
            assert_eq!(s.token("kept-token").await.unwrap().unwrap().1.id, u.id);
            assert_eq!(s.session("kept-session").await.unwrap().unwrap().user.id, u.id);
        }
    }

    other.revoke_token(&actor(), t.id).await.unwrap();
    assert!(a.token("kept-token").await.unwrap().is_none(), "revoked elsewhere");
    other.revoke_session(&actor(), "kept-session").await.unwrap();
    assert!(
        a.session("kept-session").await.unwrap().is_none(),
        "signed out elsewhere"
    );

    // A user disabled through one process loses its token and session in the other.
    let v = a.create_user(&actor(), &user("disabled@who.int")).await.unwrap();
    a.create_token(&actor(), &token(v.id, "disabled-token")).await.unwrap();
    a.create_session(&actor(), v.id, "disabled-session", "csrf", chrono::Duration::hours(1))
        .await
        .unwrap();
    assert!(a.token("disabled-token").await.unwrap().is_some());
    assert!(a.session("disabled-session").await.unwrap().is_some());
    let off = needsdb_store::UserUpdate {
        disabled: Some(true),
        ..Default::default()
    };
    other.update_user(&actor(), v.id, &off).await.unwrap();
    assert!(
        a.token("disabled-token").await.unwrap().is_none(),
        "user disabled elsewhere"
    );
    assert!(
        a.session("disabled-session").await.unwrap().is_none(),
        "user disabled elsewhere"
    );

    // A session that runs out ends without a write to move the version.
    a.create_session(&actor(), u.id, "short", "csrf", chrono::Duration::milliseconds(1500))
        .await
        .unwrap();
    assert!(a.session("short").await.unwrap().is_some());
    let version = a.data_version().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    assert_eq!(a.data_version().await.unwrap(), version, "nothing was written");
    assert!(a.session("short").await.unwrap().is_none(), "expired while kept");
}

/// Every aggregate the store keeps per data version, as JSON, read through `s`.
async fn aggregates(s: &dyn needsdb_store::Store) -> serde_json::Value {
    use needsdb_store::CoverageBy;
    let all = NeedQuery::default();
    let ken = NeedQuery {
        country: Some("KEN".into()),
        ..Default::default()
    };
    json!({
        "by_country": s.coverage(CoverageBy::Country, &all).await.unwrap(),
        "by_item_ken": s.coverage(CoverageBy::Item, &ken).await.unwrap(),
        "usd_by_country": s.coverage_usd(CoverageBy::Country, &all).await.unwrap(),
        "usd_by_cluster": s.coverage_usd(CoverageBy::Cluster, &all).await.unwrap(),
        "monthly": s.monthly("BIO-O2-CONCENTRATOR").await.unwrap(),
        "delivered": s.delivered_by_country(Some("BIO-O2-CONCENTRATOR")).await.unwrap(),
        "delivered_usd": s.delivered_by_country(None).await.unwrap(),
        "allocation": s.allocation_inputs("BIO-O2-CONCENTRATOR").await.unwrap().len(),
    })
}

/// Two server processes on one database each keep aggregates per data
/// version. After any write through either, a read through the other shows
/// it: its answer equals one computed by a third store that keeps nothing
/// yet, and the data version has moved.
pub async fn kept_aggregates_are_never_stale_across_processes(b: &Backend) {
    let a = b.store.clone();
    let other = needsdb_store::open(&b.url).await.unwrap();
    // Both processes keep answers as of the start.
    let start = aggregates(&*a).await;
    assert_eq!(aggregates(&*other).await, start);
    assert!(!other.answers().is_empty(), "the aggregates are kept");
    let mut w = TwoProcesses {
        a: &*a,
        other: &*other,
        url: &b.url,
        version: a.data_version().await.unwrap(),
        seen: vec![start],
    };

    // 1. A need, written through the first process and validated through the second.
    let n = a
        .create_need(&actor(), &need("KEN", "BIO-O2-CONCENTRATOR", json!(100)), true)
        .await
        .unwrap();
    w.after("need created", 0, false).await;
    other
        .change_need_status(&actor(), n.id, None, &to("validated"))
        .await
        .unwrap();
    w.after("need validated", 1, true).await;

    // 2. A pledge through the second, committed and delivered through the first.
    let c = other
        .create_contribution(
            &actor(),
            &NewContribution {
                donor: Some("IND".into()),
                recipient: Some("KEN".into()),
                item: Some("BIO-O2-CONCENTRATOR".into()),
                quantity: Some(json!(40)),
                stage: Some("pledged".into()),
                links: vec![NewLink {
                    need: Some(n.id),
                    quantity: Some(json!(40)),
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    w.after("pledge", 1, true).await;
    for (st, name) in [
        ("committed", "committed"),
        ("shipped", "shipped"),
        ("delivered", "delivered"),
    ] {
        a.advance_contribution(&actor(), c.id, None, &stage(st)).await.unwrap();
        // Shipping moves nothing counted: committed goods are still committed.
        w.after(name, 0, st != "shipped").await;
    }

    // 3. A new unit value through the second revalues the need in US dollars.
    other
        .update_item(&actor(), "BIO-O2-CONCENTRATOR", None, &patch_value("650"))
        .await
        .unwrap();
    w.after("item revalued", 1, true).await;

    // 4. An import through the first.
    let mut src = rows(vec![need("UGA", "BIO-O2-CONCENTRATOR", json!(7))]);
    a.import(&actor(), &mut src, &import_opts(false)).await.unwrap();
    w.after("import", 0, false).await;

    // 5. The need withdrawn through the second.
    other
        .change_need_status(&actor(), n.id, None, &to("withdrawn"))
        .await
        .unwrap();
    w.after("need withdrawn", 1, true).await;
    assert_eq!(w.seen.len(), 10, "the start and nine writes");
}

/// The two processes of `kept_aggregates_are_never_stale_across_processes`,
/// and what they have shown so far.
struct TwoProcesses<'a> {
    a: &'a dyn needsdb_store::Store,
    other: &'a dyn needsdb_store::Store,
    url: &'a str,
    version: needsdb_store::DataVersion,
    seen: Vec<serde_json::Value>,
}

impl TwoProcesses<'_> {
    /// After a write through process `writer` (0 or 1): the version moved,
    /// and both processes answer as a store that keeps nothing yet does.
    async fn after(&mut self, what: &str, writer: usize, changes: bool) {
        let fresh = aggregates(&*needsdb_store::open(self.url).await.unwrap()).await;
        let now = self.other.data_version().await.unwrap();
        assert!(
            now.seq > self.version.seq,
            "{what}: the data version moves with every write"
        );
        assert_eq!(
            self.a.data_version().await.unwrap(),
            now,
            "{what}: one version for every process"
        );
        self.version = now;
        // The reader that did not write first, then the writer.
        let (reader, writer_store) = if writer == 0 {
            (self.other, self.a)
        } else {
            (self.a, self.other)
        };
        assert_eq!(
            aggregates(reader).await,
            fresh,
            "{what}: read through the other process"
        );
        assert_eq!(aggregates(writer_store).await, fresh, "{what}: read through the writer");
        // A list presents the coverage columns kept with each need; a need
        // read alone sums its links afresh. They agree after every write.
        // The default page is kept per version in each process, so it must
        // also equal the page a store that keeps nothing reads.
        let page = NeedQuery::default();
        let fresh_page = json!(needsdb_store::open(self.url).await.unwrap().needs(&page).await.unwrap());
        for store in [self.a, self.other] {
            let kept = store.needs(&page).await.unwrap();
            assert_eq!(json!(kept), fresh_page, "{what}: the kept list page");
            assert!(kept.next.is_none(), "{what}: one page holds every need of the case");
            for listed in kept.items {
                let alone = store.need(listed.id).await.unwrap();
                assert_eq!(
                    json!(listed),
                    json!(alone),
                    "{what}: need {} as listed and as read alone",
                    listed.id
                );
            }
        }
        if changes {
            assert_ne!(
                self.seen.last(),
                Some(&fresh),
                "{what}: the figures change, so a kept answer would show"
            );
        }
        self.seen.push(fresh);
    }
}

/// The plans of the lists people page through most, and of the needs list's
/// most used filters, pinned at a size where
/// a bad plan shows (20,000 needs and 20,000 contributions, statistics
/// gathered). One country's needs in id order, as `sql/needs.rs` asks for
/// them, come from an index on the country: PostgreSQL uses
/// `needs_country_id` (migration 0015); SQLite uses `needs_coverage` and
/// sorts the country's few hundred ids. One recipient's and one donor's
/// contributions, and the most recent first, come from their indexes
/// (migration 0016), never from a read of every contribution.
pub async fn list_plans_use_their_indexes(b: &Backend) {
    let postgres = !b.url.starts_with("sqlite:");
    let date = if postgres {
        "CAST('2027-01-15' AS DATE)"
    } else {
        "'2027-01-15'"
    };
    b.exec(&format!(
        "INSERT INTO needs (id, version, country, item, quantity, priority, needed_by, justification, reported_via, status, created_at, created_by, updated_at, updated_by)
         WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 19999),
              bc AS (SELECT iso3, ROW_NUMBER() OVER (ORDER BY iso3) - 1 AS k FROM countries WHERE nam_status = 'member'),
              bi AS (SELECT code, ROW_NUMBER() OVER (ORDER BY code) - 1 AS k FROM items WHERE unit_kind <> 'money')
         SELECT i + 1, 1, bc.iso3, bi.code, 10, 'high', {date}, '', 'import',
                CASE WHEN i % 10 = 0 THEN 'submitted' ELSE 'validated' END,
                '2026-01-01T00:00:00Z', 'test', '2026-01-01T00:00:00Z', 'test'
         FROM s JOIN bc ON bc.k = i % 121 JOIN bi ON bi.k = (i / 121) % 40"
    ))
    .await;
    // 20,000 contributions: from WHO to every member in turn, and a few
    // from India, dated over nine months.
    let stage_date = if postgres {
        "CAST('2026-0' || (1 + i % 9) || '-01' AS DATE)"
    } else {
        "'2026-0' || (1 + i % 9) || '-01'"
    };
    b.exec(&format!(
        "INSERT INTO contributions (id, version, donor, recipient, kind, item, quantity, covered, stage, stage_date, description, created_at, created_by, updated_at, updated_by)
         WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 19999),
              bc AS (SELECT iso3, ROW_NUMBER() OVER (ORDER BY iso3) - 1 AS k FROM countries WHERE nam_status = 'member')
         SELECT i + 1, 1, CASE WHEN i % 1000 = 0 THEN 'IND' ELSE 'WHO' END, bc.iso3, 'in_kind', 'PPE-GOWN', 10, 10,
                'pledged', {stage_date}, '', '2026-01-01T00:00:00Z', 'test', '2026-01-01T00:00:00Z', 'test'
         FROM s JOIN bc ON bc.k = i % 121"
    ))
    .await;
    b.exec("ANALYZE").await;
    let list = "SELECT n.id FROM needs n JOIN countries c ON c.iso3 = n.country JOIN items i ON i.code = n.item
                WHERE n.deleted_at IS NULL AND n.country IN ('KEN') ORDER BY n.id ASC, n.id ASC LIMIT 51";
    let plan = b.plan(list).await;
    if postgres {
        assert!(plan.contains("needs_country_id"), "{plan}");
        assert!(!plan.contains("needs_pkey"), "the list walks the primary key: {plan}");
    } else {
        assert!(plan.contains("needs_coverage (country=?)"), "{plan}");
    }
    // The filters people use most, as `sql/needs.rs` writes them: an item
    // (1 need in 40 here), a status (1 in 10), a cluster (the items in it, 1
    // in 10), a region (the countries in it, 2 in 5). None reads every need.
    // SQLite, without statistics, finds the matching needs by an index (and
    // sorts them for a cluster or a region); PostgreSQL takes the item's
    // 500 by `needs_item` and sorts them, and for the broader filters walks
    // the primary key in id order, keeping matches until it has a page.
    let needs = |filter: &str| {
        format!(
            "SELECT n.id FROM needs n JOIN countries c ON c.iso3 = n.country JOIN items i ON i.code = n.item
             WHERE n.deleted_at IS NULL{filter} ORDER BY n.id ASC, n.id ASC LIMIT 51"
        )
    };
    for (what, filter, sqlite_index, postgres_index) in [
        (
            "an item",
            " AND n.item = 'FOOD-RICE'",
            "needs_item (item=?)",
            "needs_item",
        ),
        (
            "a status",
            " AND n.status IN ('submitted')",
            "needs_status (status=?)",
            "needs_pkey",
        ),
        (
            "a cluster",
            " AND n.item IN (SELECT code FROM items WHERE cluster = 'food_security')",
            "needs_item (item=?)",
            "needs_pkey",
        ),
        (
            "a region",
            " AND n.country IN (SELECT iso3 FROM countries WHERE region_code = '002' OR subregion_code = '002')",
            "needs_coverage (country=?)",
            "needs_pkey",
        ),
    ] {
        let plan = b.plan(&needs(filter)).await;
        if postgres {
            assert!(plan.contains(postgres_index), "needs of {what}: {plan}");
            assert!(
                !plan.contains("Seq Scan on needs"),
                "needs of {what}: read every row: {plan}"
            );
        } else {
            assert!(plan.contains(sqlite_index), "needs of {what}: {plan}");
            assert!(
                !plan.lines().any(|l| l.trim() == "SCAN n"),
                "needs of {what}: read every row: {plan}"
            );
        }
    }
    // Contributions, as `sql/contributions.rs` lists them: one recipient's,
    // one donor's (a donor desk officer's own), and the most recent first
    // (the dashboard). Each from its index, never a read of every row.
    let contributions = |filter: &str, order: &str| {
        format!(
            "SELECT k.id FROM contributions k LEFT JOIN items i ON i.code = k.item LEFT JOIN countries c ON c.iso3 = k.recipient
             WHERE k.deleted_at IS NULL{filter} ORDER BY {order} LIMIT 51"
        )
    };
    for (what, sql, index) in [
        (
            "one recipient's",
            contributions(" AND k.recipient IN ('KEN')", "k.id ASC, k.id ASC"),
            "contributions_recipient",
        ),
        (
            "one donor's",
            contributions(" AND k.donor IN ('IND')", "k.id ASC, k.id ASC"),
            "contributions_donor",
        ),
        (
            "the most recent",
            contributions("", "k.stage_date DESC, k.id DESC"),
            "contributions_stage_date",
        ),
    ] {
        let plan = b.plan(&sql).await;
        assert!(plan.contains(index), "{what} contributions: {plan}");
        if !postgres {
            // A walk along the index in its order, stopped by the LIMIT, is
            // the plan wanted; a scan of the table, or a sort, is not.
            assert!(
                !plan.lines().any(|l| l.trim() == "SCAN k"),
                "{what} contributions read every row: {plan}"
            );
            assert!(!plan.contains("TEMP B-TREE"), "{what} contributions are sorted: {plan}");
        } else {
            assert!(
                !plan.contains("Seq Scan on contributions"),
                "{what} contributions read every row: {plan}"
            );
        }
    }
}

/// Writes validate against the catalogue kept per data version. A change to
/// the catalogue through another process moves the version, so the next
/// write through this one reads the catalogue as it is now: a new unit value
/// values the next need, and a retired item is refused.
pub async fn writes_validate_against_the_catalogue_as_it_is_now(b: &Backend) {
    let a = b.store.clone();
    let other = needsdb_store::open(&b.url).await.unwrap();
    let first = a
        .create_need(&actor(), &need("KEN", "BIO-O2-CONCENTRATOR", json!(2)), false)
        .await
        .unwrap();
    other
        .update_item(&actor(), "BIO-O2-CONCENTRATOR", None, &patch_value("650"))
        .await
        .unwrap();
    let second = a
        .create_need(&actor(), &need("KEN", "BIO-O2-CONCENTRATOR", json!(2)), false)
        .await
        .unwrap();
    assert_ne!(
        json!(first.value_usd),
        json!(second.value_usd),
        "the second need is valued at the new unit value"
    );
    assert_eq!(json!(second.value_usd), json!(1300), "2 × US$650");
    let item = other.item("BIO-O2-CONCENTRATOR").await.unwrap();
    other
        .retire_item(&actor(), "BIO-O2-CONCENTRATOR", Some(item.version))
        .await
        .unwrap();
    assert_eq!(
        invalid_fields(
            a.create_need(&actor(), &need("UGA", "BIO-O2-CONCENTRATOR", json!(5)), false)
                .await
                .unwrap_err()
        ),
        ["item:retired_item"],
        "a retired item is refused through the process that kept the catalogue"
    );
}

/// A write cancelled while it waits for the write lock (a client that went
/// away, a request that timed out) must not leave the lock behind. Its
/// connection once went back to the pool with BEGIN still on its way; when
/// BEGIN got the lock, that connection sat idle in its transaction holding
/// it, and every later write of the process waited forever.
pub async fn a_write_cancelled_while_it_waits_for_the_lock_leaves_no_lock_behind(b: &Backend) {
    let store = &b.store;
    let user = |email: &str| NewUser {
        email: email.into(),
        password_hash: "h".into(),
        role: Role::Viewer,
        country: None,
        org: None,
        must_change_password: false,
    };
    // Several pooled connections, so that a later write can be given one
    // the cancelled write did not use.
    let (p1, p2, p3, p4) = tokio::join!(store.ping(), store.ping(), store.ping(), store.ping());
    for p in [p1, p2, p3, p4] {
        p.unwrap();
    }
    // The write lock, held from outside the store as another process would.
    let holder = crate::harness::hold_write_lock(&b.url).await;
    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(500),
        store.create_user(&actor(), &user("cancelled@who.int")),
    )
    .await;
    assert!(cancelled.is_err(), "the write did not wait for the lock held elsewhere");
    holder.release().await;
    // Time for the pool to take back whatever the cancelled write left.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    for n in 0..4 {
        let done = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            store.create_user(&actor(), &user(&format!("after-{n}@who.int"))),
        )
        .await;
        assert!(
            matches!(done, Ok(Ok(_))),
            "write {n} after a cancelled one did not finish: {done:?}"
        );
    }
    assert!(
        store.user_by_email("cancelled@who.int").await.unwrap().is_none(),
        "the cancelled write was stored"
    );
}

/// A contribution's first version is made from what was written (on
/// PostgreSQL in one statement, without reading the row back). It must be
/// the record exactly as the store reads it later: the log's check finds
/// no difference, and the next version's "before" is the first version.
pub async fn a_new_contribution_is_recorded_exactly_as_stored(b: &Backend) {
    let s = &b.store;
    let first = validated_need(b, "KEN", "BIO-O2-CONCENTRATOR", json!(100)).await;
    let second = validated_need(b, "KEN", "BIO-O2-CONCENTRATOR", json!(50)).await;
    let c = s
        .create_contribution(
            &actor(),
            &NewContribution {
                donor: Some("IND".into()),
                recipient: Some("KEN".into()),
                item: Some("BIO-O2-CONCENTRATOR".into()),
                quantity: Some(json!(30)),
                stage: Some("pledged".into()),
                description: Some("two needs, the later first".into()),
                // Given in the reverse of the order the store keeps them in.
                links: vec![
                    NewLink {
                        need: Some(second),
                        quantity: Some(json!(10)),
                    },
                    NewLink {
                        need: Some(first),
                        quantity: Some(json!(20)),
                    },
                ],
                earmarks: vec![
                    NewEarmark {
                        target: Some("cluster:Health".into()),
                        share_percent: Some(json!(60)),
                        amount: None,
                    },
                    NewEarmark {
                        target: Some("nam-members".into()),
                        share_percent: Some(json!(40)),
                        amount: None,
                    },
                ],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let audit = s.audit_verify().await.unwrap();
    assert!(audit.first_bad.is_none(), "{:?}", audit.first_bad);
    assert!(audit.records.is_empty(), "recorded unlike stored: {:?}", audit.records);
    s.advance_contribution(&actor(), c.id, None, &stage("committed"))
        .await
        .unwrap();
    let history = s.contribution_history(c.id).await.unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    let logged_before = s.audit_verify().await.unwrap();
    assert!(logged_before.records.is_empty(), "{:?}", logged_before.records);
    let mut first_version = history[0].data.clone();
    let mut now = history[1].data.clone();
    for v in [&mut first_version, &mut now] {
        if let serde_json::Value::Object(m) = v {
            for changed in ["version", "stage", "stage_date", "updated_at", "updated_by"] {
                m.remove(changed);
            }
        }
    }
    assert_eq!(
        first_version, now,
        "the first version differs from the row as read back"
    );
}

/// Pledges and need edits from two processes at once, linking the same
/// needs in crosswise orders, with whole writes (stage changes) among them:
/// on PostgreSQL record writes run side by side (`WriteKind::Record`), on
/// SQLite one at a time. Every write must succeed, every need's coverage
/// must be the sum of what was pledged to it, and the chain must verify
/// with every record as its log says.
pub async fn record_writes_side_by_side_keep_coverage_and_the_chain_exact(b: &Backend) {
    let s = &b.store;
    let other = needsdb_store::open(&b.url).await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(validated_need(b, "KEN", "BIO-O2-CONCENTRATOR", json!(1000)).await);
    }
    // Two earlier pledges, one unit each, to the first and the last need:
    // whole writes move them to committed among the record writes.
    let mut earlier = Vec::new();
    for id in [ids[0], ids[3]] {
        let c = s
            .create_contribution(&actor(), &gift_to_kenya("pledged", &[(id, 1)]))
            .await
            .unwrap();
        earlier.push(c.id);
    }
    // Pledge k links two needs, the later one first when k is odd.
    let pairs: Vec<(i64, i64)> = (0..24)
        .map(|k: usize| {
            let (x, y) = (ids[k % 4], ids[(k + 1) % 4]);
            if k % 2 == 1 { (y, x) } else { (x, y) }
        })
        .collect();
    let mut tasks = Vec::new();
    for (k, (x, y)) in pairs.iter().copied().enumerate() {
        let store = if k % 2 == 0 { s.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move {
            let input = gift_to_kenya("committed", &[(x, 2), (y, 3)]);
            store.create_contribution(&actor(), &input).await.map(|_| ())
        }));
    }
    for (k, id) in ids.iter().copied().cycle().take(12).enumerate() {
        let store = if k % 2 == 0 { other.clone() } else { s.clone() };
        tasks.push(tokio::spawn(async move {
            let patch = NewNeed {
                justification: Some(format!("edit {k}, side by side with pledges")),
                ..Default::default()
            };
            store.update_need(&actor(), id, None, &patch).await.map(|_| ())
        }));
    }
    for c in earlier {
        let store = s.clone();
        tasks.push(tokio::spawn(async move {
            store
                .advance_contribution(&actor(), c, None, &stage("committed"))
                .await
                .map(|_| ())
        }));
    }
    let mut failed = Vec::new();
    for t in tasks {
        if let Err(e) = t.await.unwrap() {
            failed.push(e.to_string());
        }
    }
    assert!(failed.is_empty(), "writes failed: {failed:?}");
    let pledged_to = |id: i64| -> i64 {
        pairs
            .iter()
            .map(|(x, y)| {
                if *x == id {
                    2
                } else if *y == id {
                    3
                } else {
                    0
                }
            })
            .sum::<i64>()
            + i64::from(id == ids[0] || id == ids[3])
    };
    for id in &ids {
        let n = s.need(*id).await.unwrap();
        assert_eq!(
            n.coverage.committed,
            json!(pledged_to(*id)),
            "need {id}: committed is not the sum of what was pledged to it"
        );
        assert_eq!(n.status.as_str(), "partly_met", "need {id}");
        assert_eq!(
            other.need(*id).await.unwrap().coverage,
            n.coverage,
            "the other process agrees"
        );
    }
    let audit = s.audit_verify().await.unwrap();
    assert!(audit.first_bad.is_none(), "the chain broke at {:?}", audit.first_bad);
    assert!(audit.records.is_empty(), "recorded unlike stored: {:?}", audit.records);
    assert_eq!(b.count("contributions").await, 26);
}

/// Both sides of six flows report at the same moment, from two processes,
/// with no needs linked (so nothing holds them apart but the audit chain):
/// each pair must still end as one flow, one report merged into the other,
/// as when they come one after the other. Which one is kept depends on
/// which was recorded first, not on their ids: side by side, a report may
/// take the smaller id and still be recorded second.
pub async fn reports_from_both_sides_at_once_are_matched_as_one(b: &Backend) {
    let s = &b.store;
    let other = needsdb_store::open(&b.url).await.unwrap();
    let user = new_user;
    let desk = s
        .create_user(&actor(), &user("desk@mea.gov.in", Role::Partner, None, Some("IND")))
        .await
        .unwrap();
    let recipients = ["KEN", "UGA", "TZA", "ETH", "GHA", "NGA"];
    let mut tasks = Vec::new();
    for (k, country) in recipients.iter().enumerate() {
        let ministry = s
            .create_user(
                &actor(),
                &user(&format!("fp@moh.{country}.test"), Role::FocalPoint, Some(country), None),
            )
            .await
            .unwrap();
        for (side, who) in [(0, desk.id), (1, ministry.id)] {
            let store = if (k + side) % 2 == 0 { s.clone() } else { other.clone() };
            let report = NewContribution {
                donor: Some("IND".into()),
                recipient: Some((*country).into()),
                item: Some("PPE-GOWN".into()),
                quantity: Some(json!(40 + k)),
                stage: Some("committed".into()),
                stage_date: Some("2026-03-01".into()),
                ..Default::default()
            };
            tasks.push(tokio::spawn(async move {
                store
                    .create_contribution(&Actor::user(who), &report)
                    .await
                    .map(|c| c.id)
            }));
        }
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap().unwrap());
    }
    for pair in ids.chunks(2) {
        let (a, b2) = (
            s.contribution(pair[0]).await.unwrap(),
            s.contribution(pair[1]).await.unwrap(),
        );
        let merged = match (a.merged_into, b2.merged_into) {
            (None, Some(kept)) => kept == a.id,
            (Some(kept), None) => kept == b2.id,
            _ => false,
        };
        assert!(
            merged,
            "the two reports of one flow ({} and {}) were not matched as one: merged into {:?} and {:?}",
            a.id, b2.id, a.merged_into, b2.merged_into
        );
    }
    let audit = s.audit_verify().await.unwrap();
    assert!(audit.first_bad.is_none(), "the chain broke at {:?}", audit.first_bad);
    assert!(audit.records.is_empty(), "recorded unlike stored: {:?}", audit.records);
}
