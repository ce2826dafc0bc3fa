//! `resource-type-mismatch`: a resource ARN that none of the statement's actions acts on.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::base::value::{TemplatePart, Unknown, Value, ValueKind};
use crate::catalog::{ActionId, ActionSet, ArnPiece, Catalog, Match, resource_arn};
use crate::policy::arn;

declare_rule! {
    /// ## What it does
    /// Reports a `Resource` entry that cannot match a resource of any action of its
    /// statement, by the resource types and ARN formats of the Service Authorization
    /// Reference: `s3:GetObject` on `arn:aws:s3:::bucket` (a bucket, where objects are
    /// `arn:aws:s3:::bucket/*`), `s3:ListBucket` on `arn:aws:s3:::bucket/*` (objects, where
    /// the action takes the bucket), `iam:PassRole` on a user instead of a role. Only statements
    /// whose every action is known are judged; an ARN that fits one action's resource types
    /// is fine even if it fits no other's, parts only known at deploy time may hold anything,
    /// and actions that only take `"*"` never make an ARN wrong (the reference lags behind
    /// the services there). An ARN of a service that none of the actions' resource types
    /// belongs to is not judged either: where actions reach into other services (a session
    /// on an EKS cluster), the reference is least complete. ARNs that are not valid at all
    /// are `invalid-arn`'s; `*` and
    /// shorthands such as API Gateway's `execute-api:/*` are not judged.
    ///
    /// The ARN of a resource of the same code base counts as written when its type's ARN is
    /// known (`aws_s3_bucket.b.arn` and `!GetAtt Bucket.Arn` are a bucket,
    /// `"${aws_s3_bucket.b.arn}/*"` its objects, `aws_sqs_queue.q.arn` a queue): `s3:GetObject`
    /// on `aws_s3_bucket.b.arn` is reported. A reference to another attribute or to a type
    /// not in the table, or any other deploy-time part beside it, is not judged.
    ///
    /// ## Why is this bad?
    /// IAM compares the ARN of the resource a request touches with the pattern; a pattern no
    /// such ARN can match grants nothing. The classic case is the S3 bucket/object split: the
    /// policy looks right, and every `GetObject` fails with `AccessDenied`.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Service Authorization Reference: resource types](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [Amazon S3 policy resources](https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-arn-format.html)
    pub struct ResourceTypeMismatch {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A resource ARN that none of the statement's actions acts on",
    }
}

impl Rule for ResourceTypeMismatch {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (statement, actions) in cx.statements() {
            let Some(set) = actions.exact() else {
                continue;
            };
            let mut matcher = None;
            for resource in statement.resources() {
                let Some(written) = Written::of(resource) else {
                    continue;
                };
                let matcher = matcher.get_or_insert_with(|| catalog.shared_resource_matcher(set));
                // Matched first: nearly every resource fits, and then whether it is a valid
                // ARN at all (`invalid-arn`'s to report) does not matter here.
                if matcher.matches(&written.pieces) != Match::No
                    || written.referenced.is_none()
                        && arn::check(&resource.template_parts()).is_some()
                {
                    continue;
                }
                // An ARN of a service none of the actions' resource types belongs to is where
                // the reference lags most (`ssm:StartSession` on an EKS cluster, a Redshift
                // restore from a Redshift Serverless snapshot): the catalog cannot judge it.
                let known: String = written
                    .pieces
                    .iter()
                    .map(|piece| match piece {
                        ArnPiece::Literal(text) => text,
                        ArnPiece::Hole | ArnPiece::Field => "\0",
                    })
                    .collect();
                let Some(arn_service) = known.split(':').nth(2).filter(|s| !s.contains('\0'))
                else {
                    continue;
                };
                if !catalog
                    .resource_arn_services(set)
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(arn_service))
                {
                    continue;
                }
                let json = resource.to_json();
                let text = json.as_str().unwrap_or_default();
                let message = match written.referenced {
                    None => format!(
                        "`{text}` is not a resource that any action of this statement acts on"
                    ),
                    // The reference alone (`"${aws_s3_bucket.b.arn}"` included): name it.
                    Some((expression, what)) if is_one_value(resource) => {
                        format!(
                            "`{expression}` is {what}, not a resource that any action of this \
                             statement acts on"
                        )
                    }
                    Some((expression, what)) => format!(
                        "`{text}` is not a resource that any action of this statement acts on \
                         (`{expression}` is {what})"
                    ),
                };
                // Holes left out, as in the formats the help compares with.
                let skeleton: String = written
                    .pieces
                    .iter()
                    .map(|piece| match piece {
                        ArnPiece::Literal(text) => text,
                        ArnPiece::Hole | ArnPiece::Field => "",
                    })
                    .collect();
                out.push(
                    Self::META
                        .finding(resource.span, message)
                        .with_help(expected(catalog, set, &skeleton)),
                );
            }
        }
    }
}

/// A resource entry as the catalog matches it.
struct Written<'a> {
    pieces: Vec<ArnPiece<'a>>,
    /// When the ARN is a resource's of the same code base: the reference as written and
    /// what the resource is. `None` for an ARN written out, which may not be a valid one.
    referenced: Option<(&'a str, &'static str)>,
}

impl<'a> Written<'a> {
    /// A text that starts as an ARN does (whether it is a valid one is asked only when it
    /// matches nothing), or one that starts with a reference to a resource whose ARN shape is
    /// known (`aws_s3_bucket.b.arn`, `"${aws_s3_bucket.b.arn}/*"`); `None` for anything else.
    fn of(resource: &'a Value) -> Option<Self> {
        match &resource.kind {
            ValueKind::Unknown(unknown) => {
                let (pieces, what) = shape(unknown)?;
                Some(Written {
                    pieces,
                    referenced: Some((unknown.expression.as_str(), what)),
                })
            }
            ValueKind::Template(parts) if matches!(parts.first(), Some(TemplatePart::Hole(u)) if shape(u).is_some()) =>
            {
                // Every hole must have a known shape: any other could hold anything.
                let mut pieces = Vec::new();
                let mut referenced = None;
                for part in parts {
                    match part {
                        TemplatePart::Literal(text) => pieces.push(ArnPiece::Literal(text)),
                        TemplatePart::Hole(unknown) => {
                            let (shape, what) = shape(unknown)?;
                            pieces.extend(shape);
                            referenced.get_or_insert((unknown.expression.as_str(), what));
                        }
                    }
                }
                Some(Written { pieces, referenced })
            }
            _ => {
                let parts = resource.template_parts();
                // Only ARNs: `*`, and shorthands such as API Gateway's `execute-api:/*`,
                // name resources in ways the ARN formats do not describe.
                let is_arn = parts
                    .first()
                    .is_some_and(|p| p.is_some_and(|p| p.starts_with("arn:")));
                if !is_arn {
                    return None;
                }
                let pieces = parts
                    .iter()
                    .map(|part| part.map_or(ArnPiece::Hole, ArnPiece::Literal))
                    .collect();
                Some(Written {
                    pieces,
                    referenced: None,
                })
            }
        }
    }
}

/// Whether a value is one unknown, written alone or as the only part of a string.
fn is_one_value(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Unknown(_) => true,
        ValueKind::Template(parts) => matches!(parts.as_slice(), [TemplatePart::Hole(_)]),
        _ => false,
    }
}

/// The ARN of the resource an unknown value refers to, when its type's shape is known.
fn shape(unknown: &Unknown) -> Option<(Vec<ArnPiece<'static>>, &'static str)> {
    let reference = unknown.reference.as_deref()?;
    resource_arn(&reference.resource_type, &reference.attribute)
}

/// What the statement's actions act on: the two ARN formats closest to what was written,
/// each with an action that takes it.
fn expected(catalog: &'static Catalog, set: &ActionSet, written: &str) -> String {
    let mut formats: Vec<(&str, ActionId)> = Vec::new();
    for id in set.iter().take(50) {
        for rt in catalog.action_info(id).resource_types {
            for format in rt.resource_type.arn_formats() {
                if !formats.iter().any(|(f, _)| *f == format) {
                    formats.push((format, id));
                }
            }
        }
    }
    match closest_two(&formats, written).as_slice() {
        [] => String::new(),
        [(a, x), (b, y)] if x == y => {
            format!("`{}` acts on `{a}` or `{b}`", catalog.qualified_name(*x))
        }
        [(a, x), rest @ ..] => {
            let mut help = format!("`{}` acts on `{a}`", catalog.qualified_name(*x));
            if let Some((b, y)) = rest.first() {
                help.push_str(&format!("; `{}` on `{b}`", catalog.qualified_name(*y)));
            }
            help
        }
    }
}

/// The (at most) two formats nearest to `written` by edit distance between it and their
/// [`skeleton`]s, the shorter first on a tie, then the first listed. The distance is at least
/// the difference in length, so a format whose difference alone exceeds the second-nearest
/// distance found is not measured: the distance is the costly part of a finding here.
fn closest_two<'a, T: Copy>(formats: &[(&'a str, T)], written: &str) -> Vec<(&'a str, T)> {
    if formats.len() < 2 {
        return formats.to_vec();
    }
    let written_length = written.chars().count();
    let mut by_bound: Vec<(usize, usize, String)> = formats
        .iter()
        .enumerate()
        .map(|(index, (format, _))| {
            let skeleton = skeleton(format);
            (
                skeleton.chars().count().abs_diff(written_length),
                index,
                skeleton,
            )
        })
        .collect();
    by_bound.sort_unstable_by_key(|(bound, index, _)| (*bound, *index));
    // (distance, format length, index): the order of the help.
    let mut nearest: Vec<(usize, usize, usize)> = Vec::with_capacity(3);
    for (bound, index, skeleton) in by_bound {
        if nearest.len() == 2 && bound > nearest[1].0 {
            break;
        }
        let distance = strsim::damerau_levenshtein(written, &skeleton);
        nearest.push((distance, formats[index].0.len(), index));
        nearest.sort_unstable();
        nearest.truncate(2);
    }
    nearest
        .into_iter()
        .map(|(_, _, index)| formats[index])
        .collect()
}

/// A format with its placeholders left out, to compare with what was written.
fn skeleton(format: &str) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(open) = rest.find("${") {
        out.push_str(&rest[..open]);
        rest = rest[open..]
            .find('}')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{closest_two, skeleton};

    /// Every format measured, sorted by (distance, length) keeping the listed order on ties.
    fn measuring_all<'a>(formats: &[(&'a str, usize)], written: &str) -> Vec<(&'a str, usize)> {
        let mut measured: Vec<_> = formats
            .iter()
            .map(|&(format, id)| {
                let distance = strsim::damerau_levenshtein(written, &skeleton(format));
                (distance, format.len(), format, id)
            })
            .collect();
        measured.sort_by_key(|&(distance, length, _, _)| (distance, length));
        measured
            .into_iter()
            .take(2)
            .map(|(_, _, format, id)| (format, id))
            .collect()
    }

    #[test]
    fn the_two_nearest_formats_skip_the_far_ones_and_keep_ties_in_order() {
        let formats = [
            ("arn:${Partition}:s3:::${BucketName}/${ObjectName}", 0),
            ("arn:${Partition}:s3:::${BucketName}", 1),
            (
                "arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}",
                2,
            ),
            ("arn:${Partition}:s3:::${BucketName}", 3),
        ];
        let written = "arn:aws:s3:::reports";
        assert_eq!(
            closest_two(&formats, written),
            measuring_all(&formats, written)
        );
        assert_eq!(closest_two(&formats[..1], written), vec![formats[0]]);
        assert!(closest_two::<usize>(&[], written).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn the_two_nearest_formats_are_those_of_measuring_every_one(
            formats in proptest::collection::vec("[ab:]{0,6}(\\$\\{X\\})?[ab]{0,3}", 0..8),
            written in "[ab:]{0,8}",
        ) {
            let formats: Vec<(&str, usize)> =
                formats.iter().enumerate().map(|(id, f)| (f.as_str(), id)).collect();
            proptest::prop_assert_eq!(
                closest_two(&formats, &written),
                measuring_all(&formats, &written)
            );
        }
    }
}
