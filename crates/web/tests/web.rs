//! Black-box tests of the web front: the real server, in-process on a free
//! port, against SQLite and PostgreSQL (one integration binary, kanidm-style).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

mod web {
    pub mod admin_users;
    pub mod annual;
    pub mod api;
    pub mod audit_log;
    pub mod auth;
    pub mod budget;
    pub mod case_access;
    pub mod case_people;
    pub mod case_team;
    pub mod case_workspace;
    pub mod cases;
    pub mod cases_flow;
    pub mod committee;
    pub mod coordination;
    pub mod digest;
    pub mod directory;
    pub mod equal_access;
    pub mod estimate;
    pub mod evaluation;
    pub mod exports;
    pub mod fuzz;
    pub mod harness;
    pub mod linkage;
    pub mod observatory;
    pub mod observatory_statistics;
    pub mod oidc_provider;
    pub mod onward;
    pub mod openid;
    pub mod pickers;
    pub mod privacy;
    pub mod publicforms;
    pub mod referrals;
    pub mod releases;
    pub mod rounds;
    pub mod screening;
    pub mod signalement;
    pub mod site;
    pub mod static_checks;
    pub mod studies;
    pub mod support;
    pub mod survey;
    pub mod timeliness;
    pub mod triage;
}

macro_rules! on_both_backends {
    ($($module:ident :: $case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = relais_store::testing::sqlite().await.unwrap();
                    let app = crate::web::harness::TestApp::start(&db).await;
                    crate::web::$module::$case(&app).await;
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
                    let app = crate::web::harness::TestApp::start(&db).await;
                    crate::web::$module::$case(&app).await;
                }
            )*
        }
    };
}

on_both_backends!(
    openid::a_known_agent_signs_in_through_the_provider_and_out_there,
    openid::an_unknown_agent_gets_an_access_request_the_administrator_approves,
    openid::refused_tokens_and_replays_are_refused_in_french_and_audited,
    openid::a_rotated_provider_key_is_fetched_again,
    openid::an_organisation_turns_password_sign_in_off,
    admin_users::administrators_search_users_and_see_last_sign_in_and_second_factor,
    case_workspace::the_case_header_and_tabs_follow_the_reader_and_every_action_is_confirmed,
    case_workspace::the_decision_letter_is_an_official_letter_in_the_persons_language,
    site::the_footer_leads_to_the_four_legal_pages_naming_the_publisher,
    site::public_pages_offer_a_quick_exit_and_callable_emergency_numbers,
    audit_log::the_audit_log_names_people_and_acts_and_filters_narrow_it,
    audit_log::one_request_is_one_line_and_pages_never_split_a_request,
    audit_log::the_audit_export_is_filtered_neutralised_and_audited,
    cases::login_page_is_french_dsfr_with_security_headers,
    cases::english_is_chosen_from_accept_language_and_switch,
    cases::wrong_password_keeps_the_email_and_says_why,
    cases::missing_csrf_token_is_refused_with_a_clear_page,
    cases::unknown_page_shows_request_id_and_nothing_internal,
    cases::login_with_totp_rotates_the_session,
    cases::expired_session_asks_to_sign_in_again,
    cases::repeated_failures_are_throttled,
    cases::admin_creates_user_who_sets_password_and_enrols_mfa,
    cases::every_route_declares_and_enforces_its_access,
    cases::reading_users_is_audited_and_chain_verifies,
    cases::health_and_metrics,
    cases::reauthentication_guesses_are_throttled_and_audited,
    cases::administrator_imports_a_catalogue_version_with_named_errors,
    cases::administrator_resets_a_password_with_a_new_link,
    auth::a_dangerous_next_after_login_gives_the_home_page,
    auth::an_attackers_failures_do_not_keep_the_owner_out,
    auth::an_untrusted_browser_waits_growing_delays_told_in_french,
    auth::a_device_cookie_for_another_account_or_badly_signed_is_ignored,
    auth::the_client_address_comes_from_a_trusted_proxy_only,
    auth::metrics_need_the_token_and_take_a_closed_set_of_methods,
    referrals::responder_writes_a_referral_step_by_step_and_submits,
    pickers::a_referral_takes_a_birth_date_in_three_fields_and_codes_from_lists,
    pickers::free_text_stored_before_the_lists_still_shows,
    pickers::the_case_record_takes_three_date_fields_and_lists,
    referrals::an_adult_who_refuses_is_notified_anonymously,
    referrals::a_child_skips_consent_and_the_crip_is_notified,
    referrals::incomplete_referrals_cannot_be_submitted_and_drafts_are_private,
    screening::a_sexual_exploitation_referral_gets_its_checklist_and_no_verdict,
    api::api_referral_is_submitted_and_followed_by_its_organisation,
    api::api_refuses_bad_requests_with_json,
    api::api_is_exempt_from_csrf_and_ignores_session_cookies,
    api::openapi_document_matches_snapshot_and_route_table,
    triage::identification_officer_filters_opens_asks_and_accepts,
    triage::the_queue_pages_keep_the_filters_and_the_dashboard_counts_all,
    triage::triage_is_refused_to_first_responders,
    triage::rejecting_without_a_reason_keeps_the_form,
    triage::the_referrer_answers_the_authority_in_the_thread,
    digest::the_daily_digest_reaches_officers_by_smtp_without_names,
    digest::a_digest_that_failed_is_sent_once_when_its_retry_is_due,
    digest::a_referrer_is_told_by_email_that_their_referral_was_accepted,
    cases_flow::a_case_goes_from_triage_to_a_formal_decision_with_four_eyes,
    cases_flow::the_case_queue_shows_a_page_at_a_time_in_deadline_order,
    cases_flow::health_notes_stay_hidden_from_the_police_on_a_shared_case,
    case_people::the_person_record_and_dependants_are_kept_safely,
    case_access::a_police_share_for_investigation_neither_edits_nor_sees_the_placement,
    case_access::every_case_route_answers_each_relation_as_the_policy_says,
    case_team::a_support_organisation_asks_for_reconsideration_and_a_transfer_moves_the_lead,
    onward::a_distant_placement_is_matched_sent_and_accepted_by_a_shelter_that_sees_only_what_it_was_sent,
    onward::a_shelters_dashboard_lists_requests_to_answer_and_places_to_update,
    onward::a_service_referral_needs_a_basis_and_carries_no_place_of_exploitation,
    equal_access::small_groups_show_less_than_five_never_a_count,
    timeliness::a_small_group_shows_no_figure_on_the_timeliness_page,
    timeliness::the_dashboards_show_kept_figures_with_their_time_until_they_are_stale,
    signalement::anonymous_signalement_shows_code_and_passphrase_once,
    signalement::signalement_honeypot_looks_like_success_but_stores_nothing,
    signalement::signalement_without_description_keeps_what_was_typed,
    signalement::signalement_follow_up_shows_status_and_takes_more_information,
    signalement::signalements_are_throttled_per_address,
    support::needs_are_assessed_and_the_plan_follows_the_latest,
    support::health_needs_stay_hidden_from_the_police_on_a_shared_case,
    support::a_permit_deadline_reaches_the_queue_and_the_digest,
    support::a_case_closes_with_its_outcome_and_reopens_with_its_history,
    coordination::a_plan_is_imported_edited_rated_and_published,
    evaluation::the_rapporteur_reads_prints_and_downloads_the_evaluation_report,
    rounds::a_round_asks_the_focal_point_who_answers_and_the_coordinator_validates,
    committee::the_coordinator_records_a_meeting_and_invites_the_members,
    committee::the_committee_is_refused_to_a_focal_point_and_an_analyst,
    budget::a_budget_is_entered_linked_to_measures_and_its_rates_shown,
    annual::the_coordinator_plans_a_year_and_its_completeness_follows,
    directory::services_are_listed_with_places_and_filtered,
    directory::places_are_updated_by_the_owning_organisation_only,
    directory::an_import_with_a_bad_line_names_it_and_imports_nothing,
    directory::a_good_import_is_counted_and_exported_departement_first,
    directory::accommodation_offers_become_placement_offers,
    observatory::an_analyst_imports_a_source_supersedes_and_restores,
    observatory::an_xlsx_file_is_imported_from_its_first_sheet,
    observatory::the_nrm_feeds_the_observatory_as_pseudonymised_records,
    observatory_statistics::an_analyst_reads_a_source_by_year_dimension_trend_and_map,
    releases::an_analyst_freezes_checks_and_publishes_a_release_anyone_reads,
    linkage::an_analyst_links_three_sources_and_reads_the_estimate,
    linkage::a_run_left_by_a_stopped_process_is_taken_over,
    estimate::an_analyst_compares_the_methods_on_a_file_and_on_a_linkage_run,
    estimate::an_estimate_left_by_a_stopped_process_is_taken_over,
    exports::the_analyst_downloads_the_eurostat_table_and_the_ctdc_extract_of_a_year,
    exports::the_htcds_file_of_a_case_goes_to_its_identification_authority_only,
    survey::an_association_fills_in_the_survey_and_the_observatory_follows,
    survey::the_associations_are_invited_by_email_and_the_late_reminded,
    survey::an_association_uploads_its_profiles_as_a_spreadsheet,
    studies::an_analyst_publishes_studies_as_a_link_and_a_pdf_and_the_public_sees_the_published_only,
    studies::training_is_recorded_after_an_error_and_counts_towards_a_plan_indicator,
    publicforms::a_refreshed_or_resent_signalement_is_filed_once,
    publicforms::uploads_up_to_the_announced_limit_are_accepted,
    api::api_errors_never_repeat_submitted_keys_or_values,
    api::an_idempotency_key_makes_one_referral_however_often_it_is_sent,
    privacy::emergency_access_alerts_by_email_and_in_app_and_waits_for_review,
    privacy::erasure_and_subject_access_take_two_people,
    privacy::the_dpo_sees_the_retention_report_confirms_and_runs_it_and_reads_the_register,
);

/// Cases that need a server with their own store options (issue 11).
mod publicforms_busy {
    use crate::web::publicforms;

    #[tokio::test]
    async fn sqlite_a_signalement_waits_out_a_busy_database() {
        publicforms::a_signalement_waits_out_a_busy_database().await;
    }

    #[tokio::test]
    async fn sqlite_a_signalement_that_cannot_be_saved_comes_back_filled_in() {
        publicforms::a_signalement_that_cannot_be_saved_comes_back_filled_in().await;
    }

    #[tokio::test]
    async fn sqlite_a_large_directory_import_lets_signalements_through() {
        let db = relais_store::testing::sqlite().await.unwrap();
        publicforms::a_large_directory_import_lets_signalements_through(&db).await;
    }

    #[tokio::test]
    async fn postgres_a_large_directory_import_lets_signalements_through() {
        let db = relais_store::testing::postgres()
            .await
            .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)");
        publicforms::a_large_directory_import_lets_signalements_through(&db).await;
    }
}

/// Arbitrary requests, on SQLite only: the code under test is the same on both backends.
mod fuzz_sqlite {
    #[test]
    fn api_referrals() {
        crate::web::fuzz::api_referrals();
    }

    #[test]
    fn api_reads() {
        crate::web::fuzz::api_reads();
    }

    #[test]
    fn public_forms() {
        crate::web::fuzz::public_forms();
    }

    #[test]
    fn every_route() {
        crate::web::fuzz::every_route();
    }
}
