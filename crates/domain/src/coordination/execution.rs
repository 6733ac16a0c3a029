//! Execution rates of a budget (*taux d'exécution*): committed AE over
//! planned AE and paid CP over planned CP, per measure, per programme and
//! overall. Nothing planned means no rate, never a division by zero.

use super::budget::{Amounts, Programme};
use super::money::Euros;
use std::collections::BTreeMap;

/// What was done over what was planned; the planned amount is never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    done: Euros,
    planned: Euros,
}

impl Rate {
    /// `None` when nothing was planned.
    pub fn of(done: Euros, planned: Euros) -> Option<Self> {
        (planned.cents() > 0).then_some(Self { done, planned })
    }

    /// Tenths of a per cent, rounded half up (625 for 62.5 %); above 1000
    /// when more was done than planned (e.g. after a transfer of credits).
    pub fn tenths_of_percent(self) -> i64 {
        let done = i128::from(self.done.cents());
        let planned = i128::from(self.planned.cents());
        let tenths = (done * 1000 * 2 + planned) / (planned * 2);
        i64::try_from(tenths).unwrap_or(i64::MAX)
    }

    /// `62,5 %`, as French pages write it.
    pub fn french(self) -> String {
        let tenths = self.tenths_of_percent();
        match tenths % 10 {
            0 => format!("{}\u{a0}%", tenths / 10),
            decimal => format!("{},{decimal}\u{a0}%", tenths / 10),
        }
    }

    /// Width of a bar in per cent of a chart, at most 100.
    pub fn bar_width(self) -> usize {
        usize::try_from(self.tenths_of_percent().clamp(0, 1000) / 10).unwrap_or(0)
    }
}

/// Amounts and both rates of a set of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Execution {
    pub amounts: Amounts,
}

impl Execution {
    /// Committed AE over planned AE.
    pub fn ae_rate(self) -> Option<Rate> {
        Rate::of(self.amounts.ae_committed, self.amounts.ae_planned)
    }

    /// Paid CP over planned CP.
    pub fn cp_rate(self) -> Option<Rate> {
        Rate::of(self.amounts.cp_paid, self.amounts.cp_planned)
    }

    fn add(&mut self, amounts: Amounts) {
        self.amounts = self.amounts.saturating_add(amounts);
    }
}

/// A budget line as the rates see it: its programme, amounts and the part
/// of its planned AE assigned to each measure (by number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingLine {
    pub programme: Programme,
    pub amounts: Amounts,
    pub assigned: Vec<(u32, Euros)>,
}

/// Every line together.
pub fn overall(lines: &[FundingLine]) -> Execution {
    let mut total = Execution::default();
    for line in lines {
        total.add(line.amounts);
    }
    total
}

/// The lines of each programme together, in programme order.
pub fn by_programme(lines: &[FundingLine]) -> BTreeMap<Programme, Execution> {
    let mut programmes: BTreeMap<Programme, Execution> = BTreeMap::new();
    for line in lines {
        programmes.entry(line.programme).or_default().add(line.amounts);
    }
    programmes
}

/// `amount × part / whole` in cents, rounded down; `whole` is not zero.
fn share(amount: Euros, part: Euros, whole: Euros) -> Euros {
    let cents = i128::from(amount.cents()) * i128::from(part.cents()) / i128::from(whole.cents());
    i64::try_from(cents)
        .ok()
        .and_then(Euros::from_cents)
        .unwrap_or_default()
}

/// Per measure: its share of each line that funds it. A measure assigned a
/// part of a line's planned AE gets the same part of the line's committed
/// AE, planned CP and paid CP (rounded down to the cent). A line with no
/// planned AE funds no measure.
pub fn by_measure(lines: &[FundingLine]) -> BTreeMap<u32, Execution> {
    let mut measures: BTreeMap<u32, Execution> = BTreeMap::new();
    for line in lines {
        let whole = line.amounts.ae_planned;
        if whole.cents() == 0 {
            continue;
        }
        for &(measure, part) in &line.assigned {
            let part = part.min(whole);
            measures.entry(measure).or_default().add(Amounts {
                ae_planned: part,
                ae_committed: share(line.amounts.ae_committed, part, whole),
                cp_planned: share(line.amounts.cp_planned, part, whole),
                cp_paid: share(line.amounts.cp_paid, part, whole),
            });
        }
    }
    measures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn euros(units: i64) -> Euros {
        Euros::from_cents(units * 100).unwrap()
    }

    fn line(programme: &str, [ae, committed, cp, paid]: [i64; 4], assigned: &[(u32, i64)]) -> FundingLine {
        FundingLine {
            programme: Programme::parse(programme).unwrap(),
            amounts: Amounts {
                ae_planned: euros(ae),
                ae_committed: euros(committed),
                cp_planned: euros(cp),
                cp_paid: euros(paid),
            },
            assigned: assigned.iter().map(|&(m, a)| (m, euros(a))).collect(),
        }
    }

    #[test]
    fn rates_round_half_up_to_a_tenth_and_read_in_french() {
        let rate = Rate::of(euros(625), euros(1000)).unwrap();
        assert_eq!(rate.tenths_of_percent(), 625);
        assert_eq!(rate.french(), "62,5\u{a0}%");
        assert_eq!(Rate::of(euros(1), euros(3)).unwrap().french(), "33,3\u{a0}%");
        assert_eq!(Rate::of(euros(2), euros(3)).unwrap().french(), "66,7\u{a0}%");
        assert_eq!(Rate::of(euros(1), euros(2)).unwrap().french(), "50\u{a0}%");
        let over = Rate::of(euros(120), euros(100)).unwrap();
        assert_eq!((over.french().as_str(), over.bar_width()), ("120\u{a0}%", 100));
    }

    #[test]
    fn nothing_planned_is_no_rate() {
        assert_eq!(Rate::of(euros(5), euros(0)), None);
        assert_eq!(overall(&[]).ae_rate(), None);
        assert_eq!(overall(&[]).cp_rate(), None);
        let unplanned = [line("137", [0, 0, 0, 0], &[(1, 0)])];
        assert_eq!(overall(&unplanned).ae_rate(), None);
        assert!(by_measure(&unplanned).is_empty(), "a line with no AE funds no measure");
    }

    #[test]
    fn overall_and_per_programme_add_the_lines() {
        let lines = [
            line("137", [1000, 500, 800, 200], &[]),
            line("177", [3000, 3000, 2000, 2000], &[]),
            line("137", [1000, 100, 200, 0], &[]),
        ];
        let all = overall(&lines);
        assert_eq!(all.ae_rate().unwrap().french(), "72\u{a0}%");
        assert_eq!(all.cp_rate().unwrap().french(), "73,3\u{a0}%");
        let programmes = by_programme(&lines);
        let p137 = programmes[&Programme::parse("137").unwrap()];
        assert_eq!(p137.ae_rate().unwrap().french(), "30\u{a0}%");
        assert_eq!(p137.cp_rate().unwrap().french(), "20\u{a0}%");
        assert_eq!(programmes.keys().map(|p| p.code()).collect::<Vec<_>>(), ["137", "177"]);
    }

    #[test]
    fn a_measure_gets_its_share_of_each_line() {
        let lines = [
            // Half to measure 1, a quarter to measure 2.
            line("137", [1000, 800, 1000, 400], &[(1, 500), (2, 250)]),
            line("177", [200, 0, 100, 0], &[(2, 200)]),
        ];
        let measures = by_measure(&lines);
        let first = measures[&1];
        assert_eq!(first.amounts.ae_committed, euros(400));
        assert_eq!(first.ae_rate().unwrap().french(), "80\u{a0}%");
        assert_eq!(first.cp_rate().unwrap().french(), "40\u{a0}%");
        let second = measures[&2];
        assert_eq!(second.amounts.ae_planned, euros(450));
        assert_eq!(second.amounts.ae_committed, euros(200));
        assert_eq!(second.ae_rate().unwrap().french(), "44,4\u{a0}%");
        assert_eq!(second.amounts.cp_planned, euros(350));
        assert_eq!(second.cp_rate().unwrap().french(), "28,6\u{a0}%");
        assert!(!measures.contains_key(&3));
    }

    #[test]
    fn shares_round_down_to_the_cent() {
        let lines = [line("137", [3, 1, 3, 0], &[(1, 1)])];
        assert_eq!(by_measure(&lines)[&1].amounts.ae_committed.cents(), 33);
    }
}
