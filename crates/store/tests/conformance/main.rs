//! One conformance suite, run against SQLite and PostgreSQL alike.
//! Every case is written once in `cases` and instantiated per store.

// Tests may panic on what they did not expect; that is how they fail.
#![allow(clippy::unwrap_used)]

mod cases;
mod harness;

conformance!(
    migrate_is_repeatable_and_loads_reference_once,
    nam_counts_come_from_the_data_files,
    every_member_has_complete_reference_fields,
    reference_organisations_include_nam_observers,
    a_need_moves_through_its_lifecycle_with_versions,
    invalid_needs_are_rejected_and_nothing_is_written,
    illegal_need_status_changes_are_rejected,
    stale_versions_are_refused,
    only_one_of_concurrent_updates_wins,
    contributions_advance_and_drive_coverage,
    cancelling_a_contribution_reopens_its_needs,
    invalid_contributions_are_rejected_and_nothing_is_written,
    earmarked_cash_contribution_is_kept,
    financial_needs_are_counted_in_us_dollars,
    audit_chain_verifies_and_names_a_tampered_entry,
    audit_chain_detects_removed_entries,
    lists_filter_and_page,
    catalogue_can_be_extended,
    users_are_bound_to_their_country_or_organisation,
    external_ids_are_unique_per_country,
    lists_sort_and_page_with_cursors,
    scopes_limit_what_a_caller_sees,
    coverage_is_grouped_without_mixing_units,
    sessions_and_tokens_store_only_hashes_and_can_be_revoked,
    kept_callers_end_at_once_in_every_process,
    a_write_cancelled_while_it_waits_for_the_lock_leaves_no_lock_behind,
    a_new_contribution_is_recorded_exactly_as_stored,
    contribution_lists_filter_by_the_recipient_and_the_need,
    a_merged_report_keeps_its_history_but_counts_once,
    reports_from_both_sides_of_a_flow_are_matched_as_one,
    imports_are_all_or_nothing_idempotent_and_versioned,
    imports_keep_every_character_and_find_repeats_across_chunks,
    catalogue_items_are_checked_edited_valued_and_retired,
    cash_for_goods_counts_at_the_needs_value,
    two_reports_from_one_side_are_never_merged_at_once,
    merged_reports_are_never_listed_as_funded,
    descending_priority_puts_critical_first,
    audit_verify_names_records_changed_behind_its_back,
    kept_aggregates_are_never_stale_across_processes,
    list_plans_use_their_indexes,
    writes_validate_against_the_catalogue_as_it_is_now,
    record_writes_side_by_side_keep_coverage_and_the_chain_exact,
    reports_from_both_sides_at_once_are_matched_as_one,
);
