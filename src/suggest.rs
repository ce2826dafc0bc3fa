//! "Did you mean" suggestions by edit distance.

/// The closest candidate, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_lower = input.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let distance =
                strsim::damerau_levenshtein(&input_lower, &candidate.to_ascii_lowercase());
            (distance, candidate)
        })
        .filter(|&(distance, candidate)| distance <= max_distance(input.len().max(candidate.len())))
        .min_by_key(|&(distance, candidate)| (distance, candidate))
        .map(|(_, candidate)| candidate)
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
