//! The same store tests on SQLite and on PostgreSQL.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

mod conformance {
    pub mod api_tokens;
    pub mod auth;
    pub mod case_file;
    pub mod case_people;
    pub mod case_queue;
    pub mod cases;
    pub mod decisions;
    pub mod directory;
    pub mod jobs;
    pub mod keys;
    pub mod onward;
    pub mod own_referrals;
    pub mod privacy;
    pub mod read_transactions;
    pub mod robustness;
    pub mod signalements;
    pub mod support;
    pub mod triage;
}

/// Generates one test per backend for each case in `cases`.
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = relais_store::testing::sqlite().await.unwrap();
                    let store = relais_store::testing::store(&db).await.unwrap();
                    crate::conformance::cases::$case(&store).await;
                    store.close().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = relais_store::testing::postgres_migrated()
                        .await
                        .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)");
                    let store = relais_store::testing::store(&db).await.unwrap();
                    crate::conformance::cases::$case(&store).await;
                    store.close().await;
                }
            )*
        }
    };
}

/// One test per backend for each case in `cases` that opens several
/// stores (e.g. with different keys) on one database.
macro_rules! on_both_databases {
    ($($case:ident),* $(,)?) => {
        mod sqlite_databases {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = relais_store::testing::sqlite().await.unwrap();
                    crate::conformance::keys::$case(&db).await;
                }
            )*
        }
        mod postgres_databases {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = relais_store::testing::postgres()
                        .await
                        .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)");
                    crate::conformance::keys::$case(&db).await;
                }
            )*
        }
    };
}

on_both_databases!(rotation_resumes_after_an_interruption_and_retires_the_old_key);

on_both_backends!(
    migrations_are_idempotent,
    organisations_and_users_round_trip,
    organisation_scope_hides_other_organisations,
    the_user_list_pages_and_searches,
    a_referrers_list_pages_by_keyset_and_names_the_drafts,
    organisation_administrators_cannot_grant_national_roles,
    duplicate_email_is_a_conflict,
    unaudited_transaction_is_refused,
    rolled_back_change_leaves_no_audit_row,
    audit_chain_verifies_and_names_tampered_rows,
    audit_chain_verifies_across_chunks,
    audit_rows_written_several_to_a_statement_keep_their_order_and_verify,
    a_rolled_back_transaction_of_several_statements_leaves_no_audit_row,
    a_reader_of_the_trail_inside_a_write_transaction_sees_its_rows_not_yet_written,
    sessions_expire_rotate_and_end_on_role_change,
    throttle_delays_grow_without_locking_out_a_trusted_device,
    throttle_delays_grow_per_address_and_admit_one_attempt_at_a_time,
    expired_sessions_are_purged_by_the_scheduled_job,
    audit_rows_record_a_keyed_hash_of_the_client_address,
    setup_link_works_once,
    totp_step_cannot_be_used_twice,
    totp_secret_is_encrypted_at_rest,
    catalogues_load_once_and_versions_are_immutable,
    api_tokens_authenticate_until_revoked,
    api_referrals_are_read_back_only_by_their_organisation,
    // Triage queue and duplicate-person detection (conformance/triage.rs).
    triage_queue_filters_by_departement_child_urgency_and_age,
    the_triage_queue_pages_by_keyset_and_counts_what_waits,
    triage_scope_hides_other_departements,
    accepting_creates_a_person_and_a_case_and_finds_the_cyrillic_duplicate,
    rejection_needs_a_reason_and_is_final,
    information_request_goes_back_to_the_queue_on_reply,
    anonymous_notifications_are_only_recorded,
    triage_reads_are_audited_and_child_tasks_can_be_completed,
    signalement_follow_up_shows_status_with_the_right_passphrase,
    signalement_wrong_passphrase_is_refused,
    signalement_code_is_locked_after_five_wrong_passphrases,
    signalement_add_information_adds_a_reporter_message,
    signalement_sixth_submission_from_an_address_is_throttled,
    signalement_details_are_encrypted_at_rest,
    signalement_about_a_child_creates_the_protection_task,
    signalement_form_token_files_once_and_its_receipt_shows_once,
    // Busy databases, staged imports, spreadsheet-safe exports (conformance/robustness.rs).
    directory_export_neutralises_formulas_and_imports_back,
    directory_import_is_staged_in_batches_and_applied_at_once,
    // Decisions keep their grounds (conformance/decisions.rs).
    the_store_refuses_a_decision_without_its_reasons_or_a_negative_one_without_a_note,
    // The data-protection lifecycle (conformance/privacy.rs).
    retention_dry_run_counts_and_the_run_erases_all_but_held_cases,
    audit_rows_past_their_retention_are_purged_behind_a_signed_checkpoint,
    erasure_on_request_takes_two_people_and_leaves_no_row,
    the_erasure_walk_and_the_register_know_every_table,
    every_column_naming_an_erased_row_leads_an_index,
    the_subject_access_export_withholds_with_reasons_after_four_eyes,
    emergency_access_opens_a_case_outside_reach_alerts_and_waits_for_review,
    // The case queue in deadline order (conformance/case_queue.rs).
    the_case_queue_pages_by_deadline_and_counts_what_is_overdue,
    // Read transactions (conformance/read_transactions.rs).
    a_read_transaction_reads_while_a_writer_holds_the_lock_and_the_chain_stays_total,
    a_read_transaction_that_changes_data_is_refused_and_leaves_nothing,
    // Scheduled runs and their retries (conformance/jobs.rs).
    a_failed_run_is_retried_when_due_and_a_success_never_again,
    a_run_is_abandoned_after_its_last_attempt,
    a_claim_whose_process_died_is_taken_over_after_its_lease,
    // The case file and the people of a case (conformance/case_file.rs, case_people.rs).
    the_case_file_keeps_notes_documents_and_tasks_and_audits_each_read,
    a_note_that_rolls_back_leaves_no_row_and_no_audit_row,
    an_investigation_share_reads_what_its_purpose_opens_until_revoked,
    the_person_record_and_dependants_round_trip_encrypted_and_audited,
    an_investigation_share_reads_the_identity_without_safe_contact_or_dependants,
    // Needs, permits and closure (conformance/support.rs).
    needs_and_permits_round_trip_and_a_share_reads_without_health,
    a_case_closes_with_an_encrypted_summary_and_reopens_keeping_its_history,
    // The service directory (conformance/directory.rs).
    services_are_listed_by_departement_and_kind_and_places_change_only_by_their_owner,
    // Onward referrals (conformance/onward.rs).
    a_referral_reaches_the_service_sealed_and_minimised,
);
