//! Onward referrals (orientations) from a case to a service: a support
//! organisation, a shelter, or the national safe distant placement scheme
//! (Ac.Sé, CESEDA R.425-8). The receiving service accepts or declines,
//! then completes; the sender may withdraw until it is completed.
//!
//! Only the data the receiver needs travels ([`items_for`]), and only with
//! the person's consent or a recorded reason to do without
//! ([`crate::casework::sharing::justify`]).

use strum::EnumCount;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Kind {
    /// To a support organisation or shelter.
    Service,
    /// To the safe distant placement scheme (éloignement géographique,
    /// Ac.Sé, CESEDA R.425-8): when safety requires leaving the area.
    DistantPlacement,
}

impl Kind {
    pub const ALL: [Self; Self::COUNT] = [Self::Service, Self::DistantPlacement];

    pub fn key(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::DistantPlacement => "distant-placement",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Status {
    /// Waiting for the receiver's answer.
    Sent,
    Accepted,
    Declined,
    Completed,
    /// Called off by the sender.
    Withdrawn,
}

impl Status {
    pub const ALL: [Self; Self::COUNT] = [
        Self::Sent,
        Self::Accepted,
        Self::Declined,
        Self::Completed,
        Self::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Completed => "completed",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Nothing more can happen to it.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Declined | Self::Completed | Self::Withdrawn)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Event {
    Accept,
    /// With a [`DeclineReason`].
    Decline,
    /// The service was provided (the person was housed, seen, taken on).
    Complete,
    Withdraw,
}

impl Event {
    pub const ALL: [Self; Self::COUNT] = [Self::Accept, Self::Decline, Self::Complete, Self::Withdraw];

    pub fn key(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::Complete => "complete",
            Self::Withdraw => "withdraw",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.key() == key)
    }
}

/// (from, event, to): the whole workflow; anything else is refused.
pub const TRANSITIONS: [(Status, Event, Status); 5] = {
    use Event::*;
    use Status::*;
    [
        (Sent, Accept, Accepted),
        (Sent, Decline, Declined),
        (Accepted, Complete, Completed),
        (Sent, Withdraw, Withdrawn),
        (Accepted, Withdraw, Withdrawn),
    ]
};

/// Why an event was refused. [`Self::key`] is a translation key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the referral is `{from:?}`: nothing more can happen to it")]
    Finished { from: Status },
    #[error("`{event:?}` is not possible from `{from:?}`")]
    NotFrom { from: Status, event: Event },
}

impl Refused {
    pub fn key(self) -> &'static str {
        match self {
            Self::Finished { .. } => "onward-finished",
            Self::NotFrom { .. } => "onward-not-possible",
        }
    }
}

/// The status after `event`, or why it cannot happen.
pub fn apply(from: Status, event: Event) -> Result<Status, Refused> {
    if from.is_terminal() {
        return Err(Refused::Finished { from });
    }
    TRANSITIONS
        .iter()
        .find(|(f, e, _)| *f == from && *e == event)
        .map(|(_, _, to)| *to)
        .ok_or(Refused::NotFrom { from, event })
}

/// The events possible from `from`, in [`Event::ALL`] order.
pub fn possible(from: Status) -> Vec<Event> {
    Event::ALL.into_iter().filter(|e| apply(from, *e).is_ok()).collect()
}

/// Which end of a referral acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum Side {
    /// The case's organisation, which sent the referral.
    Sender,
    /// The service it was sent to.
    Receiver,
}

impl Side {
    pub const ALL: [Self; Self::COUNT] = [Self::Sender, Self::Receiver];

    pub fn key(self) -> &'static str {
        match self {
            Self::Sender => "sender",
            Self::Receiver => "receiver",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Who may take `event`: the receiver answers and completes, the sender withdraws.
pub fn actor_side(event: Event) -> Side {
    match event {
        Event::Accept | Event::Decline | Event::Complete => Side::Receiver,
        Event::Withdraw => Side::Sender,
    }
}

/// Why a service declined: codes, so that gaps in provision can be counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum DeclineReason {
    NoCapacity,
    CriteriaNotMet,
    /// Taking the person would put them or others at risk.
    SafetyRisk,
    PersonDeclined,
    Other,
}

impl DeclineReason {
    pub const ALL: [Self; Self::COUNT] = [
        Self::NoCapacity,
        Self::CriteriaNotMet,
        Self::SafetyRisk,
        Self::PersonDeclined,
        Self::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::NoCapacity => "no-capacity",
            Self::CriteriaNotMet => "criteria-not-met",
            Self::SafetyRisk => "safety-risk",
            Self::PersonDeclined => "person-declined",
            Self::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// The pieces of a case a referral may share (data minimisation, GDPR art. 5(1)(c)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumCount)]
pub enum DataItem {
    /// The first name only: the family name is not needed to take someone on.
    FirstName,
    Age,
    Sex,
    Languages,
    Needs,
    /// Accompanying children: a placement needs a family place.
    Children,
    /// Where the person was exploited, so that the placement is far from it.
    PlacesOfExploitation,
    /// Constraints on a placement (health, mobility, proceedings to attend).
    Constraints,
    /// How to reach the person safely.
    SafeContact,
}

impl DataItem {
    pub const ALL: [Self; Self::COUNT] = [
        Self::FirstName,
        Self::Age,
        Self::Sex,
        Self::Languages,
        Self::Needs,
        Self::Children,
        Self::PlacesOfExploitation,
        Self::Constraints,
        Self::SafeContact,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::FirstName => "first-name",
            Self::Age => "age",
            Self::Sex => "sex",
            Self::Languages => "languages",
            Self::Needs => "needs",
            Self::Children => "children",
            Self::PlacesOfExploitation => "places-of-exploitation",
            Self::Constraints => "constraints",
            Self::SafeContact => "safe-contact",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.key() == key)
    }
}

/// What a referral of `kind` shares, in [`DataItem::ALL`] order; nothing else
/// leaves the case. A distant placement also needs what it takes to choose
/// a safe place far away.
pub fn items_for(kind: Kind) -> &'static [DataItem] {
    use DataItem::*;
    match kind {
        Kind::Service => &[FirstName, Age, Sex, Languages, Needs, SafeContact],
        Kind::DistantPlacement => &[
            FirstName,
            Age,
            Sex,
            Languages,
            Needs,
            Children,
            PlacesOfExploitation,
            Constraints,
            SafeContact,
        ],
    }
}

/// What a receiving service is sent: every field is optional and
/// [`Shared::minimised`] keeps only the items its purpose needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Shared {
    /// Given names only: a service addresses the person, it does not identify them.
    pub first_name: Option<String>,
    /// Age in years, or an age status key (`minor`, `adult`, `disputed`).
    pub age: Option<String>,
    /// A `referral::Sex` key.
    pub sex: Option<String>,
    pub languages: Option<String>,
    pub needs: Option<String>,
    pub children: Option<u8>,
    /// Département codes.
    pub places_of_exploitation: Option<Vec<String>>,
    pub constraints: Option<String>,
    pub safe_contact: Option<crate::casework::case_people::SafeContact>,
}

impl Shared {
    /// The same data without what `kind` does not need.
    pub fn minimised(self, kind: Kind) -> Self {
        let keep = |item: DataItem| items_for(kind).contains(&item);
        Self {
            first_name: self.first_name.filter(|_| keep(DataItem::FirstName)),
            age: self.age.filter(|_| keep(DataItem::Age)),
            sex: self.sex.filter(|_| keep(DataItem::Sex)),
            languages: self.languages.filter(|_| keep(DataItem::Languages)),
            needs: self.needs.filter(|_| keep(DataItem::Needs)),
            children: self.children.filter(|_| keep(DataItem::Children)),
            places_of_exploitation: self
                .places_of_exploitation
                .filter(|_| keep(DataItem::PlacesOfExploitation)),
            constraints: self.constraints.filter(|_| keep(DataItem::Constraints)),
            safe_contact: self.safe_contact.filter(|_| keep(DataItem::SafeContact)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.key()), Some(k));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.key()), Some(s));
        }
        for e in Event::ALL {
            assert_eq!(Event::parse(e.key()), Some(e));
        }
        for s in Side::ALL {
            assert_eq!(Side::parse(s.key()), Some(s));
        }
        for r in DeclineReason::ALL {
            assert_eq!(DeclineReason::parse(r.key()), Some(r));
        }
        for d in DataItem::ALL {
            assert_eq!(DataItem::parse(d.key()), Some(d));
        }
        assert_eq!(Status::parse("Sent"), None);
    }

    #[test]
    fn the_table_as_specified() {
        use Event::*;
        use Status::*;
        assert_eq!(apply(Sent, Accept), Ok(Accepted));
        assert_eq!(apply(Sent, Decline), Ok(Declined));
        assert_eq!(apply(Accepted, Complete), Ok(Completed));
        assert_eq!(apply(Sent, Withdraw), Ok(Withdrawn));
        assert_eq!(apply(Accepted, Withdraw), Ok(Withdrawn));
        assert_eq!(possible(Sent), vec![Accept, Decline, Withdraw]);
        assert_eq!(possible(Accepted), vec![Complete, Withdraw]);
    }

    #[test]
    fn refusals_say_why() {
        let early = apply(Status::Sent, Event::Complete).unwrap_err();
        assert_eq!(early.key(), "onward-not-possible");
        assert_eq!(early.to_string(), "`Complete` is not possible from `Sent`");
        let late = apply(Status::Completed, Event::Withdraw).unwrap_err();
        assert_eq!(
            late,
            Refused::Finished {
                from: Status::Completed
            }
        );
        assert_eq!(late.key(), "onward-finished");
        // An accepted referral is not declined afterwards: it is withdrawn or completed.
        assert!(apply(Status::Accepted, Event::Decline).is_err());
    }

    #[test]
    fn terminal_statuses_have_no_way_out() {
        for s in Status::ALL {
            let outgoing = TRANSITIONS.iter().any(|(from, _, _)| *from == s);
            assert_eq!(outgoing, !s.is_terminal(), "{s:?}");
            assert_eq!(possible(s).is_empty(), s.is_terminal());
        }
        // Every status but `sent` is reached by some row.
        for s in Status::ALL.into_iter().filter(|s| *s != Status::Sent) {
            assert!(TRANSITIONS.iter().any(|(_, _, to)| *to == s), "{s:?}");
        }
    }

    #[test]
    fn the_receiver_answers_and_the_sender_withdraws() {
        assert_eq!(actor_side(Event::Accept), Side::Receiver);
        assert_eq!(actor_side(Event::Decline), Side::Receiver);
        assert_eq!(actor_side(Event::Complete), Side::Receiver);
        assert_eq!(actor_side(Event::Withdraw), Side::Sender);
    }

    #[test]
    fn a_distant_placement_shares_more_than_a_service_referral() {
        let service = items_for(Kind::Service);
        let placement = items_for(Kind::DistantPlacement);
        assert!(service.iter().all(|i| placement.contains(i)));
        let extra: Vec<_> = placement.iter().filter(|i| !service.contains(i)).collect();
        assert_eq!(
            extra,
            [
                &DataItem::Children,
                &DataItem::PlacesOfExploitation,
                &DataItem::Constraints
            ]
        );
        assert!(!service.contains(&DataItem::PlacesOfExploitation));
        // Listed in the canonical order, so screens show them consistently.
        for kind in Kind::ALL {
            let ranks: Vec<_> = items_for(kind)
                .iter()
                .map(|i| DataItem::ALL.iter().position(|d| d == i))
                .collect();
            assert!(ranks.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn every_path_from_sent_is_short() {
        fn walk(from: Status, depth: usize, ends: &mut Vec<(Status, usize)>) {
            let next = possible(from);
            if next.is_empty() {
                ends.push((from, depth));
            }
            for event in next {
                if let Ok(to) = apply(from, event) {
                    walk(to, depth + 1, ends);
                }
            }
        }
        let mut ends = vec![];
        walk(Status::Sent, 0, &mut ends);
        use Status::*;
        assert_eq!(
            ends,
            vec![(Completed, 2), (Withdrawn, 2), (Declined, 1), (Withdrawn, 1)]
        );
    }

    proptest! {
        #[test]
        fn any_walk_from_sent_ends_terminal_within_two_steps(
            choices in proptest::collection::vec(any::<prop::sample::Index>(), 0..6),
        ) {
            let mut status = Status::Sent;
            let mut steps = 0;
            for choice in &choices {
                let next = possible(status);
                if next.is_empty() {
                    break;
                }
                status = apply(status, *choice.get(&next)).unwrap();
                steps += 1;
            }
            prop_assert!(steps <= 2);
            if choices.len() > steps || steps == 2 {
                prop_assert!(status.is_terminal(), "{:?} after {} steps", status, steps);
            }
        }

        #[test]
        fn terminal_statuses_refuse_every_event(s in 0..Status::ALL.len(), e in 0..Event::ALL.len()) {
            let (status, event) = (Status::ALL[s], Event::ALL[e]);
            if status.is_terminal() {
                prop_assert_eq!(apply(status, event), Err(Refused::Finished { from: status }));
            }
        }
    }

    #[test]
    fn a_service_referral_carries_no_place_of_exploitation_children_or_constraints() {
        let full = Shared {
            first_name: Some("Blessing".into()),
            age: Some("24".into()),
            children: Some(1),
            places_of_exploitation: Some(vec!["93".into()]),
            constraints: Some("Ne pas rester en Île-de-France".into()),
            ..Shared::default()
        };
        let service = full.clone().minimised(Kind::Service);
        assert_eq!(service.first_name.as_deref(), Some("Blessing"));
        assert_eq!(
            (service.children, service.places_of_exploitation, service.constraints),
            (None, None, None)
        );
        assert_eq!(full.clone().minimised(Kind::DistantPlacement), full);
    }
}
