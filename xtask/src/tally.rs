//! Counting passed and failed tests from what each test runner prints.

use std::ops::AddAssign;

/// Tests passed and failed in one stage, or in all of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

impl Tally {
    /// One check that passed or failed as a whole (fmt, clippy, a build).
    pub fn check(ok: bool) -> Tally {
        if ok { Tally { passed: 1, failed: 0 } } else { Tally { passed: 0, failed: 1 } }
    }

    /// Sums libtest's summary lines, which both `cargo test` and
    /// wasm-bindgen-test-runner print once per test binary:
    /// `test result: ok. 12 passed; 0 failed; 1 ignored; ...`.
    pub fn from_libtest(lines: &[String]) -> Tally {
        let mut tally = Tally::default();
        for line in lines {
            let Some(rest) = line.trim().strip_prefix("test result: ") else {
                continue;
            };
            for part in rest.split(';') {
                let words: Vec<&str> = part.split_whitespace().collect();
                let (count, label) = match words.as_slice() {
                    [.., count, label] => (count, label),
                    _ => continue,
                };
                let Ok(count) = count.parse::<u64>() else {
                    continue;
                };
                match *label {
                    "passed" => tally.passed += count,
                    "failed" => tally.failed += count,
                    _ => {}
                }
            }
        }
        tally
    }

    /// Reads the closing counts of node's test runner with the TAP reporter:
    /// `# pass 5` and `# fail 0`.
    pub fn from_node_tap(lines: &[String]) -> Tally {
        let mut tally = Tally::default();
        for line in lines {
            let mut words = line.split_whitespace();
            if words.next() != Some("#") {
                continue;
            }
            let (Some(label), Some(count), None) = (words.next(), words.next(), words.next())
            else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match label {
                "pass" => tally.passed = count,
                "fail" => tally.failed = count,
                _ => {}
            }
        }
        tally
    }

    /// A stage whose runner failed without reporting any failed test
    /// (it did not compile, or crashed) still counts as one failure.
    pub fn with_exit(mut self, ok: bool) -> Tally {
        if !ok && self.failed == 0 {
            self.failed = 1;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn sums_libtest_results_across_binaries() {
        let out = lines(
            "running 3 tests\n\
             test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
             \n\
             test result: FAILED. 4 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.20s\n\
             test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
        );
        assert_eq!(Tally::from_libtest(&out), Tally { passed: 7, failed: 2 });
    }

    #[test]
    fn ignores_lines_that_only_mention_results() {
        let out =
            lines("println: test result: is a phrase\nmy test result: ok. 9 passed; 0 failed");
        assert_eq!(Tally::from_libtest(&out), Tally::default());
    }

    #[test]
    fn reads_node_tap_closing_counts() {
        let out = lines(
            "TAP version 13\n# Subtest: loads\nok 1 - loads\n1..6\n# tests 6\n# suites 0\n# pass 5\n# fail 1\n# cancelled 0",
        );
        assert_eq!(Tally::from_node_tap(&out), Tally { passed: 5, failed: 1 });
    }

    #[test]
    fn a_failed_runner_with_no_failed_test_counts_once() {
        assert_eq!(Tally::default().with_exit(false), Tally { passed: 0, failed: 1 });
        assert_eq!(Tally { passed: 3, failed: 2 }.with_exit(false), Tally { passed: 3, failed: 2 });
        assert_eq!(Tally { passed: 3, failed: 0 }.with_exit(true), Tally { passed: 3, failed: 0 });
    }
}
