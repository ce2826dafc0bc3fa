//! Whether a policy's resource pattern can name a resource an action acts on.
//
// Both sides are small regular languages: the policy pattern (literal characters, `*`, `?`,
// policy variables, and holes whose value is only known at deploy time) and an ARN format of
// the catalog (literal characters and `${Placeholders}`). The question "is there an ARN both
// accept" is answered by a search over pairs of positions, never by enumerating strings.
//
// False alarms are worse than misses here, so placeholders are generous: every one may be
// empty and may hold any character, except the few whose values AWS constrains and that make
// the common mistakes visible: partition, region and account are non-empty single ARN fields,
// and S3 bucket and access point names are non-empty and cannot contain `/`. That is enough to
// tell `bucket` from `bucket/*`, and keeps `role/path/to/role` (`${RoleNameWithPath}`) a match.

use super::curated::curated;
use super::{ActionId, Catalog, ResourceType};

/// One piece of a resource pattern as written in a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnPiece<'a> {
    /// Text, where `*` and `?` are IAM wildcards and `${aws:username}`-style policy variables
    /// stand for request-time values (`${*}`, `${?}`, `${$}` are the escaped characters).
    Literal(&'a str),
    /// A value unknown until deploy time (a Terraform variable, `!Ref`, ...): anything.
    Hole,
}

/// The answer of a resource check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Match {
    /// Some resource of the action matches the pattern.
    Yes,
    /// No resource of the action can match, whatever the holes hold.
    No,
    /// It depends on the holes, or the catalog cannot say (unknown action, incomplete data).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pat {
    Char(char),
    One,
    Star,
    Hole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fmt {
    Char(char),
    /// Any run of characters (possibly none); `true` when they cannot include `/` or `:`.
    Var(bool),
    /// Exactly one character; `true` when it cannot be `/` or `:`.
    One(bool),
}

/// Placeholders whose values are one ARN field or one S3 name, so cannot hold `/` or `:`.
const SEGMENT_VARS: [&str; 5] = [
    "Partition",
    "Region",
    "Account",
    "BucketName",
    "AccessPointName",
];

/// `${name}` at the start of `s`: the name and what follows.
fn placeholder(s: &str) -> Option<(&str, &str)> {
    let after = s.strip_prefix("${")?;
    let close = after.find('}')?;
    Some((&after[..close], &after[close + 1..]))
}

fn pattern_tokens(pieces: &[ArnPiece<'_>]) -> Vec<Pat> {
    let mut out = Vec::new();
    for piece in pieces {
        let text = match piece {
            ArnPiece::Hole => {
                out.push(Pat::Hole);
                continue;
            }
            ArnPiece::Literal(text) => *text,
        };
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if let Some((name, after)) = placeholder(rest) {
                out.push(match name {
                    "*" => Pat::Char('*'),
                    "?" => Pat::Char('?'),
                    "$" => Pat::Char('$'),
                    _ => Pat::Star,
                });
                rest = after;
                continue;
            }
            out.push(match c {
                '*' => Pat::Star,
                '?' => Pat::One,
                c => Pat::Char(c),
            });
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn format_tokens(format: &str) -> Vec<Fmt> {
    let mut out = Vec::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some((name, after)) = placeholder(rest) {
            if SEGMENT_VARS.contains(&name) {
                // A field such as the region is never empty where the format has one.
                out.extend([Fmt::One(true), Fmt::Var(true)]);
            } else {
                out.push(Fmt::Var(false));
            }
            rest = after;
            continue;
        }
        // A `*` inside a format (`.../api/*`) is AWS's own wildcard: anything.
        out.push(if c == '*' {
            Fmt::Var(false)
        } else {
            Fmt::Char(c)
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether some string is accepted by both the pattern and the format.
fn intersects(pat: &[Pat], fmt: &[Fmt]) -> bool {
    let (n, m) = (pat.len(), fmt.len());
    let width = m + 1;
    let mut seen = vec![false; (n + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    let fits = |c: char, segment: bool| !(segment && (c == '/' || c == ':'));
    while let Some((i, j)) = stack.pop() {
        if std::mem::replace(&mut seen[i * width + j], true) {
            continue;
        }
        if i == n && j == m {
            return true;
        }
        let p = pat.get(i).copied();
        let f = fmt.get(j).copied();
        let mut push = |a: usize, b: usize| {
            if !seen[a * width + b] {
                stack.push((a, b));
            }
        };
        if matches!(p, Some(Pat::Star | Pat::Hole)) {
            push(i + 1, j);
        }
        if matches!(f, Some(Fmt::Var(_))) {
            push(i, j + 1);
        }
        match (p, f) {
            (Some(Pat::Char(c)), Some(Fmt::Char(d))) if c.eq_ignore_ascii_case(&d) => {
                push(i + 1, j + 1)
            }
            (Some(Pat::Char(c)), Some(Fmt::Var(seg))) if fits(c, seg) => push(i + 1, j),
            (Some(Pat::Char(c)), Some(Fmt::One(seg))) if fits(c, seg) => push(i + 1, j + 1),
            (Some(Pat::One), Some(Fmt::Char(_) | Fmt::One(_))) => push(i + 1, j + 1),
            (Some(Pat::One), Some(Fmt::Var(_))) => push(i + 1, j),
            (Some(Pat::Star | Pat::Hole), Some(Fmt::Char(_) | Fmt::One(_))) => push(i, j + 1),
            _ => {}
        }
    }
    false
}

/// The first piece of the pattern with its ARN service name swapped for its alias
/// (`codeconnections` for `codestar-connections` and back), when it has one.
fn aliased_service(pieces: &[ArnPiece<'_>]) -> Option<String> {
    let Some(ArnPiece::Literal(first)) = pieces.first() else {
        return None;
    };
    let mut fields = first.splitn(4, ':');
    let (arn, partition, service, tail) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let alias = curated().arn_service_aliases.iter().find_map(|&(a, b)| {
        if a == service {
            Some(b)
        } else if b == service {
            Some(a)
        } else {
            None
        }
    })?;
    Some(format!("{arn}:{partition}:{alias}:{tail}"))
}

impl Catalog {
    /// Whether the resource pattern `pieces` can match at least one resource `action` acts on.
    ///
    /// `Resource: "*"` always matches. For an action without resource types (which the
    /// reference says takes only `"*"`) any other pattern is `Unknown`: check
    /// [`Catalog::accepts_only_wildcard_resource`] to report those separately. `Match::No` is
    /// only given when no value of any hole could match; when a hole matters the answer is
    /// `Unknown`.
    pub fn match_resource(&'static self, action: ActionId, pieces: &[ArnPiece<'_>]) -> Match {
        match self.match_resource_once(action, pieces) {
            Match::No => match aliased_service(pieces) {
                Some(first) => {
                    let mut renamed = pieces.to_vec();
                    renamed[0] = ArnPiece::Literal(&first);
                    self.match_resource_once(action, &renamed)
                }
                None => Match::No,
            },
            answer => answer,
        }
    }

    fn match_resource_once(&'static self, action: ActionId, pieces: &[ArnPiece<'_>]) -> Match {
        if action.index() >= self.action_count() {
            return Match::Unknown;
        }
        let pat = pattern_tokens(pieces);
        let has_hole = pat.contains(&Pat::Hole);
        let info = self.action_info(action);
        if info.resource_types.is_empty() {
            // The reference says only `"*"` works, but AWS's own managed policies scope
            // thousands of such actions to ARNs, and the reference lags behind services that
            // add resource-level permissions; see `accepts_only_wildcard_resource`.
            let star = intersects(&pat, &[Fmt::Char('*')]);
            return if star && !has_hole {
                Match::Yes
            } else {
                Match::Unknown
            };
        }
        let found = info.resource_types.iter().any(|rt| {
            rt.resource_type
                .arn_formats()
                .iter()
                .any(|f| intersects(&pat, &format_tokens(f)))
        });
        if found {
            return if has_hole { Match::Unknown } else { Match::Yes };
        }
        // Where several reference pages share a prefix, an action's resource-type list may
        // lack the other page's types; an ARN that fits any type of the prefix stays open.
        let prefix = info.prefix();
        if curated().shared_prefixes.iter().any(|s| s.prefix == prefix)
            && info.service.resource_types().any(|rt| {
                rt.arn_formats()
                    .iter()
                    .any(|f| intersects(&pat, &format_tokens(f)))
            })
        {
            return Match::Unknown;
        }
        Match::No
    }

    /// Whether the resource pattern can match a resource of at least one of `actions`: `Yes`
    /// when one action answers `Yes` in [`Catalog::match_resource`], `No` when every one
    /// answers `No`, else `Unknown`. Each distinct resource type is tried once, so a statement
    /// of `s3:*` costs what its few resource types cost, not what its actions do.
    pub fn match_resource_any(
        &'static self,
        actions: &crate::catalog::ActionSet,
        pieces: &[ArnPiece<'_>],
    ) -> Match {
        if actions.is_empty() || actions.intersects_range(self.action_count()..usize::MAX) {
            return Match::Unknown;
        }
        let pat = pattern_tokens(pieces);
        let has_hole = pat.contains(&Pat::Hole);
        let open = if has_hole { Match::Unknown } else { Match::Yes };
        let scoped = self.resource_scoped(actions);
        let unscoped = scoped.len() < actions.len();
        if unscoped && intersects(&pat, &[Fmt::Char('*')]) {
            // Actions without resource types answer like `match_resource` does for them.
            return open;
        }
        let mut scoped_answer = self.match_scoped(&scoped, &pat, open);
        if scoped_answer == Match::No
            && let Some(first) = aliased_service(pieces)
        {
            let mut renamed = pieces.to_vec();
            renamed[0] = ArnPiece::Literal(&first);
            scoped_answer = self.match_scoped(&scoped, &pattern_tokens(&renamed), open);
        }
        match scoped_answer {
            Match::No if unscoped => Match::Unknown,
            answer => answer,
        }
    }

    /// The ARN service names (`s3`, `sns`, ...) in the formats of the resource types that any of
    /// `actions` takes, sorted: which services' ARNs the catalog can judge for them.
    pub fn resource_arn_services(
        &'static self,
        actions: &crate::catalog::ActionSet,
    ) -> Vec<&'static str> {
        let mut rtypes = Vec::new();
        for id in self.resource_scoped(actions).iter() {
            self.action_rtype_indices(id, &mut rtypes);
        }
        rtypes.sort_unstable();
        rtypes.dedup();
        let mut services: Vec<&'static str> = rtypes
            .into_iter()
            .flat_map(|index| {
                ResourceType {
                    catalog: self,
                    index,
                }
                .arn_formats()
            })
            .filter_map(|format| format.split(':').nth(2))
            .collect();
        services.sort_unstable();
        services.dedup();
        services
    }

    fn match_scoped(
        &'static self,
        actions: &crate::catalog::ActionSet,
        pat: &[Pat],
        open: Match,
    ) -> Match {
        if actions.is_empty() {
            return Match::Unknown;
        }
        let mut rtypes = Vec::new();
        for id in actions.iter() {
            self.action_rtype_indices(id, &mut rtypes);
        }
        rtypes.sort_unstable();
        rtypes.dedup();
        let fits = |rt: usize| {
            ResourceType {
                catalog: self,
                index: rt,
            }
            .arn_formats()
            .iter()
            .any(|f| intersects(pat, &format_tokens(f)))
        };
        if rtypes.iter().any(|&rt| fits(rt)) {
            return open;
        }
        let shared = self.services_of(actions).any(|svc| {
            let prefix = self.blob.service_prefix(svc);
            curated().shared_prefixes.iter().any(|s| s.prefix == prefix)
                && self.blob.svc_rtypes(svc).any(fits)
        });
        if shared { Match::Unknown } else { Match::No }
    }

    /// [`Catalog::match_resource`] for a resource written as plain text.
    pub fn match_resource_str(&'static self, action: ActionId, resource: &str) -> Match {
        self.match_resource(action, &[ArnPiece::Literal(resource)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, format: &str) -> bool {
        intersects(
            &pattern_tokens(&[ArnPiece::Literal(pattern)]),
            &format_tokens(format),
        )
    }

    #[test]
    fn intersection_basics() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(m("arn:aws:s3:::b/k", object));
        assert!(m("arn:aws:s3:::b/*", object));
        assert!(m("arn:aws:s3:::b*", object));
        assert!(!m("arn:aws:s3:::b", object));
        assert!(m("arn:aws:s3:::b", bucket));
        assert!(!m("arn:aws:s3:::b/*", bucket));
        assert!(!m("arn:aws:s3:::*/*", bucket));
        assert!(m("*", bucket));
        assert!(m("arn:aws:s3:::b?", bucket));
        assert!(m("arn:aws:s3:::home/${aws:username}/*", object));
        assert!(!m("arn:aws:s3:::b${*}/x", bucket));
        assert!(!m("arn:aws:ec2:::b", bucket));
        assert!(m("ARN:AWS:S3:::b", bucket));
    }

    #[test]
    fn placeholders_with_paths() {
        let role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
        assert!(m("arn:aws:iam::123456789012:role/path/to/role", role));
        assert!(m("arn:aws:iam::*:role/*", role));
        assert!(!m("arn:aws:iam::123456789012:user/x", role));
        assert!(!m("arn:aws:iam::1:2:role/x", role));
    }
}
