//! `redundant-action`: an action entry that another entry of the same statement already covers.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Findings};
use crate::catalog::{ActionId, has_wildcard};
use crate::policy::actions::ActionEntry;
use rustc_hash::FxHashMap;

declare_rule! {
    /// ## What it does
    /// Reports an `Action` or `NotAction` entry that adds nothing because another entry of
    /// the same statement already covers it: `s3:GetObject` next to `s3:Get*`, `s3:List*`
    /// next to `s3:*`, the same action twice (case does not matter). The finding points at
    /// the redundant entry, with the covering one as a related location. Coverage is decided
    /// by the catalog; when a wildcard covers another only for the actions that exist today
    /// (`s3:GetObject*` and `s3:Get*Object*`), the confidence is lower.
    ///
    /// ## Why is this bad?
    /// It is noise that hides what the statement really grants, and a reviewer who removes
    /// the broad pattern later, believing the narrow entries describe the grant, is surprised
    /// by what remains, or by what does not. Often it is also a sign that the broad pattern
    /// was not meant to be there.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:Get*", "s3:GetObject", "s3:GetObjectTagging"], "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    pub struct RedundantAction {
        category: Suggestion,
        severity: Info,
        confidence: High,
        summary: "An action that another entry of the same statement already covers",
    }
}

impl Rule for RedundantAction {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for (_, actions) in cx.statements() {
            let entries = &actions.entries;
            // A pattern can only be covered by one of its own service or one whose service
            // part is itself a wildcard: grouping keeps statements of thousands of entries
            // (AWS's read-only policies) from comparing every pair.
            let mut by_service: FxHashMap<String, Vec<&ActionEntry<'_>>> = FxHashMap::default();
            let mut any_service: Vec<&ActionEntry<'_>> = Vec::new();
            for e in entries
                .iter()
                .filter(|e| e.has_wildcard() && !e.actions.is_empty())
            {
                match service_of(e) {
                    Some(service) => by_service.entry(service).or_default().push(e),
                    None => any_service.push(e),
                }
            }
            let mut first_seen: FxHashMap<String, usize> = FxHashMap::default();
            let mut first_id: FxHashMap<ActionId, usize> = FxHashMap::default();
            for (i, entry) in entries.iter().enumerate() {
                let Some(pattern) = entry.pattern.filter(|_| !entry.generated) else {
                    continue;
                };
                // Known actions are told apart by id; only other spellings need a string key.
                let single_id = (!entry.has_wildcard() && entry.actions.len() == 1)
                    .then(|| entry.actions.iter().next())
                    .flatten();
                let first = match single_id {
                    Some(id) => *first_id.entry(id).or_insert(i),
                    None => *first_seen.entry(pattern.to_ascii_lowercase()).or_insert(i),
                };
                let twin = (first != i).then(|| &entries[first]);
                if let Some(first) = twin {
                    out.push(
                        Self::META
                            .finding(entry.value.span, format!("`{pattern}` is listed twice"))
                            .with_related(first.value.span, "first listed here")
                            .with_help(format!("remove the second `{pattern}`")),
                    );
                    continue;
                }
                if entry.actions.is_empty() {
                    continue;
                }
                let single = single_id;
                let covers = |other: &&ActionEntry<'_>| {
                    if std::ptr::eq(*other, entry) || other.pattern == entry.pattern {
                        return false;
                    }
                    match single {
                        Some(id) => other.actions.contains(id),
                        None => {
                            entry.actions.is_subset(other.actions)
                                // Of two patterns naming the same actions, the later is redundant.
                                && (entry.actions != other.actions
                                    || entries[..i].iter().any(|e| std::ptr::eq(e, *other)))
                        }
                    }
                };
                let same_service = if by_service.is_empty() {
                    &[][..]
                } else {
                    service_of(entry)
                        .and_then(|service| by_service.get(&service))
                        .map_or(&[][..], Vec::as_slice)
                };
                let Some(cover) = same_service
                    .iter()
                    .chain(&any_service)
                    .copied()
                    .filter(covers)
                    .max_by_key(|other| other.actions.len())
                else {
                    continue;
                };
                let cover_pattern = cover.pattern.unwrap_or_default();
                let mut finding = Self::META
                    .finding(
                        entry.value.span,
                        format!("`{pattern}` is already covered by `{cover_pattern}`"),
                    )
                    .with_related(cover.value.span, format!("covers `{pattern}`"))
                    .with_help(format!("remove `{pattern}`"));
                if entry.has_wildcard() && !includes(cover_pattern, pattern) {
                    finding = finding.with_confidence(Confidence::Medium);
                }
                out.push(finding);
            }
        }
    }
}

/// The lower-case service part of an entry's pattern, `None` when it has a wildcard.
fn service_of(entry: &ActionEntry<'_>) -> Option<String> {
    let (service, _) = entry.pattern?.split_once(':')?;
    (!has_wildcard(service)).then(|| service.to_ascii_lowercase())
}

/// Whether every name `inner` can match, `outer` matches too, whatever actions AWS adds: an
/// `inner` wildcard must meet an `outer` wildcard at least as broad. Case is ignored.
fn includes(outer: &str, inner: &str) -> bool {
    let (o, n) = (outer.as_bytes(), inner.as_bytes());
    // reach[j]: the first i characters of `outer` can cover the first j of `inner`.
    let mut reach = vec![false; n.len() + 1];
    reach[0] = true;
    for &p in o {
        let mut next = vec![false; n.len() + 1];
        for j in 0..=n.len() {
            next[j] = match p {
                b'*' => reach[j] || (j > 0 && next[j - 1]),
                b'?' => j > 0 && reach[j - 1] && n[j - 1] != b'*',
                c => j > 0 && reach[j - 1] && n[j - 1].eq_ignore_ascii_case(&c),
            };
        }
        reach = next;
    }
    reach[n.len()]
}

#[cfg(test)]
mod tests {
    use super::includes;

    #[test]
    fn pattern_inclusion() {
        assert!(includes("s3:*", "s3:Get*"));
        assert!(includes("s3:Get*", "s3:GetObject*"));
        assert!(includes("S3:GET*", "s3:getObject"));
        assert!(includes("s3:Get?bject", "s3:GetObject"));
        assert!(!includes("s3:GetObject*", "s3:Get*"));
        assert!(!includes("s3:Get?", "s3:Get*"));
        assert!(!includes("s3:*Object", "s3:Get*"));
        assert!(includes("*", "ec2:Describe*"));
    }
}
