//! The page's arithmetic on floats, kept out of the wasm where the browser
//! already has it.
//!
//! - [`Fixed`] writes a number with a fixed count of decimals using integer
//!   formatting. Core's float formatting (shortest round trip with a
//!   fallback, and its tables) was about 5 KB of the gzipped bundle for the
//!   page's few dozen uses, and hundreds of coordinates are written a frame.
//! - [`math`] is the browser's `Math` in the page and `std` natively (unit
//!   tests): the libm ports of sine, cosine, power and logarithm were about
//!   4 KB gzipped. What they return only places marks on screen; nothing a
//!   run does or a trace hash holds depends on it.

use std::fmt;

/// `value` rounded to `places` decimals (0 to 9), as `format!("{value:.places$}")`
/// writes it except at exact ties, which round away from zero, and for
/// minus zero, which is written "0". A value beyond `i64` after scaling is
/// written as the nearest that fits; NaN as 0.
#[derive(Clone, Copy, Debug)]
pub struct Fixed {
    value: f64,
    places: u32,
}

pub fn fixed(value: f64, places: u32) -> Fixed {
    debug_assert!(places <= 9, "at most 9 decimals");
    Fixed { value, places: places.min(9) }
}

/// To a tenth of a pixel: finer moves nothing on screen.
pub fn tenths(value: f64) -> Fixed {
    fixed(value, 1)
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10u64.pow(self.places);
        // `as` saturates, and makes NaN 0.
        let scaled = (self.value * scale as f64).round() as i64;
        // The digits, last first, into a buffer written to `f` at once: the
        // messages' path data write hundreds of coordinates a frame, and
        // core's integer formatting with padding was most of their cost.
        // 19 digits, a point and a sign at most.
        let mut buf = [0u8; 24];
        let mut at = buf.len();
        let mut rest = scaled.unsigned_abs();
        let mut written = 0;
        loop {
            at -= 1;
            buf[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            written += 1;
            if written == self.places {
                at -= 1;
                buf[at] = b'.';
            }
            if rest == 0 && written > self.places {
                break;
            }
        }
        if scaled < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        f.write_str(std::str::from_utf8(&buf[at..]).expect("digits, a point and a sign"))
    }
}

#[cfg(target_arch = "wasm32")]
pub mod math {
    pub use js_sys::Math::{atan2, cos, hypot, log, pow, sin};
}

#[cfg(not(target_arch = "wasm32"))]
pub mod math {
    pub fn atan2(y: f64, x: f64) -> f64 {
        y.atan2(x)
    }
    pub fn cos(x: f64) -> f64 {
        x.cos()
    }
    pub fn hypot(x: f64, y: f64) -> f64 {
        x.hypot(y)
    }
    /// The natural logarithm, as `Math.log`.
    pub fn log(x: f64) -> f64 {
        x.ln()
    }
    pub fn pow(base: f64, exponent: f64) -> f64 {
        base.powf(exponent)
    }
    pub fn sin(x: f64) -> f64 {
        x.sin()
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{fixed, math, tenths};

    #[test]
    fn fixed_writes_what_core_writes_away_from_ties() {
        let values = [0.0, 1.0, -1.0, 0.04, 0.06, -0.06, 12.345_67, -99.951, 480.0, 1e6 + 0.26];
        for v in values {
            for places in 0..=5 {
                let core = format!("{v:.*}", places as usize);
                // Core keeps the sign of a negative number that rounds to zero.
                let zero = core.chars().all(|c| matches!(c, '-' | '0' | '.'));
                let core = if zero { core.trim_start_matches('-') } else { &core };
                assert_eq!(fixed(v, places).to_string(), core, "{v} to {places} places");
            }
        }
        assert_eq!(tenths(-3.26).to_string(), "-3.3");
        assert_eq!(tenths(-0.04).to_string(), "0.0", "no minus zero");
        assert_eq!(fixed(0.5, 0).to_string(), "1", "ties away from zero");
        assert_eq!(tenths(-7.25).to_string(), "-7.3");
        assert_eq!(fixed(f64::NAN, 1).to_string(), "0.0");
        assert_eq!(fixed(f64::INFINITY, 0).to_string(), i64::MAX.to_string());
        assert_eq!(fixed(f64::NEG_INFINITY, 0).to_string(), i64::MIN.to_string());
        assert_eq!(fixed(-1e300, 9).to_string(), "-9223372036.854775808");
        assert_eq!(fixed(0.007, 3).to_string(), "0.007");
    }

    #[test]
    fn math_is_the_usual_functions() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(math::sin(std::f64::consts::FRAC_PI_2), 1.0));
        assert!(close(math::cos(std::f64::consts::PI), -1.0));
        assert!(close(math::atan2(1.0, 1.0), std::f64::consts::FRAC_PI_4));
        assert!(close(math::hypot(3.0, 4.0), 5.0));
        assert!(close(math::log(std::f64::consts::E), 1.0));
        assert!(close(math::pow(10.0, 2.0), 100.0));
    }
}
