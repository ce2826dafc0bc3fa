//! "Did you mean" suggestions by edit distance.

/// The closest candidate, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // No candidate further than 3 edits is suggested, and an edit changes the length by at
    // most one character: a longer name is no typo of a known one, and comparing it would
    // cost its length times each candidate's (a 1 MB name took seconds).
    const MAX_SUGGESTED_DISTANCE: usize = 3;
    let longest = candidates
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    if input.len() > 4 * (longest + MAX_SUGGESTED_DISTANCE) {
        return None;
    }
    let input_chars = input.chars().count();
    let input_lower = input.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter(|candidate| {
            input_chars.abs_diff(candidate.chars().count()) <= MAX_SUGGESTED_DISTANCE
        })
        .map(|candidate| {
            let distance =
                strsim::damerau_levenshtein(&input_lower, &candidate.to_ascii_lowercase());
            (distance, candidate)
        })
        .filter(|&(distance, candidate)| distance <= max_distance(input.len().max(candidate.len())))
        .min_by_key(|&(distance, candidate)| (distance, candidate))
        .map(|(_, candidate)| candidate)
}

/// The Damerau-Levenshtein distance of `a` and `b` when it is at most `max`, else `None`.
/// Suggestions score hundreds of candidates and keep only the close ones: two lower bounds
/// that cost a pass over the bytes (the difference in length, and the characters one has
/// that the other lacks, which no transposition changes and no edit changes by more than
/// one) turn most candidates away before the quadratic distance is computed.
pub fn distance_at_most(a: &str, b: &str, max: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        if a.len().abs_diff(b.len()) > max {
            return None;
        }
        let mut counts = [0i32; 128];
        for byte in a.bytes() {
            counts[byte as usize] += 1;
        }
        for byte in b.bytes() {
            counts[byte as usize] -= 1;
        }
        let (only_a, only_b) = counts.iter().fold((0, 0), |(pos, neg), &c| {
            (pos + c.max(0) as usize, neg + (-c).max(0) as usize)
        });
        if only_a.max(only_b) > max {
            return None;
        }
    }
    let distance = strsim::damerau_levenshtein(a, b);
    (distance <= max).then_some(distance)
}

/// `` (did you mean `name`?)`` for the closest candidate, or nothing: the hint that follows
/// an "unknown ..." message.
pub fn did_you_mean_hint<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(input, candidates)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``: names for a "did you mean" line.
pub fn either(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

fn max_distance(length: usize) -> usize {
    match length {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, distance_at_most};

    #[test]
    fn suggests_close_names_only() {
        let known = ["Action", "Resource", "Effect", "Condition"];
        assert_eq!(did_you_mean("Actions", known), Some("Action"));
        assert_eq!(did_you_mean("Efect", known), Some("Effect"));
        assert_eq!(did_you_mean("Conditions", known), Some("Condition"));
        assert_eq!(did_you_mean("Banana", known), None);
    }

    #[test]
    fn bounded_distance_is_the_distance_or_none() {
        let words = [
            "",
            "s3",
            "ec2",
            "getobject",
            "getobjects",
            "gteobject",
            "putobject",
            "objectget",
            "listallmybuckets",
            "listbuckets",
            "aws:sourceip",
            "sourceip",
            "Ünïcode",
            "unicode",
        ];
        for a in words {
            for b in words {
                let distance = strsim::damerau_levenshtein(a, b);
                for max in 0..5 {
                    let expected = (distance <= max).then_some(distance);
                    assert_eq!(distance_at_most(a, b, max), expected, "{a} {b} {max}");
                }
            }
        }
    }
}
