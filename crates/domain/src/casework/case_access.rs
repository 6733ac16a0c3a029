//! What an organisation may read and write in a case, by its relation to
//! the case (ADR 0009). Deny by default: an area the relation does not open
//! does not exist for the reader (404, like a note level one may not read);
//! an area opened for reading only refuses writes (403).
//!
//! The case-access capability that carries a relation is
//! [`crate::access::authz::CaseAccess`]; this module is its written policy.

use crate::access::role::Role;
use crate::casework::case_file::{Sensitivity, readable};
use crate::casework::onward_referral::Status;
use strum::EnumCount;

/// Why a case is shared with an organisation (French: *finalité du
/// partage*): a closed list, so that no free text travels with a share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumCount)]
pub enum SharePurpose {
    Accommodation,
    Health,
    LegalAid,
    ResidenceRights,
    Investigation,
    Support,
}

impl SharePurpose {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Accommodation,
        Self::Health,
        Self::LegalAid,
        Self::ResidenceRights,
        Self::Investigation,
        Self::Support,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accommodation => "accommodation",
            Self::Health => "health",
            Self::LegalAid => "legal-aid",
            Self::ResidenceRights => "residence-rights",
            Self::Investigation => "investigation",
            Self::Support => "support",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == key)
    }

    /// The note and document levels the purpose opens; the reader's roles
    /// narrow them further ([`crate::casework::case_file::Sensitivity::readers`]).
    pub fn levels(self) -> &'static [Sensitivity] {
        use Sensitivity::*;
        match self {
            Self::Accommodation => &[General, Safety],
            Self::Health => &[General, Health],
            Self::LegalAid | Self::ResidenceRights => &[General, Legal],
            Self::Investigation => &[General, Legal, Safety],
            Self::Support => &Sensitivity::ALL,
        }
    }

    fn column(self) -> usize {
        match self {
            Self::Accommodation => 2,
            Self::Health => 3,
            Self::LegalAid => 4,
            Self::ResidenceRights => 5,
            Self::Investigation => 6,
            Self::Support => 7,
        }
    }
}

/// A part of a case, as pages and store functions read or write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum CaseArea {
    /// Reference, stage of the identification, lead organisation.
    Summary,
    /// Notes, at the levels the relation and the roles open.
    Notes,
    /// Documents, at the same levels as notes.
    Documents,
    Tasks,
    /// Names, aliases, birth date, nationality, languages.
    Identity,
    /// How to reach the person safely.
    SafeContact,
    Dependants,
    /// Needs assessments and the plan (health needs at the health level).
    Needs,
    /// Residence permits and their deadlines.
    Permits,
    /// The closure in force and its history.
    Closure,
    /// Referrals to services. A safe distant placement shows here only as
    /// in progress, done or not pursued, unless [`CaseArea::Placement`] is open.
    OnwardReferrals,
    /// The safe distant placement (Ac.Sé): the matching, the shelter, its
    /// town and département, the placement record.
    Placement,
    /// Asking for a negative decision to be reconsidered.
    Reconsideration,
    /// The decision page, its timeline, letter and cooperation record.
    Decision,
    /// Shares of the case and its access log.
    Sharing,
}

impl CaseArea {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Summary,
        Self::Notes,
        Self::Documents,
        Self::Tasks,
        Self::Identity,
        Self::SafeContact,
        Self::Dependants,
        Self::Needs,
        Self::Permits,
        Self::Closure,
        Self::OnwardReferrals,
        Self::Placement,
        Self::Reconsideration,
        Self::Decision,
        Self::Sharing,
    ];
}

/// Reading, or writing (which includes reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    Read,
    Write,
}

/// How an organisation stands to a case; the strongest tie wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseRelation {
    /// The identification authority whose territory holds the case.
    Authority,
    /// The organisation leading the follow-up, named by a transfer.
    Lead,
    /// Active shares with the organisation, for these purposes (sorted, distinct).
    Shared(Vec<SharePurpose>),
    /// No tie. Receiving an onward referral of the case is none either: the
    /// receiver reads what it was sent (`/onward/{id}`), nothing of the case.
    None,
}

const N: Option<Mode> = None;
const R: Option<Mode> = Some(Mode::Read);
const W: Option<Mode> = Some(Mode::Write);

/// The written policy: for each area, the widest mode of each column —
/// authority, lead, then the share purposes accommodation, health,
/// legal-aid, residence-rights, investigation, support. An organisation
/// without a tie reaches no area. Mirrored in ADR 0009.
#[rustfmt::skip]
const POLICY: [(CaseArea, [Option<Mode>; 8]); 15] = [
    //                          auth lead acc hea leg res inv sup
    (CaseArea::Summary,         [R, R, R, R, R, R, R, R]),
    (CaseArea::Notes,           [W, W, W, W, W, W, R, W]),
    (CaseArea::Documents,       [W, W, W, W, W, W, R, W]),
    (CaseArea::Tasks,           [W, W, W, W, W, W, N, W]),
    (CaseArea::Identity,        [W, W, R, R, R, R, R, W]),
    (CaseArea::SafeContact,     [W, W, R, R, R, R, N, W]),
    (CaseArea::Dependants,      [W, W, R, N, N, R, N, W]),
    (CaseArea::Needs,           [W, W, R, R, R, R, N, W]),
    (CaseArea::Permits,         [W, W, N, N, R, W, N, W]),
    (CaseArea::Closure,         [W, R, N, N, N, N, N, R]),
    (CaseArea::OnwardReferrals, [W, W, N, N, N, N, N, R]),
    (CaseArea::Placement,       [W, W, N, N, N, N, N, N]),
    (CaseArea::Reconsideration, [N, W, N, N, W, N, N, W]),
    (CaseArea::Decision,        [W, N, N, N, N, N, N, N]),
    (CaseArea::Sharing,         [W, N, N, N, N, N, N, N]),
];

fn row(area: CaseArea) -> [Option<Mode>; 8] {
    POLICY
        .iter()
        .find(|(a, _)| *a == area)
        .map_or([N; 8], |(_, modes)| *modes)
}

/// Why an area is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CaseRefusal {
    /// The area does not exist for the reader: answered as "not found".
    #[error("this part of the case is not open to the reader")]
    Hidden,
    /// The reader may read the area, not change it.
    #[error("this part of the case is open for reading only")]
    ReadOnly,
}

impl CaseRelation {
    /// Builds a share relation from the purposes of the active shares.
    pub fn shared(purposes: impl IntoIterator<Item = SharePurpose>) -> Self {
        let mut list: Vec<SharePurpose> = purposes.into_iter().collect();
        list.sort_unstable();
        list.dedup();
        if list.is_empty() {
            Self::None
        } else {
            Self::Shared(list)
        }
    }

    /// The widest mode the relation has on `area`, before the roles.
    fn grant(&self, area: CaseArea) -> Option<Mode> {
        let modes = row(area);
        match self {
            Self::Authority => modes[0],
            Self::Lead => modes[1],
            Self::Shared(purposes) => purposes.iter().filter_map(|p| modes[p.column()]).max(),
            Self::None => None,
        }
    }

    /// Whether the relation opens anything of the case at all.
    pub fn reaches_case(&self) -> bool {
        self.grant(CaseArea::Summary).is_some()
    }

    /// The note and document levels `roles` may read through this relation.
    pub fn levels(&self, roles: &[Role]) -> Vec<Sensitivity> {
        let opened: Vec<Sensitivity> = match self {
            Self::Authority | Self::Lead => Sensitivity::ALL.to_vec(),
            Self::Shared(purposes) => purposes.iter().flat_map(|p| p.levels().iter().copied()).collect(),
            Self::None => vec![],
        };
        readable(roles).into_iter().filter(|l| opened.contains(l)).collect()
    }

    /// The policy for one reader: whether `roles` may use `area` in `mode`
    /// through this relation.
    pub fn decide(&self, roles: &[Role], area: CaseArea, mode: Mode) -> Result<(), CaseRefusal> {
        let levels = self.levels(roles);
        let granted = match (area, self.grant(area)) {
            // Notes and documents exist for a reader only at the levels they may read.
            (CaseArea::Notes | CaseArea::Documents, _) if levels.is_empty() => None,
            // An assessment replaces the plan: one written without seeing the
            // health needs would silently drop them.
            (CaseArea::Needs, Some(Mode::Write)) if !levels.contains(&Sensitivity::Health) => R,
            (_, granted) => granted,
        };
        match granted {
            None => Err(CaseRefusal::Hidden),
            Some(widest) if widest >= mode => Ok(()),
            Some(_) => Err(CaseRefusal::ReadOnly),
        }
    }
}

/// What a reader who may not locate a safe distant placement learns of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum PlacementProgress {
    InProgress,
    Done,
    NotPursued,
}

impl PlacementProgress {
    pub const ALL: [Self; Self::COUNT] = [Self::InProgress, Self::Done, Self::NotPursued];

    pub fn of(status: Status) -> Self {
        match status {
            Status::Sent | Status::Accepted => Self::InProgress,
            Status::Completed => Self::Done,
            Status::Declined | Status::Withdrawn => Self::NotPursued,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::InProgress => "in-progress",
            Self::Done => "done",
            Self::NotPursued => "not-pursued",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseArea::*;

    const SUPPORT_WORKER: &[Role] = &[Role::SupportWorker];
    const POLICE: &[Role] = &[Role::FirstResponder];

    fn opens(relation: &CaseRelation, roles: &[Role], mode: Mode) -> Vec<CaseArea> {
        CaseArea::ALL
            .into_iter()
            .filter(|a| relation.decide(roles, *a, mode).is_ok())
            .collect()
    }

    #[test]
    fn purposes_round_trip_and_the_table_covers_every_area() {
        for p in SharePurpose::ALL {
            assert_eq!(SharePurpose::parse(p.as_str()), Some(p));
        }
        assert_eq!(SharePurpose::parse("curiosity"), None);
        for area in CaseArea::ALL {
            assert_eq!(POLICY.iter().filter(|(a, _)| *a == area).count(), 1, "{area:?}");
        }
    }

    #[test]
    fn an_investigation_share_reads_the_summary_and_identity_and_writes_nothing() {
        let police = CaseRelation::shared([SharePurpose::Investigation]);
        assert_eq!(
            opens(&police, POLICE, Mode::Read),
            vec![Summary, Notes, Documents, Identity]
        );
        assert!(opens(&police, POLICE, Mode::Write).is_empty());
        assert_eq!(police.levels(POLICE), vec![Sensitivity::General, Sensitivity::Safety]);
        assert_eq!(police.decide(POLICE, Placement, Mode::Read), Err(CaseRefusal::Hidden));
        assert_eq!(police.decide(POLICE, Identity, Mode::Write), Err(CaseRefusal::ReadOnly));
    }

    #[test]
    fn only_the_authority_and_the_lead_locate_a_placement() {
        for relation in [CaseRelation::Authority, CaseRelation::Lead] {
            assert_eq!(relation.decide(SUPPORT_WORKER, Placement, Mode::Write), Ok(()));
        }
        let every_purpose = CaseRelation::shared(SharePurpose::ALL);
        for relation in [every_purpose, CaseRelation::None] {
            assert_eq!(
                relation.decide(SUPPORT_WORKER, Placement, Mode::Read),
                Err(CaseRefusal::Hidden),
                "{relation:?}"
            );
        }
    }

    #[test]
    fn shares_never_send_or_withdraw_onward_referrals_nor_edit_the_person() {
        for p in SharePurpose::ALL {
            let shared = CaseRelation::shared([p]);
            for area in [
                OnwardReferrals,
                Placement,
                Identity,
                SafeContact,
                Dependants,
                Closure,
                Decision,
                Sharing,
            ] {
                let allowed = shared.decide(SUPPORT_WORKER, area, Mode::Write).is_ok();
                let support_edits_people =
                    p == SharePurpose::Support && matches!(area, Identity | SafeContact | Dependants);
                assert_eq!(allowed, support_edits_people, "{p:?} {area:?}");
            }
        }
    }

    #[test]
    fn the_person_record_is_written_whole_so_its_writers_read_all_of_it() {
        let relations = [CaseRelation::Authority, CaseRelation::Lead]
            .into_iter()
            .chain(SharePurpose::ALL.map(|p| CaseRelation::shared([p])));
        for relation in relations {
            if relation.decide(SUPPORT_WORKER, Identity, Mode::Write).is_ok() {
                assert_eq!(
                    relation.decide(SUPPORT_WORKER, SafeContact, Mode::Write),
                    Ok(()),
                    "{relation:?}"
                );
            }
        }
    }

    #[test]
    fn purposes_add_up_and_roles_narrow() {
        let both = CaseRelation::shared([SharePurpose::ResidenceRights, SharePurpose::Accommodation]);
        assert_eq!(both.decide(SUPPORT_WORKER, Permits, Mode::Write), Ok(()));
        assert_eq!(both.decide(SUPPORT_WORKER, Dependants, Mode::Read), Ok(()));
        assert_eq!(
            both.levels(SUPPORT_WORKER),
            vec![Sensitivity::General, Sensitivity::Legal, Sensitivity::Safety]
        );
        // A first responder of the lead reads the plan but cannot assess (no health needs).
        assert_eq!(CaseRelation::Lead.decide(POLICE, Needs, Mode::Read), Ok(()));
        assert_eq!(
            CaseRelation::Lead.decide(POLICE, Needs, Mode::Write),
            Err(CaseRefusal::ReadOnly)
        );
        assert_eq!(CaseRelation::shared([]), CaseRelation::None);
        assert!(!CaseRelation::None.reaches_case());
    }

    #[test]
    fn a_withheld_placement_says_only_how_far_it_went() {
        assert_eq!(PlacementProgress::of(Status::Accepted), PlacementProgress::InProgress);
        assert_eq!(PlacementProgress::of(Status::Completed), PlacementProgress::Done);
        assert_eq!(PlacementProgress::of(Status::Declined), PlacementProgress::NotPursued);
    }
}
