//! IAM wildcard matching: `*` matches any run of characters, `?` exactly one; nothing else
//! is special (unlike shell globs, `[` and `{` are literal).

/// Whether `pattern` matches `text`; actions compare without regard to case, ARNs with it.
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let eq = |a: char, b: char| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Iterative matcher with single backtrack point: linear in practice, never exponential.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len()
            && (pattern[p] == '?' || (pattern[p] != '*' && eq(pattern[p], text[t])))
        {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

pub fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn iam_semantics() {
        assert!(matches("iam:Pass*", "iam:PassRole", true));
        assert!(matches("IAM:passrole", "iam:PassRole", true));
        assert!(!matches("IAM:passrole", "iam:PassRole", false));
        assert!(matches("*", "", true));
        assert!(matches("a?c", "abc", false));
        assert!(!matches("a?c", "ac", false));
        assert!(matches("*:*", "s3:GetObject", true));
        assert!(matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", false));
        assert!(!matches("[ab]", "a", false));
        assert!(matches(
            "*a*a*a*a*b",
            &"a".repeat(40).replace("aaaa", "aaab"),
            false
        ));
    }
}
