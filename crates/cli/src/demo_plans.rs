//! Demonstration plans: the 2nd national plan (2019–2021) with only the
//! axes, actions, measures and CNCDH 2023 ratings that
//! ../shared/reference/plan-2019-2021.md marks verified (no title invented),
//! and a clearly fictional plan whose measures are fully specified, to show
//! what a complete annual plan looks like: its annual strategic plan for
//! 2025 (milestones, indicators with values, cost, funding, status; one
//! measure left incomplete so that the completeness view shows a gap), a
//! fictional budget for 2025 and 2026, and a reporting round in progress.
//! Both are published.

use relais_domain::coordination::annual::{Indicator, IndicatorValue, Milestone, YearMoney, YearStatus};
use relais_domain::coordination::budget::{RawGrant, RawLine, check_grant, check_line};
use relais_domain::coordination::funding::FundingSource;
use relais_domain::coordination::measure::{Period, PlanCode};
use relais_domain::coordination::money::Euros;
use relais_domain::coordination::status::MeasureStatus;
use relais_domain::ids::OrganisationId;
use relais_domain::time::{Date, Timestamp, Zone};
use relais_store::Tx;
use relais_store::coordination::annual::{self, YearMeasure, YearSeed};
use relais_store::coordination::{self, ImportError, PlanHeader, rounds};

/// The demo organisation that pilots measures of the fictional plan; its
/// focal point reports on them.
pub const PILOT_DIRECTORATE: &str = "Direction générale de la cohésion sociale (fictive)";

const SECOND_PLAN: &str = "\
axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status
1,Informer et communiquer pour mieux prévenir le phénomène de la traite des êtres humains,1,Mobiliser la société,1,Informer et sensibiliser sur les risques d'exploitation,,,,,,,,,,partially_done
1,,1,,2,Créer un site gouvernemental dédié,,,,,,,,,,not_done
1,,1,,3,Soutenir des campagnes d'information et de sensibilisation menées par les associations,,,,,,,,,,partially_done
1,,1,,4,Instaurer une journée nationale,,,,,,,,,,not_done
1,,2,Mener des actions de prévention ciblées,5,Informer le monde de l'entreprise,,,,,,,,,,partially_done
1,,2,,6,Introduire dans les programmes scolaires le sujet de la traite des êtres humains et ses différentes formes d'exploitation,,,,,,,,,,partially_done
1,,2,,7,Sensibiliser les populations mig[rantes …] (intitulé tronqué dans la seule source),,,,,,,,,,
,,,,8,Pérenniser l'enquête sur les victimes de traite des êtres humains suivies par les associations,MIPROF,ONDRP;SSMSI,,,,,,,,
,,,,9,Publier annuellement les données administratives disponibles en France,ONDRP,SSMSI;SDSE;DGEF,,,,,,,,
";

const FICTIONAL_PLAN: &str = "\
axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,baseline,target,cost_eur,funding,status,rapporteur_status
1,Identifier et protéger (fictif),1,Former les professionnels (fictif),1,Former 2 000 professionnels de première ligne à l'identification (fictif),MIPROF,DGT,2025-12,Professionnels formés,350,2000,\"180 000\",Programme 137 action 25,in_progress,partially_done
1,,1,,2,Ouvrir 100 places d'hébergement sécurisé et éloigné (fictif),DGCS,MIPROF,2026-06,Places ouvertes,40,100,\"1 200 000\",AGRASC,partially_done,not_done
1,,2,Orienter sans délai (fictif),3,Un référent traite des êtres humains dans chaque préfecture (fictif),DGEF,,2025,Préfectures dotées d'un référent,30,101,0,Sans coût propre,done,done
2,Connaître le phénomène (fictif),3,Mesurer (fictif),4,Publier chaque année l'estimation du nombre de victimes (fictif),SSMSI,MIPROF,2026,Publication annuelle,non,oui,,,not_started,
";

async fn seed_plan(
    tx: &mut Tx,
    code: &str,
    title: &str,
    (start, end): (i32, i32),
    file: &str,
    source: &str,
) -> anyhow::Result<()> {
    let code = PlanCode::parse(code).ok_or_else(|| anyhow::anyhow!("demo plan code"))?;
    let period = Period::new(start, end).ok_or_else(|| anyhow::anyhow!("demo plan period"))?;
    let header = PlanHeader {
        code: code.clone(),
        title: title.to_owned(),
        period,
    };
    match coordination::import_as_system(tx, &header, file, true).await {
        Ok(_) => {}
        Err(ImportError::Invalid(problems)) => anyhow::bail!("demo plan {title}: {problems:?}"),
        Err(ImportError::Store(error)) => return Err(error.into()),
    }
    coordination::set_source_as_system(tx, &code, source).await?;
    coordination::publish_as_system(tx, &code).await?;
    Ok(())
}

/// Seeds both plans, links the fictional plan's pilot DGCS to the demo
/// directorate (whose focal point answers for it) and opens a reporting
/// round on the fictional plan, due in three weeks.
pub async fn seed(tx: &mut Tx, directorate: &OrganisationId, now: Timestamp) -> anyhow::Result<()> {
    seed_plan(
        tx,
        "PNLTEH-2",
        "2e plan d'action national contre la traite des êtres humains",
        (2019, 2021),
        SECOND_PLAN,
        "Plan présenté le 18 octobre 2019 ; appréciations : évaluation de la CNCDH du 12 janvier 2023. \
         Seules les mesures dont l'intitulé est vérifié figurent ici.",
    )
    .await?;
    seed_plan(
        tx,
        "DEMO-FICTIF",
        "Plan annuel de démonstration (fictif)",
        (2025, 2026),
        FICTIONAL_PLAN,
        "Données fictives de démonstration.",
    )
    .await?;
    rounds::link_body_as_system(tx, "DGCS", directorate).await?;
    let code = PlanCode::parse("DEMO-FICTIF").ok_or_else(|| anyhow::anyhow!("demo plan code"))?;
    let today = Date::local(now, &Zone::paris());
    // The year whose annual plan the demonstration fills, so that the focal
    // point's form offers its indicators.
    let round = rounds::NewRound {
        title: "Bilan avant le comité de coordination (fictif)".to_owned(),
        due: today.plus_days(21),
        year: Some(2025),
    };
    rounds::open_as_system(tx, &code, &round, today).await?;
    seed_budget(tx).await?;
    seed_annual_plan(tx).await?;
    Ok(())
}

/// Year, programme, label, action, label, nature, amounts, measure parts.
type DemoLine = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    [&'static str; 4],
    &'static [(u32, &'static str)],
);

/// The fictional plan's budget lines: year, programme, its label, action,
/// its label, nature, AE planned, AE committed, CP planned, CP paid, and
/// the part of the planned AE assigned to each measure. Programme numbers
/// and titles are the State budget's; every amount is fictional.
const FICTIONAL_BUDGET: &[DemoLine] = &[
    (
        "2025",
        "137",
        "Égalité entre les femmes et les hommes",
        "15",
        "Prévention et lutte contre la traite des êtres humains (montants fictifs)",
        "intervention",
        ["400 000", "300 000", "400 000", "250 000"],
        &[(1, "50 000"), (2, "300 000")],
    ),
    (
        "2025",
        "137",
        "Égalité entre les femmes et les hommes",
        "15",
        "Prévention et lutte contre la traite des êtres humains (montants fictifs)",
        "operating",
        ["120 000", "120 000", "120 000", "90 000"],
        &[(1, "120 000")],
    ),
    (
        "2025",
        "177",
        "Hébergement, parcours vers le logement et insertion des personnes vulnérables",
        "12",
        "Hébergement et logement adapté (montants fictifs)",
        "intervention",
        ["500 000", "200 000", "300 000", "100 000"],
        &[(2, "500 000")],
    ),
    (
        "2026",
        "137",
        "Égalité entre les femmes et les hommes",
        "15",
        "Prévention et lutte contre la traite des êtres humains (montants fictifs)",
        "intervention",
        ["450 000", "0", "450 000", "0"],
        &[(1, "10 000"), (2, "400 000")],
    ),
    (
        "2026",
        "104",
        "Intégration et accès à la nationalité française",
        "12",
        "Accompagnement des étrangers en situation régulière (montants fictifs)",
        "operating",
        ["30 000", "10 000", "30 000", "10 000"],
        &[],
    ),
];

/// Grants of the fictional plan: year, beneficiary, amount, measure, and
/// the index in [`FICTIONAL_BUDGET`] of the line that pays it.
const FICTIONAL_GRANTS: &[(&str, &str, &str, &str, Option<usize>)] = &[
    ("2025", "Association Passerelle (fictive)", "45 000", "2", Some(0)),
    ("2026", "Association Passerelle (fictive)", "20 000", "1", None),
];

async fn seed_budget(tx: &mut Tx) -> anyhow::Result<()> {
    let code = PlanCode::parse("DEMO-FICTIF").ok_or_else(|| anyhow::anyhow!("demo plan code"))?;
    let period = Period::new(2025, 2026).ok_or_else(|| anyhow::anyhow!("demo plan period"))?;
    let mut ids = Vec::new();
    for (year, programme, programme_label, action, action_label, nature, amounts, assigned) in FICTIONAL_BUDGET {
        let [ae_planned, ae_committed, cp_planned, cp_paid] = amounts.map(str::to_owned);
        let raw = RawLine {
            year: (*year).to_owned(),
            programme: (*programme).to_owned(),
            programme_label: (*programme_label).to_owned(),
            action: (*action).to_owned(),
            action_label: (*action_label).to_owned(),
            nature: (*nature).to_owned(),
            ae_planned,
            ae_committed,
            cp_planned,
            cp_paid,
        };
        let line = check_line(&raw, period).map_err(|p| anyhow::anyhow!("demo budget line: {p:?}"))?;
        let id = coordination::add_line_as_system(tx, &code, &line).await?;
        let parts = assigned
            .iter()
            .map(|(measure, amount)| {
                Euros::parse(amount)
                    .map(|a| (*measure, a))
                    .ok_or_else(|| anyhow::anyhow!("demo budget amount"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        coordination::set_line_measures_as_system(tx, &code, &id, &parts).await?;
        ids.push(id);
    }
    for (year, beneficiary, amount, measure, line) in FICTIONAL_GRANTS {
        let raw = RawGrant {
            year: (*year).to_owned(),
            beneficiary: (*beneficiary).to_owned(),
            amount: (*amount).to_owned(),
            measure: (*measure).to_owned(),
        };
        let grant = check_grant(&raw, period, &[1, 2, 3, 4]).map_err(|p| anyhow::anyhow!("demo grant: {p:?}"))?;
        let line_id = line.and_then(|i| ids.get(i)).map(String::as_str);
        coordination::add_grant_as_system(tx, &code, &grant, line_id).await?;
    }
    Ok(())
}

fn day(raw: &str) -> anyhow::Result<Date> {
    Date::parse(raw).ok_or_else(|| anyhow::anyhow!("demo date {raw}"))
}

fn euros(raw: &str) -> anyhow::Result<Euros> {
    Euros::parse(raw).ok_or_else(|| anyhow::anyhow!("demo amount {raw}"))
}

fn milestone(title: &str, due: &str, done: Option<&str>) -> anyhow::Result<Milestone> {
    Ok(Milestone {
        title: title.to_owned(),
        due: day(due)?,
        done: done.map(day).transpose()?,
    })
}

fn indicator(
    definition: &str,
    unit: &str,
    (baseline, target): (&str, &str),
    values: &[(&str, &str)],
) -> anyhow::Result<(Indicator, Vec<IndicatorValue>)> {
    let values = values
        .iter()
        .map(|(on, value)| {
            Ok(IndicatorValue {
                on: day(on)?,
                value: (*value).to_owned(),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok((
        Indicator {
            definition: definition.to_owned(),
            unit: unit.to_owned(),
            source: Some("Tableau de bord de la coordination (fictif)".to_owned()),
            baseline: Some(baseline.to_owned()),
            target: Some(target.to_owned()),
            counts: None,
        },
        values,
    ))
}

fn status(status: MeasureStatus, evidence: &str, on: &str) -> anyhow::Result<Option<YearStatus>> {
    Ok(Some(YearStatus {
        status,
        evidence: evidence.to_owned(),
        on: day(on)?,
    }))
}

/// The fictional plan's annual strategic plan for 2025: measures 1 to 3
/// complete, measure 4 with only a milestone due in 2026.
async fn seed_annual_plan(tx: &mut Tx) -> anyhow::Result<()> {
    let code = PlanCode::parse("DEMO-FICTIF").ok_or_else(|| anyhow::anyhow!("demo plan code"))?;
    let years: [(u32, YearSeed); 4] = [
        (
            1,
            YearSeed {
                money: YearMoney {
                    cost: Some(euros("180 000")?),
                    funding: Some(FundingSource::Budget {
                        programme: "137".into(),
                        action: "25".into(),
                    }),
                },
                status: status(
                    MeasureStatus::InProgress,
                    "Bilan trimestriel de la coordination au 30/09/2025 (fictif)",
                    "2025-09-30",
                )?,
                milestones: vec![
                    milestone("Marché de formation notifié (fictif)", "2025-03-31", Some("2025-03-20"))?,
                    milestone("1 000 professionnels formés (fictif)", "2025-12-15", None)?,
                ],
                indicators: vec![indicator(
                    "Professionnels de première ligne formés (fictif)",
                    "personnes",
                    ("350", "1200"),
                    &[("2025-03-31", "480"), ("2025-06-30", "760"), ("2025-09-30", "1010")],
                )?],
            },
        ),
        (
            2,
            YearSeed {
                money: YearMoney {
                    cost: Some(euros("600 000")?),
                    funding: Some(FundingSource::Agrasc),
                },
                status: status(
                    MeasureStatus::PartiallyDone,
                    "Conventions signées avec deux réseaux d'hébergement (fictif)",
                    "2025-06-30",
                )?,
                milestones: vec![milestone(
                    "Appel à projets publié (fictif)",
                    "2025-04-30",
                    Some("2025-05-12"),
                )?],
                indicators: vec![indicator(
                    "Places d'hébergement sécurisé ouvertes (fictif)",
                    "places",
                    ("40", "70"),
                    &[("2025-06-30", "52")],
                )?],
            },
        ),
        (
            3,
            YearSeed {
                money: YearMoney {
                    cost: Some(euros("45 000")?),
                    funding: Some(FundingSource::EuFunds),
                },
                status: status(
                    MeasureStatus::Done,
                    "Arrêtés de désignation dans toutes les préfectures (fictif)",
                    "2025-11-28",
                )?,
                milestones: vec![milestone(
                    "Instruction aux préfets (fictif)",
                    "2025-02-15",
                    Some("2025-02-10"),
                )?],
                indicators: vec![indicator(
                    "Préfectures dotées d'un référent (fictif)",
                    "préfectures",
                    ("30", "101"),
                    &[("2025-06-30", "74"), ("2025-11-28", "101")],
                )?],
            },
        ),
        (
            4,
            YearSeed {
                milestones: vec![milestone("Méthode d'estimation validée (fictif)", "2026-03-31", None)?],
                ..YearSeed::default()
            },
        ),
    ];
    for (number, seed) in &years {
        let at = YearMeasure {
            code: code.clone(),
            year: 2025,
            number: *number,
        };
        annual::seed_year_as_system(tx, &at, seed).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_second_plan_carries_only_verified_ratings() {
        let rated: Vec<&str> = super::SECOND_PLAN
            .lines()
            .skip(1)
            .filter(|l| l.ends_with("done"))
            .collect();
        assert_eq!(rated.len(), 6, "M1–M6 are the measures the reference rates");
    }
}
