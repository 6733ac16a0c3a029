//! Status badges in the DSFR's semantic colours, decided in one place: green
//! for what ended well, red for a refusal, orange for what waits on someone,
//! blue for what is under way, grey for what simply ended.

use relais_domain::casework::deadline::Urgency;
use relais_domain::casework::onward_referral::Status as OnwardStatus;
use relais_domain::intake::referral::status::Status as ReferralStatus;
use relais_domain::observatory::library::State as LibraryState;
use relais_domain::privacy::RequestStatus;

const SUCCESS: &str = "fr-badge--success";
const ERROR: &str = "fr-badge--error";
const WARNING: &str = "fr-badge--warning";
const INFO: &str = "fr-badge--info";
const NEW: &str = "fr-badge--new";
const NEUTRAL: &str = "";

/// A referral's status: a draft is new, a request for information waits on the referrer.
pub fn referral(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::Draft => NEW,
        ReferralStatus::Submitted | ReferralStatus::Recorded => INFO,
        ReferralStatus::InformationRequested => WARNING,
        ReferralStatus::Accepted => SUCCESS,
        ReferralStatus::Rejected => ERROR,
        ReferralStatus::Duplicate => NEUTRAL,
    }
}

/// An onward referral's status, as the sending and the receiving service see it.
pub fn onward(status: OnwardStatus) -> &'static str {
    match status {
        OnwardStatus::Sent => INFO,
        OnwardStatus::Accepted | OnwardStatus::Completed => SUCCESS,
        OnwardStatus::Declined => ERROR,
        OnwardStatus::Withdrawn => NEUTRAL,
    }
}

/// A data-protection request waiting for its second person, done or refused.
pub fn request(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Pending => WARNING,
        RequestStatus::Done => SUCCESS,
        RequestStatus::Refused => ERROR,
    }
}

/// A library entry: a draft is new, a published one is live, a withdrawn one simply ended.
pub fn library(state: LibraryState) -> &'static str {
    match state {
        LibraryState::Draft => NEW,
        LibraryState::Published => SUCCESS,
        LibraryState::Withdrawn => NEUTRAL,
    }
}

/// A deadline: red once passed, orange when it falls today or soon, blue otherwise.
pub fn deadline(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Overdue => ERROR,
        Urgency::DueToday | Urgency::DueSoon => WARNING,
        Urgency::Later => INFO,
    }
}
