//! Flag values in the units people write: milliseconds (with decimals),
//! ranges of them ("150-300"), percentages. Each error is one sentence that
//! clap prints after the flag's name.

use caucus_sim::network::PPM;
use caucus_sim::{MILLIS, Time};

/// The longest time a flag takes: an hour of virtual time.
const MAX_MILLIS: Time = 3_600_000;

/// Milliseconds, with up to three decimals: "50", "2.5", "0.125".
pub fn millis(text: &str) -> Result<Time, String> {
    let text = text.trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(frac.is_empty() || digits(frac)) || frac.len() > 3 {
        return Err(format!(
            "“{text}” is not a time in milliseconds (a number such as 50 or 2.5, at most three \
             decimals)"
        ));
    }
    let whole: Time = whole.parse().map_err(|_| too_long(text))?;
    if whole > MAX_MILLIS {
        return Err(too_long(text));
    }
    let frac: Time = format!("{frac:0<3}").parse().unwrap_or(0);
    Ok(whole * MILLIS + frac)
}

fn too_long(text: &str) -> String {
    format!("{text} ms is longer than the limit of {MAX_MILLIS} ms (an hour)")
}

/// A positive time in milliseconds.
pub fn positive_millis(text: &str) -> Result<Time, String> {
    match millis(text)? {
        0 => Err("the time must be above 0 ms".into()),
        t => Ok(t),
    }
}

/// A range of milliseconds, "150-300" (or "150–300", or "150" for 150 to
/// 150), low end first.
pub fn millis_range(text: &str) -> Result<(Time, Time), String> {
    let text = text.trim();
    let (low, high) = text.split_once(['-', '–']).unwrap_or((text, text));
    let (low, high) = (millis(low)?, millis(high)?);
    if low > high {
        return Err(format!("the range {text} ms runs backwards: write the smaller end first"));
    }
    Ok((low, high))
}

/// A percentage from 0 to 100, with decimals down to parts per million,
/// as parts per million: "1.5" is 15,000.
pub fn percent(text: &str) -> Result<u32, String> {
    let bad = || format!("“{text}” is not a percentage from 0 to 100");
    let value: f64 = text.trim().trim_end_matches('%').parse().map_err(|_| bad())?;
    if !(0.0..=100.0).contains(&value) {
        return Err(bad());
    }
    Ok((value * f64::from(PPM) / 100.0).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_milliseconds() {
        assert_eq!(millis("50"), Ok(50_000));
        assert_eq!(millis("2.5"), Ok(2_500));
        assert_eq!(millis("0.125"), Ok(125));
        assert!(millis("-3").unwrap_err().contains("not a time in milliseconds"));
        assert!(millis("1.2345").is_err());
        assert!(millis("abc").is_err());
        assert!(millis("99999999999999999999").unwrap_err().contains("limit"));
        assert!(positive_millis("0").is_err());
    }

    #[test]
    fn ranges_of_milliseconds() {
        assert_eq!(millis_range("150-300"), Ok((150_000, 300_000)));
        assert_eq!(millis_range("150–155"), Ok((150_000, 155_000)));
        assert_eq!(millis_range("150"), Ok((150_000, 150_000)));
        assert!(millis_range("300-150").unwrap_err().contains("backwards"));
    }

    #[test]
    fn percentages() {
        assert_eq!(percent("1.5"), Ok(15_000));
        assert_eq!(percent("100%"), Ok(1_000_000));
        assert!(percent("101").is_err());
        assert!(percent("NaN").is_err());
    }
}
