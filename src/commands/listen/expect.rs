//! CI expectations: `--expect CODE_OR_GLOB[=N]`.

use globset::GlobMatcher;

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct Expectation {
    pub pattern: String,
    matcher: GlobMatcher,
    pub wanted: u64,
    pub seen: u64,
}

impl Expectation {
    pub fn parse(text: &str) -> Result<Expectation> {
        let (pattern, wanted) = match text.rsplit_once('=') {
            Some((p, n)) => {
                let n = n.parse::<u64>().map_err(|_| {
                    Error::usage(format!(
                        "--expect {text:?}: the count after = must be a whole number"
                    ))
                })?;
                (p, n)
            }
            None => (text, 1),
        };
        let matcher = crate::commands::code_glob("--expect", pattern)?;
        Ok(Expectation {
            pattern: pattern.to_string(),
            matcher,
            wanted,
            seen: 0,
        })
    }

    pub fn record(&mut self, code: &str) {
        if self.matcher.is_match(code) {
            self.seen += 1;
        }
    }

    pub fn met(&self) -> bool {
        self.seen >= self.wanted
    }
}
