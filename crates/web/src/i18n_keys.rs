//! The translation keys that pages build at run time from an enum
//! (`format!("case-status-{}", status.key())`) or from a list of string codes
//! (`format!("notice-{k}")`) escape the check that every literal key exists:
//! this test enumerates each family from the enum's `ALL` or from the list
//! the producing code reads, and asks both languages for every key, so a new
//! value without its French and English wording fails here rather than
//! showing a raw key. Some modules check their own built keys beside the code
//! (observatory pages, linkage, estimates, erasure tables,
//! audit words), from the same constants.

use crate::error::ErrorPage;
use crate::i18n::{Locale, Translations};
use crate::intake::screening_view::overall_message;
use crate::privacy::pages::REGISTER_PARTS;
use crate::site::legal::LegalPage;
use relais_domain::access::openid::Refusal;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::{Role, ScopeKind};
use relais_domain::casework::case_access::{PlacementProgress, SharePurpose};
use relais_domain::casework::case_file::Sensitivity;
use relais_domain::casework::case_people::Relation;
use relais_domain::casework::case_status::REASONS;
use relais_domain::casework::deadline::{QueueDeadline, Urgency};
use relais_domain::casework::placement::Exclusion;
use relais_domain::casework::rights::DeadlineKind;
use relais_domain::casework::sharing::Basis as ShareBasis;
use relais_domain::casework::{case_status, closure, needs, onward_referral, rights};
use relais_domain::coordination::budget::{self as budget, CreditNature};
use relais_domain::coordination::committee::MemberCategory;
use relais_domain::coordination::completeness::Gap;
use relais_domain::coordination::coverage::Coverage;
use relais_domain::coordination::evaluation::Agreement;
use relais_domain::coordination::round::UpdateStatus;
use relais_domain::coordination::status::{MeasureStatus, Rating};
use relais_domain::coordination::{annual, funding, measure};
use relais_domain::directory::ServiceKind;
use relais_domain::intake::date_fields::DateProblem;
use relais_domain::intake::person_match::Reason as PersonMatchReason;
use relais_domain::intake::referral::public::PossiblyMinor;
use relais_domain::intake::referral::steps::Step;
use relais_domain::intake::referral::steps::{CONSENT, PROBLEM_KEYS as REFERRAL_PROBLEMS, YES_NO};
use relais_domain::intake::referral::{AgeStatus, Location};
use relais_domain::intake::referral::{ExploitationForm, ReferralKind, Sex, status as referral_status};
use relais_domain::intake::screening::{Answer, DimensionResult, Overall};
use relais_domain::nationality::Group as NationalityGroup;
use relais_domain::observatory::library::{self as library, State as StudyState, StudyKind};
use relais_domain::observatory::release::{PROBLEMS as RELEASE_PROBLEMS, Status as ReleaseStatus};
use relais_domain::observatory::source::{DataKind, Unit};
use relais_domain::observatory::survey::QUESTIONS;
use relais_domain::observatory::training::{self as training, Profession};
use relais_domain::observatory::work::RunState;
use relais_domain::privacy::register::{Basis as RegisterBasis, REGISTER};
use relais_domain::privacy::retention::RecordKind;
use relais_domain::privacy::{RequestKind, RequestStatus, ReviewFinding, Withheld};
use relais_observatory::consolidate::Dimension as ObservatoryDimension;
use relais_observatory::import::value::FieldType;
use relais_observatory::release::Refusal as ReleaseRefusal;
use relais_observatory::statistics::LayoutError;
use relais_stats::{Dimension as EqualAccessDimension, MethodName, Metric};
use relais_store::casework::cases::COOPERATION;
use relais_store::coordination::JUSTIFICATION_FIELD;
use relais_store::directory::FileKind as DirectoryFile;
use relais_store::intake::referrals::Author;
use relais_store::observatory::survey::State as SurveyState;

/// Every key of a family built from a list of codes: `prefix` + each code.
fn codes<'a>(prefix: &str, codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    codes.into_iter().map(|code| format!("{prefix}{code}")).collect()
}

/// Every key of a family: `prefix` + each value's key + `suffix`.
fn family<T: Copy>(prefix: &str, all: &[T], key: fn(T) -> &'static str, suffix: &str) -> Vec<String> {
    all.iter().map(|v| format!("{prefix}{}{suffix}", key(*v))).collect()
}

fn run_time_keys() -> Vec<String> {
    let decisions: Vec<case_status::Event> = case_status::Event::ALL
        .into_iter()
        .filter(|e| e.is_decision())
        .collect();
    let families = [
        family("role-", &Role::ALL, Role::key, ""),
        family("role-", &Role::ALL, Role::key, "-description"),
        family("org-type-", &OrganisationType::ALL, OrganisationType::key, ""),
        family("oidc-refused-", &Refusal::ALL, Refusal::code, ""),
        family("case-share-purpose-", &SharePurpose::ALL, SharePurpose::as_str, ""),
        family("case-file-level-", &Sensitivity::ALL, Sensitivity::key, ""),
        family("people-relation-", &Relation::ALL, Relation::key, ""),
        family("case-status-", &case_status::Status::ALL, case_status::Status::key, ""),
        family("case-event-", &case_status::Event::ALL, case_status::Event::key, ""),
        family("closure-outcome-", &closure::Outcome::ALL, closure::Outcome::key, ""),
        family("need-kind-", &needs::NeedKind::ALL, needs::NeedKind::key, ""),
        family(
            "need-accommodation-",
            &needs::AccommodationType::ALL,
            needs::AccommodationType::key,
            "",
        ),
        family("need-urgency-", &needs::Urgency::ALL, needs::Urgency::key, ""),
        family("need-status-", &needs::NeedStatus::ALL, needs::NeedStatus::key, ""),
        family(
            "need-unmet-reason-",
            &needs::UnmetReason::ALL,
            needs::UnmetReason::key,
            "",
        ),
        family("need-return-risk-", &needs::ReturnRisk::ALL, needs::ReturnRisk::key, ""),
        family(
            "onward-kind-",
            &onward_referral::Kind::ALL,
            onward_referral::Kind::key,
            "",
        ),
        family(
            "onward-status-",
            &onward_referral::Status::ALL,
            onward_referral::Status::key,
            "",
        ),
        family(
            "onward-event-",
            &onward_referral::Event::ALL,
            onward_referral::Event::key,
            "",
        ),
        family(
            "onward-decline-",
            &onward_referral::DeclineReason::ALL,
            onward_referral::DeclineReason::key,
            "",
        ),
        family("permit-kind-", &rights::PermitKind::ALL, rights::PermitKind::key, ""),
        family("permit-outcome-", &rights::Outcome::ALL, rights::Outcome::key, ""),
        family(
            "permit-refusal-",
            &rights::RefusalReason::ALL,
            rights::RefusalReason::key,
            "",
        ),
        family("plan-gap-", &Gap::ALL, Gap::key, ""),
        family("plan-status-", &MeasureStatus::ALL, MeasureStatus::key, ""),
        family("plan-rating-", &Rating::ALL, Rating::key, ""),
        family("committee-category-", &MemberCategory::ALL, MemberCategory::key, ""),
        family("budget-nature-", &CreditNature::ALL, CreditNature::key, ""),
        family("directory-kind-", &ServiceKind::ALL, ServiceKind::key, ""),
        family("form-", &ExploitationForm::ALL, ExploitationForm::key, ""),
        family("sex-", &Sex::ALL, Sex::key, ""),
        family("signalement-minor-", &PossiblyMinor::ALL, PossiblyMinor::key, ""),
        family("referral-step-", &Step::ALL, Step::key, ""),
        family(
            "referral-status-",
            &referral_status::Status::ALL,
            referral_status::Status::key,
            "",
        ),
        family(
            "triage-status-",
            &referral_status::Status::ALL,
            referral_status::Status::key,
            "",
        ),
        family("privacy-request-kind-", &RequestKind::ALL, RequestKind::key, ""),
        family("privacy-request-status-", &RequestStatus::ALL, RequestStatus::key, ""),
        family("privacy-finding-", &ReviewFinding::ALL, ReviewFinding::key, ""),
        family("observatory-unit-", &Unit::ALL, Unit::key, ""),
        family("observatory-kind-", &DataKind::ALL, DataKind::key, ""),
        family("training-profession-", &Profession::ALL, Profession::key, ""),
        family("library-kind-", &StudyKind::ALL, StudyKind::key, ""),
        family("library-state-", &StudyState::ALL, StudyState::key, ""),
        family("release-status-", &ReleaseStatus::ALL, ReleaseStatus::key, ""),
        family("linkage-state-", &RunState::ALL, RunState::key, ""),
        family(
            "observatory-dimension-",
            &ObservatoryDimension::ALL,
            ObservatoryDimension::key,
            "",
        ),
        family("observatory-type-", &FieldType::ALL, FieldType::key, ""),
        family("estimate-method-", &MethodName::ALL, MethodName::key, ""),
        family(
            "equal-access-by-",
            &EqualAccessDimension::ALL,
            EqualAccessDimension::key,
            "",
        ),
        family("equal-access-metric-", &Metric::ALL, Metric::key, ""),
        family("directory-file-", &DirectoryFile::ALL, DirectoryFile::key, ""),
        family("directory-imported-", &DirectoryFile::ALL, DirectoryFile::key, ""),
        family("privacy-kind-", &RecordKind::ALL, RecordKind::key, ""),
        family("signalement-form-", &ExploitationForm::ALL, ExploitationForm::key, ""),
        family(
            "directory-place-",
            &needs::AccommodationType::ALL,
            needs::AccommodationType::key,
            "",
        ),
        family("triage-kind-", &ReferralKind::ALL, ReferralKind::key, ""),
        family(
            "equal-access-nationality-",
            &NationalityGroup::ALL,
            NationalityGroup::key,
            "",
        ),
        family("evaluation-agreement-", &Agreement::ALL, Agreement::key, ""),
        family("round-state-", &UpdateStatus::ALL, UpdateStatus::key, ""),
        family("message-from-", &Author::ALL, Author::key, ""),
        family("digest-urgency-", &Urgency::ALL, Urgency::key, ""),
        family("privacy-kept-", &RecordKind::ALL, RecordKind::key, ""),
        family("case-share-basis-", &ShareBasis::ALL, ShareBasis::key, ""),
        family("age-", &AgeStatus::ALL, AgeStatus::key, ""),
        family("location-", &Location::ALL, Location::key, ""),
        family("answer-", &Answer::ALL, Answer::key, ""),
        family(
            "screening-dimension-",
            &DimensionResult::ALL,
            crate::intake::screening_view::result_key,
            "",
        ),
        family(
            "onward-placement-progress-",
            &PlacementProgress::ALL,
            PlacementProgress::key,
            "",
        ),
        family(
            "onward-item-",
            &onward_referral::DataItem::ALL,
            onward_referral::DataItem::key,
            "",
        ),
        family("survey-state-", &SurveyState::ALL, SurveyState::key, ""),
        family("release-refused-", &ReleaseRefusal::ALL, ReleaseRefusal::key, ""),
        family("observatory-stats-", &LayoutError::ALL, LayoutError::key, ""),
        family("privacy-withheld-", &Withheld::ALL, Withheld::key, ""),
        family("privacy-reach-", &ScopeKind::ALL, ScopeKind::key, ""),
        family("privacy-basis-", &RegisterBasis::ALL, RegisterBasis::key, ""),
        family(
            "signalement-status-",
            &referral_status::Status::ALL,
            referral_status::Status::key,
            "",
        ),
        family("", &ErrorPage::ALL, ErrorPage::key, "-title"),
        family("", &ErrorPage::ALL, ErrorPage::key, "-message"),
        // The letter states the decision in force, which is always a decision.
        family("case-letter-decision-", &decisions, case_status::Event::key, ""),
    ];
    let mut keys: Vec<String> = families.into_iter().flatten().collect();
    keys.extend(string_keys());
    keys.extend(Overall::ALL.map(overall_message));
    // The values the pages show when the enum has none yet.
    keys.extend(["plan-status-unknown", "plan-rating-unassessed"].map(str::to_owned));
    keys
}

/// The families built from string codes: each list is the one the code
/// that produces the codes reads.
fn string_keys() -> Vec<String> {
    let permit_deadlines = DeadlineKind::ALL.map(relais_domain::casework::deadline::permit_key);
    let families = [
        codes("notice-", crate::handler::NOTICES.iter().copied()),
        codes("privacy-notice-", crate::privacy::view::DONE.iter().copied()),
        codes("support-saved-", crate::casework::support::SAVED),
        codes("case-reason-", REASONS),
        codes("case-cooperation-", COOPERATION),
        codes("case-deadline-", QueueDeadline::KEYS),
        codes(
            "digest-kind-",
            crate::jobs::digest::TASK_KINDS.into_iter().chain(permit_deadlines),
        ),
        codes("answer-", YES_NO),
        codes("consent-", CONSENT),
        codes("triage-consent-", CONSENT),
        codes("timeliness-", crate::statistics::timeliness::CHARTS),
        codes("equal-access-age-", crate::statistics::equal_access::AGE_GROUPS),
        codes("date-fields-", crate::pickers::PARTS),
        codes("onward-exclusion-", Exclusion::KEYS),
        codes("budget-gap-", Coverage::KEYS),
        // A version's fields are the columns and the two kept beside them; an
        // import problem names a column or the header.
        codes(
            "plan-field-",
            measure::COLUMNS.into_iter().chain([
                measure::DESCRIPTION_FIELD,
                JUSTIFICATION_FIELD,
                measure::HEADER_COLUMN,
            ]),
        ),
        codes("plan-problem-", measure::PROBLEM_KEYS),
        codes("annual-problem-", annual::PROBLEM_KEYS),
        codes("annual-field-", annual::field::ALL),
        codes("annual-funding-", funding::KINDS),
        codes("directory-problem-", relais_domain::directory::PROBLEM_KEYS),
        codes("budget-problem-", budget::PROBLEM_KEYS),
        // `too-long` reads `field-too-long`, which names the limit; a birth
        // date's problems have their own wording.
        codes(
            "referral-problem-",
            REFERRAL_PROBLEMS
                .into_iter()
                .filter(|k| *k != "too-long")
                .chain(DateProblem::ALL.map(DateProblem::key)),
        ),
        codes("referral-problem-birth-", DateProblem::ALL.map(DateProblem::key)),
        codes("library-problem-", library::PROBLEM_KEYS),
        codes("library-field-", library::FIELDS),
        codes(
            "library-event-",
            [relais_store::observatory::library::CREATED]
                .into_iter()
                .chain(library::Event::ALL.map(library::Event::key)),
        ),
        codes("training-problem-", training::PROBLEM_KEYS),
        codes("training-field-", training::FIELDS),
        PersonMatchReason::KEYS.map(crate::intake::triage::reason_id).to_vec(),
        RELEASE_PROBLEMS
            .iter()
            .map(|(field, key)| format!("release-problem-{field}-{key}"))
            .collect(),
        REGISTER
            .iter()
            .flat_map(|a| REGISTER_PARTS.map(|part| format!("register-{}-{part}", a.key)))
            .collect(),
        LegalPage::ALL
            .iter()
            .flat_map(|p| {
                let key = p.key();
                (1..=p.sections())
                    .flat_map(move |n| [format!("legal-{key}-{n}-heading"), format!("legal-{key}-{n}-text")])
                    .chain([format!("legal-{key}-title")])
            })
            .collect(),
        codes("survey-q-", QUESTIONS.iter().map(|q| q.key)),
        QUESTIONS
            .iter()
            .flat_map(|q| q.answers.iter().map(move |a| format!("survey-a-{}-{a}", q.key)))
            .collect(),
    ];
    families.into_iter().flatten().collect()
}

#[test]
fn every_key_built_at_run_time_exists_in_french_and_english() {
    let translations = Translations::load().unwrap();
    let keys = run_time_keys();
    assert!(
        keys.len() > 200,
        "the families enumerate their values ({} keys)",
        keys.len()
    );
    let missing: Vec<String> = Locale::ALL
        .iter()
        .flat_map(|locale| {
            keys.iter()
                .filter(|key| !translations.has(*locale, key))
                .map(move |key| format!("{}: {key}", locale.code()))
        })
        .collect();
    assert!(missing.is_empty(), "keys missing: {missing:#?}");
}

/// A legal page shows as many sections as it counts: one written in the
/// locale files beyond that count would never be shown.
#[test]
fn legal_pages_count_every_section_written() {
    let translations = Translations::load().unwrap();
    for page in LegalPage::ALL {
        let beyond = format!("legal-{}-{}-heading", page.key(), page.sections() + 1);
        for locale in Locale::ALL {
            assert!(!translations.has(locale, &beyond), "{beyond} in {}", locale.code());
        }
    }
}
