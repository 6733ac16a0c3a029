//! `relais stats mse`: multiple systems estimation of how many victims no list has seen, from
//! a CSV table of how the lists overlap. The statistics live in `relais-stats`; this module
//! reads the file, draws the bootstrap's progress and prints the report. `--method lcmcr` runs
//! the Bayesian latent-class model instead, whose report says first whether its chains agree;
//! `--method all` runs the three side by side (`relais_stats::compare`) with the warnings that
//! apply.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use relais_stats::{
    CompareOptions, Comparison, DEFAULT_THRESHOLD, Dataset, IntervalKind, LcmcrOptions, LcmcrReport, MAX_RHAT, MIN_ESS,
    Method, Options, Prior, Report, analyse, compare, estimate_lcmcr,
};

/// How the model is chosen.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MseMethod {
    /// Add pairwise interactions one at a time while their p-value is below the threshold
    /// (Chan, Silverman & Vincent 2021).
    Stepwise,
    /// Lowest BIC over every model with pairwise interactions, up to 6 lists (Silverman, Chan
    /// & Vincent 2024).
    Bic,
    /// Bayesian latent-class model (LCMCR, Manrique-Vallier 2016): lists dependent because
    /// people differ in how visible they are. Ignores --threshold and --bootstrap.
    Lcmcr,
    /// The three methods side by side, the stepwise estimate at the thresholds 0.01, 0.02 and
    /// 0.05, and the warnings that apply (docs/statistics/mse.md).
    All,
}

/// How the report is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MseFormat {
    /// Aligned text for a person.
    Table,
    /// One JSON object for a program.
    Json,
}

/// Arguments of `relais stats mse`.
#[derive(clap::Args, Debug)]
pub struct MseArgs {
    /// CSV table: one 0/1 column per list, the count in the last column, a header naming the
    /// lists.
    pub file: PathBuf,
    /// p-value threshold of the stepwise selection, between 0 and 1.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD, value_parser = probability)]
    pub threshold: f64,
    /// Bootstrap replicates for the BCa interval; 0 skips the bootstrap.
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Seed of the bootstrap or of the latent-class chains: the same seed gives the same
    /// result.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Latent-class method: most latent classes K (1 to 64).
    #[arg(long, default_value_t = 10)]
    pub classes: usize,
    /// Latent-class method: iterations dropped at the start of each chain.
    #[arg(long, default_value_t = 50_000)]
    pub burnin: usize,
    /// Latent-class method: draws kept per chain.
    #[arg(long, default_value_t = 5_000)]
    pub samples: usize,
    /// Latent-class method: iterations per kept draw.
    #[arg(long, default_value_t = 50)]
    pub thinning: usize,
    /// Latent-class method: number of chains, run in parallel.
    #[arg(long, default_value_t = 4)]
    pub chains: usize,
    /// Model selection.
    #[arg(long, value_enum, default_value_t = MseMethod::Stepwise)]
    pub method: MseMethod,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MseFormat::Table)]
    pub format: MseFormat,
}

/// Runs the analysis: the report goes to stdout, warnings and the progress bar to stderr.
pub fn run(args: &MseArgs) -> anyhow::Result<()> {
    let file = args.file.display();
    let text = std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {file}"))?;
    let parsed = Dataset::from_csv(&text).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    for warning in &parsed.warnings {
        eprintln!("warning: {file}: {warning}");
    }
    let method = match args.method {
        MseMethod::Stepwise => Method::Stepwise,
        MseMethod::Bic => Method::Bic,
        MseMethod::Lcmcr => return run_lcmcr(args, &parsed.dataset),
        MseMethod::All => return run_all(args, &parsed.dataset),
    };
    let options = Options {
        method,
        threshold: args.threshold,
        replicates: args.bootstrap,
        seed: args.seed,
    };
    let bar = progress_bar(args.bootstrap);
    let report = analyse(&parsed.dataset, &options, &|_| {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    })
    .map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    match args.format {
        MseFormat::Json => print_json(&report),
        MseFormat::Table => {
            print_table(&args.file, parsed.dataset.lists(), &report);
            Ok(())
        }
    }
}

fn run_lcmcr(args: &MseArgs, dataset: &Dataset) -> anyhow::Result<()> {
    let options = LcmcrOptions {
        prior: Prior {
            classes: args.classes,
            ..Prior::default()
        },
        burnin: args.burnin,
        samples: args.samples,
        thinning: args.thinning,
        chains: args.chains,
        seed: args.seed,
    };
    let report = estimate_lcmcr(dataset, &options).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    match args.format {
        MseFormat::Json => {
            #[allow(clippy::print_stdout, reason = "the report is the command's output")]
            {
                println!("{}", serde_json::to_string_pretty(&report)?);
            }
            Ok(())
        }
        MseFormat::Table => {
            print_lcmcr_table(&args.file, dataset.lists(), &report);
            Ok(())
        }
    }
}

#[allow(clippy::print_stdout, reason = "the report is the command's output")]
fn print_lcmcr_table(file: &std::path::Path, lists: &[String], report: &LcmcrReport) {
    let row = |label: &str, value: String| println!("{label:<24}{value}");
    let diagnostics = &report.diagnostics;
    if !diagnostics.converged {
        println!("WARNING: the chains did not converge. Run separately, they do not settle on the same");
        println!("population size, so the figures below are not reliable: do not publish them.");
        println!("Run longer chains (--burnin, --samples) or use another method, and ask a statistician.");
        println!();
    }
    println!("Latent-class estimation (LCMCR): {}", file.display());
    row("lists", format!("{} ({})", lists.join(", "), lists.len()));
    row("cases seen", report.observed.to_string());
    row(
        "estimated population",
        format!("{:.0} (posterior median)", report.estimate),
    );
    let [low, high] = report.credible_interval;
    row("95 % credible interval", format!("{low:.0} – {high:.0}"));
    let medians: Vec<String> = report.chains.iter().map(|m| format!("{m:.0}")).collect();
    row("median of each chain", medians.join(", "));
    row(
        "convergence",
        format!(
            "{}: R-hat {:.3} (needs < {MAX_RHAT}), effective sample size {:.0} (needs ≥ {MIN_ESS})",
            if diagnostics.converged { "yes" } else { "NO" },
            diagnostics.rhat,
            diagnostics.ess
        ),
    );
    let settings = &report.settings;
    row(
        "settings",
        format!(
            "K = {}, α ~ Gamma(shape {}, rate {}), burn-in {}, {} draws per chain, thinning {}, {} chains, seed {}",
            settings.prior.classes,
            settings.prior.alpha_shape,
            settings.prior.alpha_rate,
            settings.burnin,
            settings.samples,
            settings.thinning,
            settings.chains,
            settings.seed
        ),
    );
}

fn run_all(args: &MseArgs, dataset: &Dataset) -> anyhow::Result<()> {
    let options = CompareOptions {
        threshold: args.threshold,
        replicates: args.bootstrap,
        seed: args.seed,
        burnin: args.burnin,
        samples: args.samples,
        thinning: args.thinning,
        chains: args.chains,
        classes: args.classes,
    };
    let bar = percent_bar();
    let comparison = compare(dataset, &options, &|done| {
        if let Some(bar) = &bar {
            bar.set_position(u64::from(done));
        }
    })
    .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match args.format {
        MseFormat::Json => {
            #[allow(clippy::print_stdout, reason = "the report is the command's output")]
            {
                println!("{}", serde_json::to_string_pretty(&comparison)?);
            }
            Ok(())
        }
        MseFormat::Table => {
            print_comparison(&args.file, &comparison);
            Ok(())
        }
    }
}

/// The warnings first, as for the latent-class method alone, then one line per method and the
/// stepwise estimate at each threshold.
#[allow(clippy::print_stdout, reason = "the report is the command's output")]
fn print_comparison(file: &std::path::Path, comparison: &Comparison) {
    if !comparison.warnings.is_empty() {
        println!("WARNINGS (docs/statistics/mse.md, \"When not to publish\"):");
        for warning in &comparison.warnings {
            println!("- {}", warning.message());
        }
        println!();
    }
    let figure = |value: Option<f64>| value.map_or_else(|| "inf".to_owned(), |v| format!("{v:.0}"));
    let kind = |kind: IntervalKind| match kind {
        IntervalKind::Bca => "95 % BCa",
        IntervalKind::Wald => "95 % Wald",
        IntervalKind::Credible => "95 % credible",
    };
    println!("Multiple systems estimation, methods side by side: {}", file.display());
    println!(
        "{:<24}{} ({})",
        "lists",
        comparison.lists.join(", "),
        comparison.lists.len()
    );
    println!("{:<24}{}", "cases seen", comparison.observed);
    println!();
    println!("{:<12}{:>10}  {:<22}kind", "method", "estimate", "interval");
    for line in comparison.lines() {
        let Some(estimate) = line.estimate else {
            println!("{:<12}{:>10}", line.method.key(), "—");
            continue;
        };
        let [low, high] = line.interval;
        println!(
            "{:<12}{:>10.0}  {:<22}{}",
            line.method.key(),
            estimate,
            format!("{} – {}", figure(low), figure(high)),
            kind(line.kind)
        );
    }
    println!();
    println!("Stepwise estimate by threshold:");
    for at in &comparison.sensitivity {
        let Some(result) = &at.result else {
            println!("  p < {:<8}no estimate", at.threshold);
            continue;
        };
        let ([low, high], interval) = result.interval();
        println!(
            "  p < {:<8}{:>10}  {} – {} ({}), model: {}",
            at.threshold,
            figure(result.estimate),
            figure(low),
            figure(high),
            kind(interval),
            if result.model.is_empty() {
                "main effects".to_owned()
            } else {
                result.model.join(", ")
            }
        );
    }
}

/// A bar on stderr in percent while the methods run, only when a person watches it.
fn percent_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let style = ProgressStyle::with_template("methods {bar:40} {pos} %, {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    Some(ProgressBar::new(100).with_style(style))
}

fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("expected a number between 0 and 1, found {text:?}")),
    }
}

/// A bar on stderr while bootstrapping, only when a person watches it.
fn progress_bar(replicates: usize) -> Option<ProgressBar> {
    if replicates == 0 || !std::io::stderr().is_terminal() {
        return None;
    }
    let style = ProgressStyle::with_template("bootstrap {bar:40} {pos}/{len} replicates, {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    Some(ProgressBar::new(replicates as u64).with_style(style))
}

#[allow(clippy::print_stdout, reason = "the report is the command's output")]
fn print_json(report: &Report) -> anyhow::Result<()> {
    // Non-finite numbers (a limit at +∞) come out as null, which JSON requires.
    println!("{}", serde_json::to_string_pretty(report)?);
    Ok(())
}

#[allow(clippy::print_stdout, reason = "the report is the command's output")]
fn print_table(file: &std::path::Path, lists: &[String], report: &Report) {
    let row = |label: &str, value: String| println!("{label:<24}{value}");
    let pairs = |pairs: &[String]| {
        if pairs.is_empty() {
            "none".to_owned()
        } else {
            pairs.join(", ")
        }
    };
    println!("Multiple systems estimation: {}", file.display());
    row("lists", format!("{} ({})", lists.join(", "), lists.len()));
    row("cases seen", report.observed.to_string());
    let method = match report.threshold {
        Some(threshold) => format!("stepwise, p < {threshold}"),
        None => "lowest BIC".to_owned(),
    };
    row("model", format!("{method}: {}", pairs(&report.model)));
    row("pairs at −∞", pairs(&report.excluded_pairs));
    row(
        "fit",
        format!(
            "deviance {:.2} on {} df, AIC {:.2}",
            report.deviance, report.df, report.aic
        ),
    );
    row("estimated population", format!("{:.0}", report.estimate));
    row("unseen (dark figure)", format!("{:.0}", report.dark_figure));
    let [low, high] = report.wald_ci;
    row("Wald 95 % interval", format!("{low:.0} – {high:.0}"));
    if let (Some(limits), Some(boot)) = (&report.bca_ci, &report.bootstrap) {
        let at = |level: f64| {
            limits
                .iter()
                .find(|l| (l.level - level).abs() < 1e-9)
                .map_or(f64::NAN, |l| l.value)
        };
        row(
            "BCa bootstrap",
            format!("{} replicates, seed {}", boot.replicates, boot.seed),
        );
        for (coverage, low, high) in [(95, 0.025, 0.975), (90, 0.05, 0.95), (80, 0.1, 0.9), (68, 0.16, 0.84)] {
            row(
                &format!("BCa {coverage} % interval"),
                format!("{:.0} – {:.0}", at(low), at(high)),
            );
        }
    }
}
