//! The world map, projected once: Natural Earth outlines (world-atlas
//! TopoJSON, `data/geo/countries-110m.json`) in the Equal Earth projection,
//! as SVG path data in tenths of a pixel. Each page only picks colours.
//!
//! Equal Earth (Šavrič, Patterson and Jenny, 2018) keeps areas true, so a
//! large state does not look needier than it is. Its formulas are short
//! enough to write here; a projection library would bring far more.
//!
//! States too small to see at world scale, and the small island states the
//! 110m outlines leave out, are drawn as circles at a point inside them
//! (from `countries.csv`), so every member state can be seen and clicked.

use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::OnceLock;

/// The drawing's width in its own units: half pixels at 960 px, fine
/// enough for a state's outline and coarse enough to keep the page light.
const WIDTH: f64 = 1200.0;
/// Below this size (in drawing units) a shape also gets a circle.
const TINY: f64 = 8.0;
/// The circle's radius for a small state.
pub const DOT: f64 = 4.0;

#[derive(Deserialize)]
struct Topology {
    transform: Transform,
    objects: Objects,
    arcs: Vec<Vec<[i64; 2]>>,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct Objects {
    countries: Collection,
}

#[derive(Deserialize)]
struct Collection {
    geometries: Vec<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    #[serde(default)]
    arcs: serde_json::Value,
}

/// One state as the map draws it.
pub struct Shape {
    /// SVG path data; empty for a state the outlines leave out.
    pub path: String,
    /// A circle's centre, for a state too small to see or not outlined.
    pub dot: Option<(f64, f64)>,
}

pub struct WorldMap {
    /// `min-x min-y width height` of the drawing.
    pub view_box: String,
    /// By ISO3 code.
    pub shapes: HashMap<String, Shape>,
    /// Outlines that match no state of the reference data (disputed areas):
    /// drawn in the background colour, never linked.
    pub others: Vec<String>,
}

/// Equal Earth, in radians in and unit-sphere coordinates out.
pub fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    const A1: f64 = 1.340264;
    const A2: f64 = -0.081106;
    const A3: f64 = 0.000893;
    const A4: f64 = 0.003796;
    let m = 3f64.sqrt() / 2.0;
    let theta = (m * lat.sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = lon * theta.cos() / (m * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Longitude and latitude in degrees to drawing units (y grows downwards).
fn project(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = equal_earth(lon.to_radians(), lat.to_radians());
    // The projection's x runs from -2.7066 to 2.7066 (at the equator).
    let scale = WIDTH / (2.0 * 2.706_629_5);
    (WIDTH / 2.0 + x * scale, -y * scale)
}

/// A ring that crosses the antimeridian (Fiji's does) would be drawn
/// across the whole map: its points on the far side are put on the edge.
fn keep_one_side(ring: &mut [(f64, f64)]) {
    let crosses = ring.windows(2).any(|w| (w[1].0 - w[0].0).abs() > 180.0);
    if !crosses {
        return;
    }
    let east = ring.iter().filter(|p| p.0 > 0.0).count() * 2 >= ring.len();
    for p in ring.iter_mut() {
        if east && p.0 < 0.0 {
            p.0 = 180.0;
        } else if !east && p.0 > 0.0 {
            p.0 = -180.0;
        }
    }
}

fn ring(arcs: &[i64], absolute: &[Vec<(f64, f64)>]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for &a in arcs {
        let points: Vec<(f64, f64)> = if a >= 0 {
            absolute.get(a as usize).cloned().unwrap_or_default()
        } else {
            let mut p = absolute.get(!a as usize).cloned().unwrap_or_default();
            p.reverse();
            p
        };
        // Each arc after the first starts where the last one ended.
        let skip = usize::from(!out.is_empty());
        out.extend(points.into_iter().skip(skip));
    }
    keep_one_side(&mut out);
    out
}

/// Path data for rings of projected points, relative moves in whole units.
fn path_of(rings: &[Vec<(f64, f64)>], d: &mut String, bbox: &mut (f64, f64, f64, f64)) {
    for r in rings {
        let mut last: Option<(i64, i64)> = None;
        for &(lon, lat) in r {
            let (x, y) = project(lon, lat);
            let p = (x.round() as i64, y.round() as i64);
            bbox.0 = bbox.0.min(x);
            bbox.1 = bbox.1.min(y);
            bbox.2 = bbox.2.max(x);
            bbox.3 = bbox.3.max(y);
            match last {
                None => {
                    let _ = write!(d, "M{} {}", p.0, p.1);
                }
                Some(l) if l == p => continue,
                Some(l) => {
                    let _ = write!(d, "l{} {}", p.0 - l.0, p.1 - l.1);
                }
            }
            last = Some(p);
        }
        if last.is_some() {
            d.push('z');
        }
    }
}

fn build() -> WorldMap {
    let source = include_str!("../../../../../../data/geo/countries-110m.json");
    let reference = needsdb_domain::reference::embedded().ok();
    let by_m49: HashMap<String, (String, Option<(f64, f64)>)> = reference
        .map(|r| {
            r.countries
                .iter()
                .map(|c| (c.m49.clone(), (c.iso3.as_str().to_owned(), c.point)))
                .collect()
        })
        .unwrap_or_default();
    let mut shapes = HashMap::new();
    let mut others = Vec::new();
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    if let Ok(topo) = serde_json::from_str::<Topology>(source) {
        let absolute: Vec<Vec<(f64, f64)>> = topo
            .arcs
            .iter()
            .map(|arc| {
                let (mut x, mut y) = (0i64, 0i64);
                arc.iter()
                    .map(|[dx, dy]| {
                        x += dx;
                        y += dy;
                        (
                            x as f64 * topo.transform.scale[0] + topo.transform.translate[0],
                            y as f64 * topo.transform.scale[1] + topo.transform.translate[1],
                        )
                    })
                    .collect()
            })
            .collect();
        for g in &topo.objects.countries.geometries {
            // Antarctica has no state to colour and would take a fifth of the height.
            if g.id.as_deref() == Some("010") {
                continue;
            }
            let polygons: Vec<Vec<Vec<i64>>> = match g.kind.as_str() {
                "Polygon" => serde_json::from_value(g.arcs.clone())
                    .map(|p| vec![p])
                    .unwrap_or_default(),
                "MultiPolygon" => serde_json::from_value(g.arcs.clone()).unwrap_or_default(),
                _ => Vec::new(),
            };
            let rings: Vec<Vec<(f64, f64)>> = polygons.iter().flatten().map(|r| ring(r, &absolute)).collect();
            let mut d = String::new();
            let mut bbox = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            path_of(&rings, &mut d, &mut bbox);
            min_x = min_x.min(bbox.0);
            min_y = min_y.min(bbox.1);
            max_x = max_x.max(bbox.2);
            max_y = max_y.max(bbox.3);
            match g.id.as_ref().and_then(|id| by_m49.get(id)) {
                Some((iso3, _)) => {
                    let tiny = (bbox.2 - bbox.0).max(bbox.3 - bbox.1) < TINY;
                    let dot = tiny.then(|| ((bbox.0 + bbox.2) / 2.0, (bbox.1 + bbox.3) / 2.0));
                    shapes.insert(iso3.clone(), Shape { path: d, dot });
                }
                None => others.push(d),
            }
        }
    }
    // States the outlines leave out: a circle at their point.
    for (iso3, point) in by_m49.values() {
        if let (false, Some((lat, lon))) = (shapes.contains_key(iso3), point) {
            shapes.insert(
                iso3.clone(),
                Shape {
                    path: String::new(),
                    dot: Some(project(*lon, *lat)),
                },
            );
        }
    }
    let pad = 5.0;
    WorldMap {
        view_box: format!(
            "{} {} {} {}",
            (min_x - pad).round(),
            (min_y - pad).round(),
            (max_x - min_x + 2.0 * pad).round(),
            (max_y - min_y + 2.0 * pad).round()
        ),
        shapes,
        others,
    }
}

/// The map, built on first use and kept.
pub fn world() -> &'static WorldMap {
    static MAP: OnceLock<WorldMap> = OnceLock::new();
    MAP.get_or_init(build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_earth_matches_the_published_formulas() {
        // The corners of the projection: x = 2.7066 at the equator on the
        // antimeridian, y = 1.3173 at the pole (Šavrič et al. 2018).
        let (x, y) = equal_earth(std::f64::consts::PI, 0.0);
        assert!((x - 2.706_629).abs() < 1e-5 && y.abs() < 1e-12, "{x} {y}");
        let (x, y) = equal_earth(0.0, std::f64::consts::FRAC_PI_2);
        assert!(x.abs() < 1e-12 && (y - 1.317_362).abs() < 1e-5, "{x} {y}");
    }

    #[test]
    fn every_member_state_is_on_the_map() {
        let map = world();
        let r = needsdb_domain::reference::embedded().expect("reference data");
        let members: Vec<&str> = r
            .countries
            .iter()
            .filter(|c| c.nam_status == needsdb_domain::reference::NamStatus::Member)
            .map(|c| c.iso3.as_str())
            .collect();
        assert_eq!(members.len(), 121);
        for m in members {
            let s = map.shapes.get(m).unwrap_or_else(|| panic!("{m} is not on the map"));
            assert!(
                !s.path.is_empty() || s.dot.is_some(),
                "{m} has neither outline nor circle"
            );
        }
        // Small islands the 110m outlines leave out get circles.
        for iso3 in ["MDV", "SYC", "BRB", "SGP"] {
            assert!(map.shapes[iso3].dot.is_some(), "{iso3}");
        }
        // Large states are outlines.
        assert!(map.shapes["IND"].dot.is_none() && map.shapes["IND"].path.len() > 100);
    }
}
