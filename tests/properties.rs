//! Property tests for the pieces with clear laws: expanding an action pattern against the
//! catalog agrees with matching the pattern against every action name, and a byte offset
//! turned into a line and column points back at the same offset.

use iamlint::catalog::{Catalog, wildcard_match};
use iamlint::source::SourceFile;
use proptest::prelude::*;

/// A pattern made from a real action name: some characters turned into `?`, a run turned
/// into `*`, the case changed, or the service prefix replaced by `*`.
fn action_pattern() -> impl Strategy<Value = String> {
    let count = Catalog::get().action_count();
    (
        0..count,
        any::<u64>(),
        0usize..4,
        proptest::bool::ANY,
        proptest::bool::ANY,
    )
        .prop_map(|(index, seed, edits, upper, any_service)| {
            let catalog = Catalog::get();
            let id = catalog.all_actions().iter().nth(index).unwrap();
            let name = catalog.qualified_name(id);
            let (service, action) = name.split_once(':').unwrap();
            let mut chars: Vec<char> = action.chars().collect();
            let mut state = seed;
            let mut next = |bound: usize| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 33) as usize % bound.max(1)
            };
            for _ in 0..edits {
                let at = next(chars.len());
                if next(2) == 0 {
                    chars[at] = '?';
                } else {
                    let end = (at + 1 + next(4)).min(chars.len());
                    chars.splice(at..end, ['*']);
                }
            }
            let mut action: String = chars.into_iter().collect();
            if upper {
                action = action.to_uppercase();
            }
            let service = if any_service { "*" } else { service };
            format!("{service}:{action}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn expansion_agrees_with_matching_every_action(pattern in action_pattern()) {
        let catalog = Catalog::get();
        let expanded = catalog.expand(&pattern);
        for id in catalog.all_actions().iter() {
            let name = catalog.qualified_name(id);
            prop_assert_eq!(
                expanded.contains(id),
                wildcard_match(&pattern, &name, true),
                "pattern {} and action {}", pattern, name
            );
        }
    }

    #[test]
    fn line_and_column_point_back_at_the_offset(
        bom in proptest::bool::ANY,
        body in "([a-zé€𝄞 \"{}:,]|\r\n|\n){0,200}",
        pick in any::<prop::sample::Index>(),
    ) {
        let text = if bom { format!("\u{feff}{body}") } else { body };
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(offset, _)| offset)
            .chain([text.len()])
            .filter(|&offset| !(bom && offset == 0))
            .collect();
        let offset = boundaries[pick.index(boundaries.len())];
        let source = SourceFile::new("policy.json".into(), text.clone());
        let position = source.line_col(offset);
        let line_start = source.line_starts()[position.line - 1] as usize;
        // The byte order mark takes no column, so column 1 of line 1 starts after it.
        let skipped = usize::from(bom && position.line == 1);
        let back = text[line_start..]
            .char_indices()
            .map(|(at, _)| line_start + at)
            .chain([text.len()])
            .nth(position.column - 1 + skipped)
            .unwrap();
        prop_assert_eq!(back, offset, "line {} column {}", position.line, position.column);
    }
}
