//! The tiny wildcard language of `--ignore` and `--key`.
//!
//! `*` matches any run of characters (dots and brackets included) and `?`
//! one character; everything else is literal. Glob crates give `[` a meaning
//! (a character class), which would break patterns such as
//! `phone_numbers[*].primary`, so this is written by hand.

/// Whether `text` matches `pattern` as a whole.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    // Where to resume after the last `*`: (pattern index after it, text index).
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            pi += 1;
            backtrack = Some((pi, ti));
        } else if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some((bp, bt)) = backtrack {
            pi = bp;
            ti = bt + 1;
            backtrack = Some((bp, bt + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Whether a path pattern selects `path`. A pattern that starts with `*.`
/// also selects the same field at the top level (`*.updated_at` ignores
/// `updated_at` too), which is what people mean by it.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    if wildcard_match(pattern, path) {
        return true;
    }
    pattern.starts_with("*.") && wildcard_match(&pattern[2..], path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*.updated_at", "profile.updated_at"));
        assert!(wildcard_match(
            "phone_numbers[*].primary",
            "phone_numbers[value=+33].primary"
        ));
        assert!(!wildcard_match(
            "phone_numbers[*].primary",
            "phone_numbers[value=+33].type"
        ));
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("abc", "abcd"));
        assert!(wildcard_match("**", ""));
        assert!(path_matches("*.updated_at", "updated_at"));
        assert!(!path_matches("*.updated_at", "updated_at_x"));
    }
}
