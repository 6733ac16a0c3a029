//! Black-box tests of the web front: the real server, in-process on a free
//! port, against SQLite and PostgreSQL (one integration binary, kanidm-style).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests may fail loudly"
)]

mod web {
    pub mod cases;
    pub mod harness;
    pub mod signalement;
    pub mod static_checks;
}

macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = relais_store::testing::sqlite().await.unwrap();
                    let app = crate::web::harness::TestApp::start(&db).await;
                    crate::web::cases::$case(&app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = relais_store::testing::postgres()
                        .await
                        .expect("PostgreSQL tests need TEST_DATABASE_URL (make test sets it)");
                    let app = crate::web::harness::TestApp::start(&db).await;
                    crate::web::cases::$case(&app).await;
                }
            )*
        }
    };
}

on_both_backends!(
    login_page_is_french_dsfr_with_security_headers,
    english_is_chosen_from_accept_language_and_switch,
    wrong_password_keeps_the_email_and_says_why,
    missing_csrf_token_is_refused_with_a_clear_page,
    unknown_page_shows_request_id_and_nothing_internal,
    login_with_totp_rotates_the_session,
    expired_session_asks_to_sign_in_again,
    repeated_failures_are_throttled,
    admin_creates_user_who_sets_password_and_enrols_mfa,
    every_route_declares_and_enforces_its_access,
    reading_users_is_audited_and_chain_verifies,
    health_and_metrics,
    reauthentication_guesses_are_throttled_and_audited,
    administrator_imports_a_catalogue_version_with_named_errors,
    administrator_resets_a_password_with_a_new_link,
    anonymous_signalement_shows_code_and_passphrase_once,
    signalement_honeypot_looks_like_success_but_stores_nothing,
    signalement_without_description_keeps_what_was_typed,
    signalement_follow_up_shows_status_and_takes_more_information,
    signalements_are_throttled_per_address,
);
