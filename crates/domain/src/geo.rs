//! Where each département's prefecture stands, so that a safe placement can be
//! chosen far enough from the places a person must avoid (R.425-8, Ac.Sé).
//!
//! Coordinates are those of the prefecture town, to two decimals (about a
//! kilometre): the distance between two départements is the distance between
//! their prefectures, which is what "far from the exploiters" can be measured
//! against when only the département is known.

use crate::territory::Departement;

/// Mean Earth radius used by the haversine formula.
const EARTH_RADIUS_KM: f64 = 6371.0;

/// A département with its prefecture town and where that town stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    pub code: &'static str,
    /// The département's name in French ("Bouches-du-Rhône").
    pub name: &'static str,
    /// The prefecture town ("Marseille").
    pub prefecture: &'static str,
    /// Latitude of the prefecture town, decimal degrees (north positive).
    pub lat: f64,
    /// Longitude of the prefecture town, decimal degrees (east positive).
    pub lon: f64,
}

const fn entry(code: &'static str, name: &'static str, prefecture: &'static str, lat: f64, lon: f64) -> Place {
    Place {
        code,
        name,
        prefecture,
        lat,
        lon,
    }
}

/// The 101 départements, in the order of [`Departement::all`].
const PLACES: [Place; 101] = [
    entry("01", "Ain", "Bourg-en-Bresse", 46.21, 5.23),
    entry("02", "Aisne", "Laon", 49.56, 3.62),
    entry("03", "Allier", "Moulins", 46.57, 3.33),
    entry("04", "Alpes-de-Haute-Provence", "Digne-les-Bains", 44.09, 6.24),
    entry("05", "Hautes-Alpes", "Gap", 44.56, 6.08),
    entry("06", "Alpes-Maritimes", "Nice", 43.70, 7.27),
    entry("07", "Ardèche", "Privas", 44.74, 4.60),
    entry("08", "Ardennes", "Charleville-Mézières", 49.77, 4.72),
    entry("09", "Ariège", "Foix", 42.97, 1.61),
    entry("10", "Aube", "Troyes", 48.30, 4.08),
    entry("11", "Aude", "Carcassonne", 43.21, 2.35),
    entry("12", "Aveyron", "Rodez", 44.35, 2.57),
    entry("13", "Bouches-du-Rhône", "Marseille", 43.30, 5.37),
    entry("14", "Calvados", "Caen", 49.18, -0.37),
    entry("15", "Cantal", "Aurillac", 44.93, 2.44),
    entry("16", "Charente", "Angoulême", 45.65, 0.16),
    entry("17", "Charente-Maritime", "La Rochelle", 46.16, -1.15),
    entry("18", "Cher", "Bourges", 47.08, 2.40),
    entry("19", "Corrèze", "Tulle", 45.27, 1.77),
    entry("21", "Côte-d'Or", "Dijon", 47.32, 5.04),
    entry("22", "Côtes-d'Armor", "Saint-Brieuc", 48.51, -2.76),
    entry("23", "Creuse", "Guéret", 46.17, 1.87),
    entry("24", "Dordogne", "Périgueux", 45.18, 0.72),
    entry("25", "Doubs", "Besançon", 47.24, 6.02),
    entry("26", "Drôme", "Valence", 44.93, 4.89),
    entry("27", "Eure", "Évreux", 49.02, 1.15),
    entry("28", "Eure-et-Loir", "Chartres", 48.45, 1.49),
    entry("29", "Finistère", "Quimper", 48.00, -4.10),
    entry("2A", "Corse-du-Sud", "Ajaccio", 41.93, 8.74),
    entry("2B", "Haute-Corse", "Bastia", 42.70, 9.45),
    entry("30", "Gard", "Nîmes", 43.84, 4.36),
    entry("31", "Haute-Garonne", "Toulouse", 43.60, 1.44),
    entry("32", "Gers", "Auch", 43.65, 0.59),
    entry("33", "Gironde", "Bordeaux", 44.84, -0.58),
    entry("34", "Hérault", "Montpellier", 43.61, 3.88),
    entry("35", "Ille-et-Vilaine", "Rennes", 48.11, -1.68),
    entry("36", "Indre", "Châteauroux", 46.81, 1.69),
    entry("37", "Indre-et-Loire", "Tours", 47.39, 0.69),
    entry("38", "Isère", "Grenoble", 45.19, 5.72),
    entry("39", "Jura", "Lons-le-Saunier", 46.67, 5.55),
    entry("40", "Landes", "Mont-de-Marsan", 43.89, -0.50),
    entry("41", "Loir-et-Cher", "Blois", 47.59, 1.33),
    entry("42", "Loire", "Saint-Étienne", 45.44, 4.39),
    entry("43", "Haute-Loire", "Le Puy-en-Velay", 45.04, 3.88),
    entry("44", "Loire-Atlantique", "Nantes", 47.22, -1.55),
    entry("45", "Loiret", "Orléans", 47.90, 1.90),
    entry("46", "Lot", "Cahors", 44.45, 1.44),
    entry("47", "Lot-et-Garonne", "Agen", 44.20, 0.62),
    entry("48", "Lozère", "Mende", 44.52, 3.50),
    entry("49", "Maine-et-Loire", "Angers", 47.47, -0.55),
    entry("50", "Manche", "Saint-Lô", 49.12, -1.09),
    entry("51", "Marne", "Châlons-en-Champagne", 48.96, 4.36),
    entry("52", "Haute-Marne", "Chaumont", 48.11, 5.14),
    entry("53", "Mayenne", "Laval", 48.07, -0.77),
    entry("54", "Meurthe-et-Moselle", "Nancy", 48.69, 6.18),
    entry("55", "Meuse", "Bar-le-Duc", 48.77, 5.16),
    entry("56", "Morbihan", "Vannes", 47.66, -2.76),
    entry("57", "Moselle", "Metz", 49.12, 6.18),
    entry("58", "Nièvre", "Nevers", 46.99, 3.16),
    entry("59", "Nord", "Lille", 50.63, 3.06),
    entry("60", "Oise", "Beauvais", 49.43, 2.08),
    entry("61", "Orne", "Alençon", 48.43, 0.09),
    entry("62", "Pas-de-Calais", "Arras", 50.29, 2.78),
    entry("63", "Puy-de-Dôme", "Clermont-Ferrand", 45.78, 3.08),
    entry("64", "Pyrénées-Atlantiques", "Pau", 43.30, -0.37),
    entry("65", "Hautes-Pyrénées", "Tarbes", 43.23, 0.08),
    entry("66", "Pyrénées-Orientales", "Perpignan", 42.70, 2.90),
    entry("67", "Bas-Rhin", "Strasbourg", 48.57, 7.75),
    entry("68", "Haut-Rhin", "Colmar", 48.08, 7.36),
    entry("69", "Rhône", "Lyon", 45.76, 4.84),
    entry("70", "Haute-Saône", "Vesoul", 47.62, 6.15),
    entry("71", "Saône-et-Loire", "Mâcon", 46.31, 4.83),
    entry("72", "Sarthe", "Le Mans", 48.00, 0.20),
    entry("73", "Savoie", "Chambéry", 45.56, 5.92),
    entry("74", "Haute-Savoie", "Annecy", 45.90, 6.13),
    entry("75", "Paris", "Paris", 48.86, 2.35),
    entry("76", "Seine-Maritime", "Rouen", 49.44, 1.10),
    entry("77", "Seine-et-Marne", "Melun", 48.54, 2.66),
    entry("78", "Yvelines", "Versailles", 48.80, 2.13),
    entry("79", "Deux-Sèvres", "Niort", 46.32, -0.46),
    entry("80", "Somme", "Amiens", 49.89, 2.30),
    entry("81", "Tarn", "Albi", 43.93, 2.15),
    entry("82", "Tarn-et-Garonne", "Montauban", 44.02, 1.35),
    entry("83", "Var", "Toulon", 43.12, 5.93),
    entry("84", "Vaucluse", "Avignon", 43.95, 4.81),
    entry("85", "Vendée", "La Roche-sur-Yon", 46.67, -1.43),
    entry("86", "Vienne", "Poitiers", 46.58, 0.34),
    entry("87", "Haute-Vienne", "Limoges", 45.83, 1.26),
    entry("88", "Vosges", "Épinal", 48.17, 6.45),
    entry("89", "Yonne", "Auxerre", 47.80, 3.57),
    entry("90", "Territoire de Belfort", "Belfort", 47.64, 6.86),
    entry("91", "Essonne", "Évry-Courcouronnes", 48.63, 2.44),
    entry("92", "Hauts-de-Seine", "Nanterre", 48.89, 2.21),
    entry("93", "Seine-Saint-Denis", "Bobigny", 48.91, 2.44),
    entry("94", "Val-de-Marne", "Créteil", 48.79, 2.46),
    entry("95", "Val-d'Oise", "Cergy", 49.04, 2.06),
    entry("971", "Guadeloupe", "Basse-Terre", 16.00, -61.73),
    entry("972", "Martinique", "Fort-de-France", 14.62, -61.06),
    entry("973", "Guyane", "Cayenne", 4.93, -52.33),
    entry("974", "La Réunion", "Saint-Denis", -20.88, 55.45),
    entry("976", "Mayotte", "Mamoudzou", -12.78, 45.23),
];

/// The prefecture of a département (every département has one; `None` only
/// guards against the two tables drifting apart).
pub fn place(d: Departement) -> Option<&'static Place> {
    PLACES.iter().find(|p| p.code == d.code())
}

/// Great-circle distance between the prefectures of two départements, in km
/// (haversine on a sphere of radius 6371 km: within 0.5 % of the ellipsoid,
/// far finer than what separating a person from their exploiters needs).
pub fn distance_km(a: Departement, b: Departement) -> Option<f64> {
    let (a, b) = (place(a)?, place(b)?);
    let (lat_a, lat_b) = (a.lat.to_radians(), b.lat.to_radians());
    let d_lat = lat_b - lat_a;
    let d_lon = (b.lon - a.lon).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat_a.cos() * lat_b.cos() * (d_lon / 2.0).sin().powi(2);
    Some(2.0 * EARTH_RADIUS_KM * h.clamp(0.0, 1.0).sqrt().asin())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(code: &str) -> Departement {
        Departement::parse(code).unwrap()
    }

    fn km(a: &str, b: &str) -> f64 {
        distance_km(d(a), d(b)).unwrap()
    }

    #[test]
    fn every_departement_has_one_place() {
        let places: Vec<_> = Departement::all().map(|dep| place(dep).unwrap()).collect();
        assert_eq!(places.len(), 101);
        for (dep, p) in Departement::all().zip(&places) {
            assert_eq!(dep.code(), p.code);
        }
        let mut codes: Vec<_> = PLACES.iter().map(|p| p.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 101);
        let mut names: Vec<_> = PLACES.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 101);
        let mut towns: Vec<_> = PLACES.iter().map(|p| (p.lat, p.lon)).collect();
        towns.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        towns.dedup();
        assert_eq!(towns.len(), 101);
    }

    #[test]
    fn names_and_prefectures_are_the_french_ones() {
        let p = place(d("13")).unwrap();
        assert_eq!((p.name, p.prefecture), ("Bouches-du-Rhône", "Marseille"));
        assert_eq!(place(d("2A")).unwrap().prefecture, "Ajaccio");
        assert_eq!(place(d("2B")).unwrap().prefecture, "Bastia");
        assert_eq!(place(d("971")).unwrap().prefecture, "Basse-Terre");
        assert_eq!(place(d("972")).unwrap().prefecture, "Fort-de-France");
        assert_eq!(place(d("973")).unwrap().prefecture, "Cayenne");
        assert_eq!(place(d("974")).unwrap().prefecture, "Saint-Denis");
        assert_eq!(place(d("976")).unwrap().prefecture, "Mamoudzou");
    }

    #[test]
    fn coordinates_are_in_the_right_part_of_the_world() {
        for p in &PLACES {
            let overseas = p.code.len() == 3;
            let corsica = matches!(p.code, "2A" | "2B");
            if !overseas && !corsica {
                assert!((42.3..51.2).contains(&p.lat) && (-5.0..8.3).contains(&p.lon), "{p:?}");
            }
            if corsica {
                assert!((41.3..43.1).contains(&p.lat) && (8.5..9.6).contains(&p.lon), "{p:?}");
            }
        }
        assert!(place(d("974")).unwrap().lat < 0.0 && place(d("976")).unwrap().lat < 0.0);
        assert!(place(d("971")).unwrap().lon < -60.0 && place(d("973")).unwrap().lon < -50.0);
    }

    #[test]
    fn known_distances() {
        assert!(
            (km("75", "13") - 660.0).abs() <= 15.0,
            "Paris–Marseille {}",
            km("75", "13")
        );
        assert!(
            (km("59", "67") - 400.0).abs() <= 20.0,
            "Lille–Strasbourg {}",
            km("59", "67")
        );
        // Ajaccio–Bastia, about 100 km as the crow flies.
        assert!(
            (km("2A", "2B") - 100.0).abs() <= 15.0,
            "Ajaccio–Bastia {}",
            km("2A", "2B")
        );
        // Neighbouring Paris and Bobigny are a few kilometres apart.
        assert!(km("75", "93") < 10.0);
    }

    #[test]
    fn distance_is_symmetric_and_zero_to_itself() {
        for a in Departement::all() {
            assert_eq!(distance_km(a, a), Some(0.0));
            for b in Departement::all() {
                let (ab, ba) = (distance_km(a, b).unwrap(), distance_km(b, a).unwrap());
                assert!((ab - ba).abs() < 1e-9, "{a} {b}");
                assert!(ab.is_finite() && ab >= 0.0);
                if a != b {
                    assert!(ab > 0.0, "{a} and {b} share a place");
                }
            }
        }
    }

    #[test]
    fn overseas_is_far_from_the_mainland_and_from_each_other() {
        for overseas in ["971", "972", "973", "974", "976"] {
            for mainland in ["75", "13", "2B", "59", "29"] {
                assert!(km(overseas, mainland) > 6000.0, "{overseas}–{mainland}");
            }
        }
        // Guadeloupe and Martinique are neighbours in the Caribbean (about 180 km).
        assert!((km("971", "972") - 180.0).abs() <= 30.0, "{}", km("971", "972"));
        // Réunion and Mayotte are both in the Indian Ocean, about 1,400 km apart.
        assert!((km("974", "976") - 1400.0).abs() <= 100.0, "{}", km("974", "976"));
    }
}
