//! Safe distant placement (CESEDA R.425-8, the Ac.Sé scheme): an adult in
//! danger where they were exploited is housed far from there. [`assess`]
//! checks every shelter offer against one request and says, for each, either
//! that it can be proposed or every reason it cannot, so the coordinator can
//! explain the result and see what a phone call might change.
//!
//! What is not recorded about the person never excludes an offer (an unknown
//! age, sex, form of exploitation or language is not a mismatch), except
//! where the person must stay away from: safety cannot be checked against an
//! unknown place, so an unknown location excludes.

use std::cmp::Ordering;

use crate::geo::distance_km;
use crate::intake::referral::{ExploitationForm, Sex};
use crate::territory::Departement;

/// The distance below which a shelter is too close to a place of danger,
/// unless the caller configures another one.
pub const DEFAULT_MIN_DISTANCE_KM: f64 = 200.0;

/// The person to be placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Places of exploitation.
    pub exploitation: Vec<Departement>,
    /// Other places the person must avoid (where the exploiters' network lives…).
    pub avoid: Vec<Departement>,
    pub sex: Sex,
    pub age: Option<u8>,
    /// Children who come with the person.
    pub children: u8,
    pub forms: Vec<ExploitationForm>,
    /// Languages the person speaks, as ISO 639-1 codes.
    pub languages: Vec<String>,
}

/// Whom a shelter takes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Acceptance {
    /// Empty: every sex.
    pub sexes: Vec<Sex>,
    /// Inclusive bounds.
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    /// Whether it takes a parent with their children.
    pub children: bool,
    /// Empty: every form of exploitation.
    pub forms: Vec<ExploitationForm>,
    /// Languages its staff speak (ISO 639-1); empty: no language constraint.
    pub languages: Vec<String>,
}

/// A shelter's current offer of places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: String,
    pub departement: Departement,
    pub accepts: Acceptance,
    pub free_places: u32,
}

/// Why an offer cannot be proposed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Exclusion {
    /// The shelter is in a département the person must avoid, whatever the threshold.
    SameDepartement(Departement),
    /// The shelter is closer than the threshold to a place the person must avoid.
    TooClose {
        departement: Departement,
        km: f64,
    },
    /// No place to avoid is known, or one has no coordinates: safety cannot be checked.
    UnknownLocation,
    Full,
    SexNotAccepted,
    AgeNotAccepted,
    ChildrenNotAccepted,
    FormNotAccepted,
    NoCommonLanguage,
}

impl Exclusion {
    /// Every key, for checking that the translations are complete.
    pub const KEYS: [&'static str; 9] = [
        "same-departement",
        "too-close",
        "unknown-location",
        "full",
        "sex-not-accepted",
        "age-not-accepted",
        "children-not-accepted",
        "form-not-accepted",
        "no-common-language",
    ];

    /// The translation key.
    pub fn key(&self) -> &'static str {
        match self {
            Self::SameDepartement(_) => "same-departement",
            Self::TooClose { .. } => "too-close",
            Self::UnknownLocation => "unknown-location",
            Self::Full => "full",
            Self::SexNotAccepted => "sex-not-accepted",
            Self::AgeNotAccepted => "age-not-accepted",
            Self::ChildrenNotAccepted => "children-not-accepted",
            Self::FormNotAccepted => "form-not-accepted",
            Self::NoCommonLanguage => "no-common-language",
        }
    }
}

/// The outcome for one offer. Exclusions are listed in the order of
/// [`Exclusion`]'s variants (safety, then capacity, then criteria); several
/// too-close places are listed nearest first.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Proposed,
    Excluded(Vec<Exclusion>),
}

impl Verdict {
    pub fn key(&self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Excluded(_) => "excluded",
        }
    }

    pub fn is_proposed(&self) -> bool {
        matches!(self, Self::Proposed)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub offer_id: String,
    /// From the shelter to the nearest place to avoid (prefecture to
    /// prefecture); `None` when no such distance is known.
    pub distance_km: Option<f64>,
    pub verdict: Verdict,
}

/// Assesses every offer for `request`, at least `min_distance_km` from each
/// place of exploitation or to avoid (a NaN threshold excludes everything:
/// it fails closed).
///
/// Order: proposed offers first, those with the most free places first (so
/// the first call is the likeliest to succeed), then the farthest first (the
/// safer), then by offer id; excluded offers follow, by offer id.
pub fn assess(request: &Request, offers: &[Offer], min_distance_km: f64) -> Vec<Assessment> {
    let min_distance_km = if min_distance_km.is_nan() {
        f64::INFINITY
    } else {
        min_distance_km
    };
    let mut places: Vec<Departement> = Vec::new();
    for &d in request.exploitation.iter().chain(&request.avoid) {
        if !places.contains(&d) {
            places.push(d);
        }
    }
    let mut assessed: Vec<(u32, Assessment)> = offers
        .iter()
        .map(|offer| (offer.free_places, assess_one(request, &places, offer, min_distance_km)))
        .collect();
    assessed.sort_by(|(free_a, a), (free_b, b)| {
        let (proposed_a, proposed_b) = (a.verdict.is_proposed(), b.verdict.is_proposed());
        let rank = if proposed_a && proposed_b {
            let (far_a, far_b) = (a.distance_km.unwrap_or(0.0), b.distance_km.unwrap_or(0.0));
            free_b.cmp(free_a).then(far_b.total_cmp(&far_a))
        } else {
            Ordering::Equal
        };
        proposed_b
            .cmp(&proposed_a)
            .then(rank)
            .then_with(|| a.offer_id.cmp(&b.offer_id))
    });
    assessed.into_iter().map(|(_, a)| a).collect()
}

fn assess_one(request: &Request, places: &[Departement], offer: &Offer, min_distance_km: f64) -> Assessment {
    let here = offer.departement;
    let mut same = Vec::new();
    let mut too_close = Vec::new();
    let mut unknown = places.is_empty();
    let mut nearest: Option<f64> = None;
    for &place in places {
        let Some(km) = distance_km(here, place) else {
            unknown = true;
            continue;
        };
        nearest = Some(nearest.map_or(km, |n| n.min(km)));
        if place == here {
            same.push(Exclusion::SameDepartement(place));
        } else if km < min_distance_km {
            too_close.push((place, km));
        }
    }
    too_close.sort_by(|a, b| a.1.total_cmp(&b.1));

    let mut reasons = same;
    reasons.extend(
        too_close
            .into_iter()
            .map(|(departement, km)| Exclusion::TooClose { departement, km }),
    );
    let accepts = &offer.accepts;
    let checks = [
        (unknown, Exclusion::UnknownLocation),
        (offer.free_places == 0, Exclusion::Full),
        (!sex_accepted(request.sex, &accepts.sexes), Exclusion::SexNotAccepted),
        (!age_accepted(request.age, accepts), Exclusion::AgeNotAccepted),
        (
            request.children > 0 && !accepts.children,
            Exclusion::ChildrenNotAccepted,
        ),
        (
            !form_accepted(&request.forms, &accepts.forms),
            Exclusion::FormNotAccepted,
        ),
        (
            !language_shared(&request.languages, &accepts.languages),
            Exclusion::NoCommonLanguage,
        ),
    ];
    reasons.extend(checks.into_iter().filter(|(fails, _)| *fails).map(|(_, r)| r));

    Assessment {
        offer_id: offer.id.clone(),
        distance_km: nearest,
        verdict: if reasons.is_empty() {
            Verdict::Proposed
        } else {
            Verdict::Excluded(reasons)
        },
    }
}

/// An unrecorded sex is not a refusal: the phone call settles it.
fn sex_accepted(sex: Sex, sexes: &[Sex]) -> bool {
    sexes.is_empty() || sex == Sex::Unknown || sexes.contains(&sex)
}

/// An unknown age passes: many victims have no papers, and an age limit is
/// checked when the shelter is called, not used to drop them unseen.
fn age_accepted(age: Option<u8>, accepts: &Acceptance) -> bool {
    age.is_none_or(|age| accepts.min_age.is_none_or(|min| age >= min) && accepts.max_age.is_none_or(|max| age <= max))
}

/// A shelter for one form takes someone who suffered that form among others.
fn form_accepted(forms: &[ExploitationForm], accepted: &[ExploitationForm]) -> bool {
    accepted.is_empty() || forms.is_empty() || forms.iter().any(|f| accepted.contains(f))
}

fn language_shared(spoken: &[String], staff: &[String]) -> bool {
    let spoken: Vec<&str> = spoken.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    staff.is_empty()
        || spoken.is_empty()
        || spoken
            .iter()
            .any(|l| staff.iter().any(|s| s.trim().eq_ignore_ascii_case(l)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(code: &str) -> Departement {
        Departement::parse(code).unwrap()
    }

    fn request(exploitation: &[&str]) -> Request {
        Request {
            exploitation: exploitation.iter().map(|c| d(c)).collect(),
            avoid: Vec::new(),
            sex: Sex::Female,
            age: Some(30),
            children: 0,
            forms: vec![ExploitationForm::Sexual],
            languages: vec!["ro".to_owned()],
        }
    }

    fn offer(id: &str, departement: &str, free_places: u32) -> Offer {
        Offer {
            id: id.to_owned(),
            departement: d(departement),
            accepts: Acceptance::default(),
            free_places,
        }
    }

    fn reasons(a: &Assessment) -> Vec<Exclusion> {
        match &a.verdict {
            Verdict::Proposed => Vec::new(),
            Verdict::Excluded(r) => r.clone(),
        }
    }

    fn one(request: &Request, offer: Offer) -> Assessment {
        let mut all = assess(request, &[offer], DEFAULT_MIN_DISTANCE_KM);
        assert_eq!(all.len(), 1);
        all.remove(0)
    }

    #[test]
    fn a_shelter_too_close_is_excluded_with_its_distance() {
        // Versailles is about 20 km from Paris.
        let a = one(&request(&["75"]), offer("versailles", "78", 3));
        let km = distance_km(d("78"), d("75")).unwrap();
        assert!(km < 30.0);
        assert_eq!(a.distance_km, Some(km));
        assert_eq!(
            a.verdict,
            Verdict::Excluded(vec![Exclusion::TooClose {
                departement: d("75"),
                km
            }])
        );
    }

    #[test]
    fn a_full_shelter_is_excluded() {
        let a = one(&request(&["75"]), offer("marseille", "13", 0));
        assert_eq!(a.verdict, Verdict::Excluded(vec![Exclusion::Full]));
    }

    #[test]
    fn a_shelter_that_fits_is_proposed() {
        let a = one(&request(&["75"]), offer("marseille", "13", 2));
        assert_eq!(a.verdict, Verdict::Proposed);
        assert!(a.distance_km.is_some_and(|km| (km - 660.0).abs() < 15.0));
    }

    #[test]
    fn a_shelter_both_close_and_full_lists_both_reasons() {
        let a = one(&request(&["75"]), offer("nanterre", "92", 0));
        let km = distance_km(d("92"), d("75")).unwrap();
        assert_eq!(
            reasons(&a),
            vec![
                Exclusion::TooClose {
                    departement: d("75"),
                    km
                },
                Exclusion::Full
            ]
        );
    }

    #[test]
    fn the_same_departement_is_excluded_even_with_no_threshold() {
        let all = assess(&request(&["69"]), &[offer("lyon", "69", 5)], 0.0);
        assert_eq!(
            all[0].verdict,
            Verdict::Excluded(vec![Exclusion::SameDepartement(d("69"))])
        );
        assert_eq!(all[0].distance_km, Some(0.0));
        // With a threshold, the same département is still one reason, not two.
        let a = one(&request(&["69"]), offer("lyon", "69", 5));
        assert_eq!(reasons(&a), vec![Exclusion::SameDepartement(d("69"))]);
    }

    #[test]
    fn places_to_avoid_count_like_places_of_exploitation() {
        let mut r = request(&["59"]);
        r.avoid = vec![d("13"), d("59")];
        // Toulon is about 50 km from Marseille and far from Lille.
        let a = one(&r, offer("toulon", "83", 1));
        let km = distance_km(d("83"), d("13")).unwrap();
        assert_eq!(a.distance_km, Some(km));
        assert_eq!(
            reasons(&a),
            vec![Exclusion::TooClose {
                departement: d("13"),
                km
            }]
        );
        // Several close places: all listed, nearest first; the same département first of all.
        r.exploitation = vec![d("75"), d("92")];
        r.avoid = vec![d("93")];
        let a = one(&r, offer("bobigny", "93", 1));
        let to = |c: &str| distance_km(d("93"), d(c)).unwrap();
        assert!(to("75") < to("92"));
        assert_eq!(
            reasons(&a),
            vec![
                Exclusion::SameDepartement(d("93")),
                Exclusion::TooClose {
                    departement: d("75"),
                    km: to("75")
                },
                Exclusion::TooClose {
                    departement: d("92"),
                    km: to("92")
                },
            ]
        );
    }

    #[test]
    fn with_no_place_to_avoid_safety_cannot_be_checked() {
        let a = one(&request(&[]), offer("marseille", "13", 2));
        assert_eq!(a.distance_km, None);
        assert_eq!(a.verdict, Verdict::Excluded(vec![Exclusion::UnknownLocation]));
    }

    #[test]
    fn every_criterion_that_fails_is_listed() {
        let mut r = request(&["75"]);
        r.sex = Sex::Male;
        r.age = Some(17);
        r.children = 2;
        r.forms = vec![ExploitationForm::Labour];
        r.languages = vec!["ti".to_owned()];
        let mut o = offer("marseille", "13", 0);
        o.accepts = Acceptance {
            sexes: vec![Sex::Female],
            min_age: Some(18),
            max_age: None,
            children: false,
            forms: vec![ExploitationForm::Sexual],
            languages: vec!["fr".to_owned(), "en".to_owned()],
        };
        let a = one(&r, o);
        let keys: Vec<_> = reasons(&a).iter().map(Exclusion::key).collect();
        assert_eq!(
            keys,
            [
                "full",
                "sex-not-accepted",
                "age-not-accepted",
                "children-not-accepted",
                "form-not-accepted",
                "no-common-language"
            ]
        );
    }

    #[test]
    fn what_is_not_recorded_about_the_person_does_not_exclude() {
        let mut o = offer("marseille", "13", 1);
        o.accepts = Acceptance {
            sexes: vec![Sex::Female],
            min_age: Some(18),
            max_age: Some(25),
            children: true,
            forms: vec![ExploitationForm::Sexual],
            languages: vec!["FR".to_owned()],
        };
        let mut r = request(&["75"]);
        r.sex = Sex::Unknown;
        r.age = None;
        r.forms = Vec::new();
        r.languages = vec![" ".to_owned()];
        assert_eq!(one(&r, o.clone()).verdict, Verdict::Proposed);
        // Known values are checked: bounds are inclusive, languages ignore case,
        // one accepted form among several is enough.
        r.sex = Sex::Female;
        r.children = 1;
        r.forms = vec![ExploitationForm::Labour, ExploitationForm::Sexual];
        r.languages = vec!["ro".to_owned(), "fr".to_owned()];
        for (age, ok) in [(17, false), (18, true), (25, true), (26, false)] {
            r.age = Some(age);
            assert_eq!(one(&r, o.clone()).verdict.is_proposed(), ok, "age {age}");
        }
        r.age = Some(20);
        r.sex = Sex::Other;
        assert_eq!(reasons(&one(&r, o)), vec![Exclusion::SexNotAccepted]);
    }

    #[test]
    fn proposed_come_first_by_free_places_then_farthest_and_excluded_by_id() {
        let offers = [
            offer("z-full", "13", 0),
            offer("lyon-2", "69", 2),
            offer("marseille-2", "13", 2),
            offer("brest-1", "29", 1),
            offer("a-close", "92", 4),
        ];
        let ids: Vec<_> = assess(&request(&["75"]), &offers, DEFAULT_MIN_DISTANCE_KM)
            .into_iter()
            .map(|a| (a.offer_id, a.verdict.key()))
            .collect();
        assert_eq!(
            ids,
            [
                ("marseille-2".to_owned(), "proposed"),
                ("lyon-2".to_owned(), "proposed"),
                ("brest-1".to_owned(), "proposed"),
                ("a-close".to_owned(), "excluded"),
                ("z-full".to_owned(), "excluded"),
            ]
        );
    }

    #[test]
    fn a_nan_threshold_fails_closed() {
        let a = assess(&request(&["75"]), &[offer("marseille", "13", 2)], f64::NAN);
        assert!(matches!(&a[0].verdict, Verdict::Excluded(r) if r[0].key() == "too-close"));
    }

    #[test]
    fn keys_are_distinct_and_complete() {
        let all = [
            Exclusion::SameDepartement(d("75")),
            Exclusion::TooClose {
                departement: d("75"),
                km: 1.0,
            },
            Exclusion::UnknownLocation,
            Exclusion::Full,
            Exclusion::SexNotAccepted,
            Exclusion::AgeNotAccepted,
            Exclusion::ChildrenNotAccepted,
            Exclusion::FormNotAccepted,
            Exclusion::NoCommonLanguage,
        ];
        let keys: Vec<_> = all.iter().map(Exclusion::key).collect();
        assert_eq!(keys, Exclusion::KEYS);
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), keys.len());
        assert!(
            keys.iter()
                .all(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
    }

    fn departement() -> impl Strategy<Value = Departement> {
        prop::sample::select(Departement::all().collect::<Vec<_>>())
    }

    fn acceptance() -> impl Strategy<Value = Acceptance> {
        (
            prop::sample::subsequence(Sex::ALL.to_vec(), 0..=2),
            prop::option::of(0u8..30),
            prop::option::of(20u8..80),
            any::<bool>(),
            prop::sample::subsequence(ExploitationForm::ALL.to_vec(), 0..=2),
            prop::sample::subsequence(vec!["fr".to_owned(), "en".to_owned(), "ro".to_owned()], 0..=2),
        )
            .prop_map(|(sexes, min_age, max_age, children, forms, languages)| Acceptance {
                sexes,
                min_age,
                max_age,
                children,
                forms,
                languages,
            })
    }

    fn requests() -> impl Strategy<Value = Request> {
        (
            prop::collection::vec(departement(), 0..3),
            prop::collection::vec(departement(), 0..3),
            prop::sample::select(Sex::ALL.to_vec()),
            prop::option::of(0u8..90),
            0u8..3,
            prop::sample::subsequence(ExploitationForm::ALL.to_vec(), 0..=2),
            prop::sample::subsequence(vec!["fr".to_owned(), "ro".to_owned(), "ti".to_owned()], 0..=2),
        )
            .prop_map(|(exploitation, avoid, sex, age, children, forms, languages)| Request {
                exploitation,
                avoid,
                sex,
                age,
                children,
                forms,
                languages,
            })
    }

    fn offers() -> impl Strategy<Value = Vec<Offer>> {
        prop::collection::vec((departement(), 0u32..3, acceptance()), 0..12).prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (departement, free_places, accepts))| Offer {
                    id: format!("offer-{i:02}"),
                    departement,
                    accepts,
                    free_places,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn no_proposed_offer_is_near_danger_or_full(
            request in requests(),
            offers in offers(),
            min_distance in 0.0f64..1500.0,
        ) {
            let assessed = assess(&request, &offers, min_distance);
            prop_assert_eq!(assessed.len(), offers.len());
            let mut seen = false;
            for a in &assessed {
                let offer = offers.iter().find(|o| o.id == a.offer_id).unwrap();
                let Verdict::Excluded(reasons) = &a.verdict else {
                    prop_assert!(!seen, "a proposed offer after an excluded one");
                    prop_assert!(offer.free_places > 0);
                    let places: Vec<_> = request.exploitation.iter().chain(&request.avoid).collect();
                    prop_assert!(!places.is_empty());
                    for place in places {
                        prop_assert_ne!(*place, offer.departement);
                        let km = distance_km(offer.departement, *place).unwrap();
                        prop_assert!(km >= min_distance, "{} is {km} km from {place}", offer.id);
                    }
                    prop_assert!(a.distance_km.is_some_and(|km| km >= min_distance));
                    continue;
                };
                seen = true;
                prop_assert!(!reasons.is_empty());
                prop_assert_eq!(reasons.contains(&Exclusion::Full), offer.free_places == 0);
            }
        }
    }
}
