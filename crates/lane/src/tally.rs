//! What the lane did, counted: which path answered beats, why beats took the full path
//! (with the hook and owner behind each), and the CPU time a beat cost on each path,
//! measured on this site. Each worker keeps its own tally and adds it to a file every
//! few seconds, so that the counts of all workers of a site are combined without a new
//! service or a database write.

use crate::reason::Reason;
use crate::shape::Shape;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Which path answered a beat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// A logged-in beat answered natively.
    Native,
    /// A logged-out beat answered natively.
    NoPriv,
    /// WordPress answered (core's handlers run natively, everything else as core does).
    Full,
}

impl Path {
    pub const ALL: [Path; 3] = [Path::Native, Path::NoPriv, Path::Full];

    pub fn key(self) -> &'static str {
        match self {
            Path::Native => "native",
            Path::NoPriv => "nopriv",
            Path::Full => "full",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A reason as a tally key: JSON with its code, details and English text, so that the
/// plugin can say it in the site's language.
pub fn reason_key(r: &Reason) -> String {
    let details: Map<String, Value> = r
        .details()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v)))
        .collect();
    json!({"code": r.code(), "details": details, "text": r.to_string()}).to_string()
}

/// Most distinct reason details kept (the most frequent survive a merge).
const MAX_DETAILS: usize = 40;

/// Counts since `since`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    pub since: i64,
    pub updated: i64,
    /// Beats per path.
    pub paths: [u64; 3],
    /// Sampled CPU time per path: microseconds and number of beats measured.
    pub cpu_us: [u64; 3],
    pub cpu_n: [u64; 3],
    /// Full-path beats by reason code.
    pub reasons: BTreeMap<String, u64>,
    /// Full-path beats by reason with its details (hook and owner included), keyed by
    /// [`reason_key`]; the most frequent are kept.
    pub details: BTreeMap<String, u64>,
    /// Beats per shape and path.
    pub shapes: BTreeMap<String, [u64; 3]>,
}

impl Tally {
    /// Count one beat.
    pub fn count(&mut self, shape: Option<Shape>, path: Path, why: Option<&Reason>) {
        self.paths[path.index()] += 1;
        if let Some(s) = shape {
            self.shapes.entry(s.key().to_owned()).or_default()[path.index()] += 1;
        }
        if let Some(r) = why {
            *self.reasons.entry(r.code().to_owned()).or_default() += 1;
            if r.is_site_wide() {
                *self.details.entry(reason_key(r)).or_default() += 1;
            }
        }
    }

    /// Count a beat's measured CPU time.
    pub fn cpu(&mut self, path: Path, micros: u64) {
        self.cpu_us[path.index()] += micros;
        self.cpu_n[path.index()] += 1;
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.paths.iter().all(|n| *n == 0)
    }

    /// Add another tally's counts.
    pub fn add(&mut self, o: &Tally) {
        if self.since == 0 || (o.since != 0 && o.since < self.since) {
            self.since = o.since;
        }
        self.updated = self.updated.max(o.updated);
        for i in 0..3 {
            self.paths[i] += o.paths[i];
            self.cpu_us[i] += o.cpu_us[i];
            self.cpu_n[i] += o.cpu_n[i];
        }
        for (k, n) in &o.reasons {
            *self.reasons.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &o.details {
            *self.details.entry(k.clone()).or_default() += n;
        }
        for (k, v) in &o.shapes {
            let e = self.shapes.entry(k.clone()).or_default();
            for i in 0..3 {
                e[i] += v[i];
            }
        }
        if self.details.len() > MAX_DETAILS {
            let mut all: Vec<(String, u64)> =
                std::mem::take(&mut self.details).into_iter().collect();
            all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            all.truncate(MAX_DETAILS);
            self.details = all.into_iter().collect();
        }
    }

    /// Mean CPU milliseconds per beat on a path, when measured.
    pub fn cpu_ms(&self, path: Path) -> Option<f64> {
        let n = self.cpu_n[path.index()];
        #[allow(clippy::cast_precision_loss)]
        (n > 0).then(|| self.cpu_us[path.index()] as f64 / n as f64 / 1000.0)
    }

    /// CPU seconds the lane saved: its beats, at the measured full-path cost less their
    /// own measured cost.
    pub fn saved_seconds(&self) -> Option<f64> {
        let full = self.cpu_ms(Path::Full)?;
        let mut saved = 0.0;
        for p in [Path::Native, Path::NoPriv] {
            let n = self.paths[p.index()];
            if n == 0 {
                continue;
            }
            let own = self.cpu_ms(p)?;
            #[allow(clippy::cast_precision_loss)]
            {
                saved += (full - own) * n as f64 / 1000.0;
            }
        }
        Some(saved.max(0.0))
    }

    pub fn to_json(&self) -> Value {
        let map = |m: &BTreeMap<String, u64>| -> Map<String, Value> {
            m.iter().map(|(k, v)| (k.clone(), json!(v))).collect()
        };
        let shapes: Map<String, Value> = self
            .shapes
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        json!({
            "since": self.since,
            "updated": self.updated,
            "paths": self.paths,
            "cpu_us": self.cpu_us,
            "cpu_n": self.cpu_n,
            "reasons": map(&self.reasons),
            "details": map(&self.details),
            "shapes": shapes,
        })
    }

    pub fn from_json(v: &Value) -> Option<Tally> {
        let three = |k: &str| -> Option<[u64; 3]> {
            let a = v.get(k)?.as_array()?;
            Some([
                a.first()?.as_u64()?,
                a.get(1)?.as_u64()?,
                a.get(2)?.as_u64()?,
            ])
        };
        let map = |k: &str| -> Option<BTreeMap<String, u64>> {
            v.get(k)?
                .as_object()?
                .iter()
                .map(|(k, n)| Some((k.clone(), n.as_u64()?)))
                .collect()
        };
        let mut shapes = BTreeMap::new();
        for (k, a) in v.get("shapes")?.as_object()? {
            let a = a.as_array()?;
            shapes.insert(
                k.clone(),
                [
                    a.first()?.as_u64()?,
                    a.get(1)?.as_u64()?,
                    a.get(2)?.as_u64()?,
                ],
            );
        }
        Some(Tally {
            since: v.get("since")?.as_i64()?,
            updated: v.get("updated")?.as_i64()?,
            paths: three("paths")?,
            cpu_us: three("cpu_us")?,
            cpu_n: three("cpu_n")?,
            reasons: map("reasons")?,
            details: map("details")?,
            shapes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reason::Owner;

    #[test]
    fn counting_merging_and_savings() {
        let mut a = Tally {
            since: 100,
            ..Tally::default()
        };
        a.count(Some(Shape::NoData), Path::Native, None);
        a.count(Some(Shape::NoPriv), Path::NoPriv, None);
        let cb = Reason::Callback {
            hook: "heartbeat_send".into(),
            callback: "x".into(),
            owner: Owner::Plugin("p".into()),
        };
        a.count(Some(Shape::NoData), Path::Full, Some(&cb));
        a.count(
            Some(Shape::NoData),
            Path::Full,
            Some(&Reason::Declined("nonce")),
        );
        a.cpu(Path::Full, 12_000);
        a.cpu(Path::Native, 500);
        a.cpu(Path::NoPriv, 100);
        let mut b = Tally {
            since: 90,
            ..Tally::default()
        };
        b.add(&a);
        b.add(&Tally::from_json(&a.to_json()).unwrap_or_default());
        assert_eq!(b.since, 90);
        assert_eq!(b.paths, [2, 2, 4]);
        assert_eq!(b.reasons.get("callback"), Some(&2));
        assert_eq!(b.reasons.get("declined"), Some(&2));
        // Per-beat reasons are counted, not listed as what the site owner should look at.
        assert_eq!(b.details.len(), 1);
        assert_eq!(b.shapes.get("nodata"), Some(&[2, 0, 4]));
        assert_eq!(b.cpu_ms(Path::Full), Some(12.0));
        // (12 - 0.5) ms x 2 + (12 - 0.1) ms x 2
        let saved = b.saved_seconds().unwrap_or(0.0);
        assert!((saved - 0.0468).abs() < 1e-9, "{saved}");
    }
}
