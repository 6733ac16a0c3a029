//! A symbol map of France by département: a circle at each prefecture (`relais_domain::geo`)
//! whose area is in proportion to the département's figure. Metropolitan France is drawn with
//! an equirectangular projection (longitudes shrunk by the cosine of the middle latitude, which
//! keeps its shape within a few per cent); the five overseas départements, thousands of
//! kilometres away, each get an inset below it. A hidden figure is a hollow mark of a fixed
//! size, never a circle to scale.

use relais_domain::geo;
use relais_domain::territory::Departement;
use relais_stats::Published;

use super::series::Figure;

const LON_WEST: f64 = -5.5;
const LON_EAST: f64 = 10.0;
const LAT_NORTH: f64 = 51.5;
const LAT_SOUTH: f64 = 41.0;
/// SVG units per degree of latitude.
const SCALE: f64 = 52.0;
const MARGIN: f64 = 10.0;
const INSET_WIDTH: f64 = 108.0;
const INSET_HEIGHT: f64 = 84.0;
const INSET_GAP: f64 = 8.0;
/// The largest circle's radius.
const MAX_RADIUS: f64 = 22.0;
/// The radius of a hollow mark (a hidden figure).
const HIDDEN_RADIUS: f64 = 5.0;

/// The overseas départements, in the order of their insets.
pub const OVERSEAS: [&str; 5] = ["971", "972", "973", "974", "976"];

/// A point of the drawing, in SVG units (y downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

fn cos_middle() -> f64 {
    ((LAT_NORTH + LAT_SOUTH) / 2.0).to_radians().cos()
}

/// Where a point of metropolitan France is drawn.
pub fn project(lat: f64, lon: f64) -> Point {
    Point {
        x: MARGIN + (lon - LON_WEST) * cos_middle() * SCALE,
        y: MARGIN + (LAT_NORTH - lat) * SCALE,
    }
}

/// The bottom of metropolitan France's frame: the insets are below it.
fn metropolitan_height() -> f64 {
    MARGIN + (LAT_NORTH - LAT_SOUTH) * SCALE
}

/// A box holding one overseas département.
#[derive(Debug, Clone, PartialEq)]
pub struct Inset {
    pub code: &'static str,
    pub name: &'static str,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Inset {
    /// Where the département's symbol stands: below the name written at the top of the box.
    pub fn centre(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + (self.height + 16.0) / 2.0,
        }
    }

    pub fn contains(&self, p: Point) -> bool {
        (self.x..=self.x + self.width).contains(&p.x) && (self.y..=self.y + self.height).contains(&p.y)
    }
}

pub fn insets() -> Vec<Inset> {
    let top = metropolitan_height() + 10.0;
    OVERSEAS
        .iter()
        .enumerate()
        .filter_map(|(k, code)| {
            let place = geo::place(Departement::parse(code)?)?;
            Some(Inset {
                code: place.code,
                name: place.name,
                x: MARGIN + k as f64 * (INSET_WIDTH + INSET_GAP),
                y: top,
                width: INSET_WIDTH,
                height: INSET_HEIGHT,
            })
        })
        .collect()
}

/// Where a département is drawn: its prefecture, or the centre of its inset overseas.
pub fn position(departement: Departement) -> Option<Point> {
    if let Some(inset) = insets().into_iter().find(|i| i.code == departement.code()) {
        return Some(inset.centre());
    }
    let place = geo::place(departement)?;
    Some(project(place.lat, place.lon))
}

/// One département's mark.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbol {
    pub code: &'static str,
    pub name: &'static str,
    pub x: f64,
    pub y: f64,
    pub radius: f64,
    /// A hollow mark: the figure is hidden.
    pub hidden: bool,
    /// The figure as published (`1 234`, `<5`, `x`).
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    pub width: f64,
    pub height: f64,
    pub insets: Vec<Inset>,
    /// Every département's place, drawn faintly so that France's shape shows.
    pub dots: Vec<Point>,
    /// Largest first, so that a small circle is drawn over a larger one.
    pub symbols: Vec<Symbol>,
    /// Categories that are not département codes: in the table only.
    pub unplaced: Vec<String>,
}

/// The map of `figures`, one per category (département code as written in the source).
pub fn map(figures: &[(String, Figure)]) -> Map {
    let largest = figures
        .iter()
        .filter_map(|(_, f)| match f.cell {
            Published::Count(n) => Some(n),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut symbols = Vec::new();
    let mut unplaced = Vec::new();
    for (code, figure) in figures {
        let placed = Departement::parse(code).and_then(|d| Some((geo::place(d)?, position(d)?)));
        let Some((place, at)) = placed else {
            unplaced.push(code.clone());
            continue;
        };
        let radius = match figure.cell {
            Published::Count(0) => continue,
            Published::Count(n) => MAX_RADIUS * (n as f64 / largest).sqrt(),
            Published::Primary | Published::Secondary => HIDDEN_RADIUS,
        };
        symbols.push(Symbol {
            code: place.code,
            name: place.name,
            x: at.x,
            y: at.y,
            radius,
            hidden: figure.cell.is_hidden(),
            text: figure.text.clone(),
        });
    }
    symbols.sort_by(|a, b| b.radius.total_cmp(&a.radius));
    let insets = insets();
    let height = insets.first().map_or(metropolitan_height(), |i| i.y + i.height) + MARGIN;
    Map {
        width: (2.0 * MARGIN + (LON_EAST - LON_WEST) * cos_middle() * SCALE)
            .max(2.0 * MARGIN + 5.0 * INSET_WIDTH + 4.0 * INSET_GAP),
        height,
        insets,
        dots: Departement::all().filter_map(position).collect(),
        symbols,
        unplaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(code: &str) -> Point {
        position(Departement::parse(code).unwrap()).unwrap()
    }

    fn figure(cell: Published) -> Figure {
        Figure {
            cell,
            text: super::super::series::published_text(cell, 5),
        }
    }

    #[test]
    fn paris_is_north_of_marseille_and_brest_west_of_strasbourg() {
        assert!(at("75").y < at("13").y, "north is up");
        assert!(at("29").x < at("67").x, "west is left");
        assert!(at("2A").y > at("13").y, "Corsica is south of Marseille");
    }

    #[test]
    fn metropolitan_france_fits_its_frame_and_the_overseas_departements_their_insets() {
        let map = map(&[]);
        let insets = &map.insets;
        assert_eq!(insets.len(), 5);
        for d in Departement::all() {
            let p = at(d.code());
            assert!(p.x > 0.0 && p.x < map.width && p.y > 0.0 && p.y < map.height, "{d}");
            match insets.iter().find(|i| i.code == d.code()) {
                Some(inset) => assert!(inset.contains(p), "{d} in its inset"),
                None => {
                    assert!(p.y < metropolitan_height(), "{d} above the insets");
                    assert!(insets.iter().all(|i| !i.contains(p)), "{d} in no inset");
                }
            }
        }
        assert_eq!(insets[3].name, "La Réunion");
        assert_eq!(map.dots.len(), 101);
    }

    #[test]
    fn circle_areas_follow_the_figures_and_hidden_ones_are_hollow() {
        let map = map(&[
            ("13".into(), figure(Published::Count(25))),
            ("75".into(), figure(Published::Count(100))),
            ("974".into(), figure(Published::Primary)),
            ("93".into(), figure(Published::Secondary)),
            ("33".into(), figure(Published::Count(0))),
            ("99".into(), figure(Published::Count(7))),
        ]);
        let radius = |code: &str| map.symbols.iter().find(|s| s.code == code).map(|s| s.radius);
        assert_eq!(radius("75"), Some(MAX_RADIUS));
        let ratio = (radius("13").unwrap() / MAX_RADIUS).powi(2);
        assert!(
            (ratio - 0.25).abs() < 1e-9,
            "a quarter of the people, a quarter of the area"
        );
        let reunion = map.symbols.iter().find(|s| s.code == "974").unwrap();
        assert!(reunion.hidden && reunion.text == "<5" && reunion.radius == HIDDEN_RADIUS);
        assert!(map.insets[3].contains(Point {
            x: reunion.x,
            y: reunion.y
        }));
        assert_eq!(radius("33"), None, "nobody, no circle");
        assert_eq!(map.unplaced, ["99"]);
        assert_eq!(map.symbols[0].code, "75", "the largest drawn first");
    }
}
