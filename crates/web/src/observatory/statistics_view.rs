//! The statistics page's words and choices around the pure figures: the dimension's label,
//! each category's label (a form of exploitation, a sex, a département by its name), the
//! options of the choice form, and why nothing can be shown when nothing can.

use crate::page::Page;
use relais_domain::territory::Departement;
use relais_observatory::consolidate::Dimension;
use relais_observatory::import::Schema;
use relais_observatory::statistics::chart::{self, BarChart, TrendChart};
use relais_observatory::statistics::map::{self, Map};
use relais_observatory::statistics::series::Figure;
use relais_observatory::statistics::{Category, Layout, ProtectedSeries, PublishedSeries, Series};
use relais_stats::Disclosure;
use relais_store::observatory::{CurrentRows, Source};
use serde::Deserialize;

/// One option of a choice: its value, its label, whether it is the one shown.
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Default)]
pub struct Choices {
    pub sources: Vec<ChoiceOption>,
    pub years: Vec<ChoiceOption>,
    pub dimensions: Vec<ChoiceOption>,
}

/// A category's published figure.
pub struct Row {
    pub label: String,
    pub text: String,
}

/// A category over the years.
pub struct TrendRow {
    pub label: String,
    pub cells: Vec<String>,
    pub total: String,
}

pub struct Figures {
    /// "Sexe", "Département"…
    pub dimension: String,
    pub year: i32,
    /// "Sexe en 2024".
    pub title: String,
    pub rows: Vec<Row>,
    pub total: String,
    pub bars: BarChart,
    pub years: Vec<i32>,
    pub trend: TrendChart,
    pub trend_rows: Vec<TrendRow>,
    pub trend_totals: Vec<String>,
    pub grand_total: String,
    /// When the dimension is the département; its table is the year's.
    pub map: Option<Map>,
}

pub struct Built {
    pub choices: Choices,
    pub message: Option<String>,
    pub figures: Option<Figures>,
}

pub fn dimension_label(page: &Page, d: Dimension) -> String {
    page.t(&format!("observatory-dimension-{}", d.key()))
}

/// A category as readers know it: a translated form or sex, a département's name; otherwise
/// as the source writes it.
fn category_label(page: &Page, d: Dimension, category: &Category) -> String {
    let Some(category) = category.value() else {
        return page.t("observatory-stats-not-recorded");
    };
    let translated = |key: String| {
        let text = page.t(&key);
        (text != key).then_some(text)
    };
    let label = match d {
        Dimension::Form => translated(format!("form-{category}")),
        Dimension::Sex => match category {
            "F" => Some(page.t("sex-female")),
            "M" => Some(page.t("sex-male")),
            _ => None,
        },
        Dimension::Departement => Departement::parse(category)
            .and_then(relais_domain::geo::place)
            .map(|p| format!("{} — {}", p.code, p.name)),
        Dimension::AgeGroup | Dimension::NationalityGroup | Dimension::ReferrerType => None,
    };
    label.unwrap_or_else(|| category.to_owned())
}

fn nothing(choices: Choices, message: String) -> Built {
    Built {
        choices,
        message: Some(message),
        figures: None,
    }
}

pub fn build(
    page: &Page,
    sources: &[Source],
    source: Option<&Source>,
    current: Option<&CurrentRows>,
    choice: &Choice,
    min_group: usize,
) -> Built {
    let mut choices = Choices {
        sources: sources
            .iter()
            .map(|s| ChoiceOption {
                value: s.definition.code.as_str().to_owned(),
                label: s.definition.name.clone(),
                selected: source.is_some_and(|c| c.id == s.id),
            })
            .collect(),
        ..Choices::default()
    };
    let (Some(source), Some(current)) = (source, current) else {
        return nothing(choices, page.t("observatory-stats-no-source"));
    };
    let layout = match Schema::parse(&current.schema_json)
        .map_err(|_| page.t("observatory-stats-unreadable"))
        .and_then(|schema| {
            Layout::of(&schema, source.definition.data_kind)
                .map_err(|e| page.t(&format!("observatory-stats-{}", e.key())))
        }) {
        Ok(layout) => layout,
        Err(message) => return nothing(choices, message),
    };
    let dimension = layout
        .dimensions
        .iter()
        .map(|(d, _)| *d)
        .find(|d| d.key() == choice.dimension)
        .or(layout.dimensions.first().map(|(d, _)| *d));
    choices.dimensions = layout
        .dimensions
        .iter()
        .map(|(d, _)| ChoiceOption {
            value: d.key().to_owned(),
            label: dimension_label(page, *d),
            selected: Some(*d) == dimension,
        })
        .collect();
    let Some(dimension) = dimension else {
        return nothing(choices, page.t("observatory-stats-no-dimension"));
    };
    let series = match Series::count(&layout, dimension, &current.rows) {
        Ok(Some(series)) => series,
        Ok(None) => return nothing(choices, page.t("observatory-stats-empty")),
        Err(_) => return nothing(choices, page.t("observatory-stats-unreadable")),
    };
    let published = ProtectedSeries::new(series, Disclosure::new(min_group)).published();
    let years = published.years.clone();
    let year = years
        .iter()
        .copied()
        .find(|y| y.to_string() == choice.year)
        .or(years.last().copied());
    choices.years = years
        .iter()
        .rev()
        .map(|y| ChoiceOption {
            value: y.to_string(),
            label: y.to_string(),
            selected: Some(*y) == year,
        })
        .collect();
    match year.and_then(|y| figures_view(page, &published, y)) {
        Some(figures) => Built {
            choices,
            message: None,
            figures: Some(figures),
        },
        None => nothing(choices, page.t("observatory-stats-empty")),
    }
}

/// The figures of `year` and the trend up to the series' last year, labelled for the page;
/// `None` when the series does not hold the year.
pub fn figures_view(page: &Page, published: &PublishedSeries, year: i32) -> Option<Figures> {
    let (figures, total) = published.year(year)?;
    let dimension = published.dimension;
    let categories = &published.categories;
    let labels: Vec<String> = categories.iter().map(|c| category_label(page, dimension, c)).collect();
    let rows = labels
        .iter()
        .zip(&figures)
        .map(|(label, f)| Row {
            label: label.clone(),
            text: f.text.clone(),
        })
        .collect();
    let years = published.years.clone();
    let (n, m) = (categories.len(), years.len());
    let trend_rows = labels
        .iter()
        .enumerate()
        .map(|(i, label)| TrendRow {
            label: label.clone(),
            cells: (0..m).map(|j| published.cell(i, j).text).collect(),
            total: published.cell(i, m).text,
        })
        .collect();
    let map = (dimension == Dimension::Departement).then(|| {
        // Those not recorded have no place: they are in the table.
        let placed: Vec<(String, Figure)> = categories
            .iter()
            .zip(&figures)
            .filter_map(|(c, f)| Some((c.value()?.to_owned(), f.clone())))
            .collect();
        map::map(&placed)
    });
    let label = dimension_label(page, dimension);
    Some(Figures {
        title: page.tr.tn(
            "observatory-stats-year-title",
            &[("dimension", label.clone()), ("year", year.to_string())],
        ),
        dimension: label,
        year,
        rows,
        total: total.text,
        bars: chart::bars(labels.clone(), &figures),
        trend: chart::trend(labels, published),
        trend_rows,
        trend_totals: (0..m).map(|j| published.cell(n, j).text).collect(),
        grand_total: published.cell(n, m).text,
        years,
        map,
    })
}

/// What the reader chose; anything unknown falls back on the first choice offered.
#[derive(Deserialize, Default)]
pub struct Choice {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub dimension: String,
}
