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
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let known = ["Action", "Resource", "Effect", "Condition"];
        assert_eq!(did_you_mean("Actions", known), Some("Action"));
        assert_eq!(did_you_mean("Efect", known), Some("Effect"));
        assert_eq!(did_you_mean("Conditions", known), Some("Condition"));
        assert_eq!(did_you_mean("Banana", known), None);
    }
}
