//! `relais plan import|report|export`: national action plans as files, for
//! administrations moving their spreadsheets and for the tests.

use anyhow::Context;
use clap::{Args, ValueEnum};
use relais_domain::coordination::completeness::{Gap, Summary};
use relais_domain::coordination::measure::{Period, PlanCode};
use relais_domain::coordination::status::{MeasureStatus, Rating};
use relais_domain::time::Timestamp;
use relais_store::coordination::{self, ImportError, PlanHeader};
use relais_store::{Actor, Store, StoreError};
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ImportArgs {
    /// UTF-8 CSV whose header names the columns
    /// axis,axis_title,action,action_title,measure,title,pilot,partners,deadline,indicator,
    /// baseline,target,cost_eur,funding,status,rapporteur_status (partners separated by `;`).
    pub file: PathBuf,
    /// The plan's code (letters, digits, `-`, `_`, `.`), e.g. PNLTEH-2.
    #[arg(long)]
    pub code: String,
    /// The plan's title.
    #[arg(long)]
    pub title: String,
    /// First year of the plan.
    #[arg(long)]
    pub start: i32,
    /// Last year of the plan.
    #[arg(long)]
    pub end: i32,
    /// Create the pilot and partner bodies the file names that do not exist yet
    /// (otherwise an unknown body is an error).
    #[arg(long)]
    pub create_bodies: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
}

#[derive(Args)]
pub struct ReportArgs {
    /// The plan's code.
    pub code: String,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The plan's code.
    pub code: String,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

fn code(raw: &str) -> anyhow::Result<PlanCode> {
    PlanCode::parse(raw).with_context(|| format!("{raw:?} is not a plan code (letters, digits, -, _, .)"))
}

/// Imports the whole file or nothing: exit 2 naming every wrong line and column.
#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn import(store: &Store, args: &ImportArgs, now: Timestamp) -> anyhow::Result<ExitCode> {
    let period = Period::new(args.start, args.end)
        .with_context(|| format!("the period {}–{} is not a span of years", args.start, args.end))?;
    let title = args.title.trim();
    anyhow::ensure!(!title.is_empty(), "the plan needs a title (--title)");
    let header = PlanHeader {
        code: code(&args.code)?,
        title: title.to_owned(),
        period,
    };
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {} (UTF-8 expected)", args.file.display()))?;
    let mut tx = store.begin(Actor::system(), "cli-plan-import", now).await?;
    match coordination::import_as_system(&mut tx, &header, &text, args.create_bodies).await {
        Ok(imported) => {
            tx.commit().await?;
            println!(
                "Plan {}: {} measures imported, {} new or changed, {} bodies created.",
                header.code.as_str(),
                imported.measures,
                imported.changed,
                imported.bodies_created
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Invalid(problems)) => Ok(crate::refusal::import_refused(&args.file, &problems)),
        Err(ImportError::Store(error)) => Err(error.into()),
    }
}

/// Loads a plan as the system, or says plainly that it does not exist.
async fn load(
    store: &Store,
    raw_code: &str,
    request_id: &str,
    now: Timestamp,
) -> anyhow::Result<Option<(coordination::Plan, Vec<coordination::StoredMeasure>)>> {
    let code = code(raw_code)?;
    let mut tx = store.begin(Actor::system(), request_id, now).await?;
    match coordination::plan_as_system(&mut tx, &code).await {
        Ok(plan) => {
            tx.commit().await?;
            Ok(Some(plan))
        }
        Err(StoreError::NotFound) => {
            eprintln!("No plan has the code {raw_code}.");
            Ok(None)
        }
        Err(other) => Err(other.into()),
    }
}

#[allow(clippy::print_stdout, reason = "a command-line tool reports on standard output")]
pub async fn report(store: &Store, args: &ReportArgs, now: Timestamp) -> anyhow::Result<ExitCode> {
    let Some((plan, measures)) = load(store, &args.code, "cli-plan-report", now).await? else {
        return Ok(ExitCode::from(2));
    };
    let summary = Summary::of(measures.iter().map(|m| &m.record));
    match args.format {
        ReportFormat::Json => {
            let report = report_json(&plan, &summary);
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        ReportFormat::Table => print!("{}", report_table(&plan, &summary)),
    }
    Ok(ExitCode::SUCCESS)
}

fn counts<T: Copy>(all: &[T], key: fn(T) -> &'static str, count: impl Fn(T) -> usize, other: (&str, usize)) -> Value {
    let mut map: Map<String, Value> = all.iter().map(|v| (key(*v).to_owned(), json!(count(*v)))).collect();
    map.insert(other.0.to_owned(), json!(other.1));
    Value::Object(map)
}

/// The report's JSON: the keys `relais plan report --format json` promises.
fn report_json(plan: &coordination::Plan, summary: &Summary) -> Value {
    let missing: Map<String, Value> = Gap::ALL
        .iter()
        .map(|gap| (gap.key().to_owned(), json!(summary.lacking(*gap))))
        .collect();
    json!({
        "plan": {
            "code": plan.code.as_str(),
            "title": plan.title,
            "start": plan.period.start,
            "end": plan.period.end,
        },
        "measures": summary.measures,
        "status": counts(&MeasureStatus::ALL, MeasureStatus::key, |s| summary.count_of(s), ("unknown", summary.status_unknown)),
        "rapporteur_status": counts(&Rating::ALL, Rating::key, |r| summary.rated(r), ("unassessed", summary.unassessed)),
        "missing": missing,
        "complete": summary.complete,
        "cost_eur_total": summary.cost_total.as_f64(),
        "divergent": summary.divergent,
    })
}

fn report_table(plan: &coordination::Plan, summary: &Summary) -> String {
    let mut lines = vec![
        format!(
            "{} — {} ({}–{})",
            plan.code.as_str(),
            plan.title,
            plan.period.start,
            plan.period.end
        ),
        format!("measures                {}", summary.measures),
    ];
    for status in MeasureStatus::ALL {
        lines.push(format!("status {:<16} {}", status.key(), summary.count_of(status)));
    }
    lines.push(format!("status {:<16} {}", "unknown", summary.status_unknown));
    for rating in Rating::ALL {
        lines.push(format!("rapporteur {:<12} {}", rating.key(), summary.rated(rating)));
    }
    lines.push(format!("rapporteur {:<12} {}", "unassessed", summary.unassessed));
    for gap in Gap::ALL {
        lines.push(format!("missing {:<15} {}", gap.key(), summary.lacking(gap)));
    }
    lines.push(format!("complete                {}", summary.complete));
    lines.push(format!("cost_eur_total          {}", summary.cost_total.to_text()));
    lines.push(format!("divergent               {}", summary.divergent));
    lines.join("\n") + "\n"
}

pub async fn export(store: &Store, args: &ExportArgs, now: Timestamp) -> anyhow::Result<ExitCode> {
    let code = code(&args.code)?;
    let mut tx = store.begin(Actor::system(), "cli-plan-export", now).await?;
    let bytes = match args.format {
        ExportFormat::Csv => coordination::export_csv(&mut tx, &code).await.map(String::into_bytes),
        ExportFormat::Xlsx => coordination::export_xlsx(&mut tx, &code).await,
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(StoreError::NotFound) => {
            eprintln!("No plan has the code {}.", args.code);
            return Ok(ExitCode::from(2));
        }
        Err(other) => return Err(other.into()),
    };
    tx.commit().await?;
    match &args.output {
        Some(path) => std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}
