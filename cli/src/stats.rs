//! The summary of one measure over many seeds: count, mean, median, p90,
//! p99 and max. Percentiles are nearest-rank (the smallest value with at
//! least p% of the values at or below it), so each is a value some seed had;
//! the median of an even count is the mean of the middle two.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Seeds with a value.
    pub count: usize,
    /// Seeds where the measure has no value (no leader within the limit, say).
    pub missing: usize,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
}

pub fn summarise(values: impl IntoIterator<Item = Option<f64>>) -> Summary {
    let mut missing = 0;
    let mut sorted: Vec<f64> = values
        .into_iter()
        .filter_map(|v| {
            missing += usize::from(v.is_none());
            v
        })
        .collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let rank = |p: usize| (n > 0).then(|| sorted[(p * n).div_ceil(100).max(1) - 1]);
    let median = (n > 0).then(|| (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0);
    Summary {
        count: n,
        missing,
        mean: (n > 0).then(|| sorted.iter().sum::<f64>() / n as f64),
        median,
        p90: rank(90),
        p99: rank(99),
        max: sorted.last().copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hundred_values() {
        let s = summarise((1..=100).map(|v| Some(f64::from(v))));
        assert_eq!((s.count, s.missing), (100, 0));
        assert_eq!(s.mean, Some(50.5));
        assert_eq!(s.median, Some(50.5));
        assert_eq!(s.p90, Some(90.0));
        assert_eq!(s.p99, Some(99.0));
        assert_eq!(s.max, Some(100.0));
    }

    #[test]
    fn odd_counts_gaps_and_nothing() {
        let s = summarise([Some(3.0), None, Some(1.0), Some(2.0)]);
        assert_eq!(
            (s.count, s.missing, s.median, s.p90, s.max),
            (3, 1, Some(2.0), Some(3.0), Some(3.0))
        );
        let none = summarise([None, None]);
        assert_eq!((none.count, none.missing, none.mean, none.p99), (0, 2, None, None));
    }
}
