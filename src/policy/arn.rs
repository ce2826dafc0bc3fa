//! ARN syntax: which resource strings can be ARN patterns at all.

use crate::catalog::{first_colons, has_wildcard};
use std::borrow::Cow;

/// Partitions AWS has today; a wildcard partition is also accepted.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

const EXECUTE_API_SHORTHAND: &str = "execute-api:/";

/// Why a resource string is not a valid ARN pattern; `None` from [`check`] when it is (or
/// may be: fields hidden behind an unknown value are never judged).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArnProblem {
    pub message: String,
    pub help: String,
}

/// Checks `parts`, the known (`Some`) and unknown (`None`) pieces of a resource string.
pub(crate) fn check(parts: &[Option<&str>]) -> Option<ArnProblem> {
    if let [Some(only)] = parts
        && is_plain_valid(only)
    {
        return None;
    }
    check_fully(parts)
}

/// [`check`] without its one-pass answer for plain ARNs.
fn check_fully(parts: &[Option<&str>]) -> Option<ArnProblem> {
    // Only the text before the first unknown piece can be judged.
    let (known_text, complete) = known_prefix(parts);
    let known: &str = &known_text;
    if complete && known == "*" {
        return None;
    }
    if known.trim() != known && (complete || known.trim_start() != known) {
        return Some(problem(
            format!("`{}` has whitespace around it", truncate(known)),
            "remove the whitespace: it becomes part of the ARN",
        ));
    }
    // API Gateway resource policies name their own API with this shorthand, which the
    // service expands to the full `arn:...:execute-api:...` ARN.
    if known.starts_with(EXECUTE_API_SHORTHAND)
        || (!complete && EXECUTE_API_SHORTHAND.starts_with(known))
    {
        return None;
    }
    if !known.starts_with("arn:") {
        if !complete && "arn:".starts_with(known) {
            return None;
        }
        return Some(problem(
            format!("`{}` is not an ARN", truncate(known)),
            "write a full ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, or `*`",
        ));
    }
    let fields = split_fields(known);
    // A field is only judged when it is fully known: followed by a colon, or the end.
    let judged = if complete {
        fields.len()
    } else {
        fields.len() - 1
    };
    let field = |index: usize| (index < judged).then(|| Field::new(fields[index]));
    if complete && fields.len() < 6 {
        return Some(problem(
            format!(
                "`{}` has {} of the 6 ARN fields",
                truncate(known),
                fields.len()
            ),
            "ARNs are `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; leave REGION or ACCOUNT empty, not out",
        ));
    }
    if let Some(partition) = field(1)
        && !partition.is_open()
        && !PARTITIONS.contains(&partition.text)
    {
        return Some(problem(
            if partition.text.is_empty() {
                "the ARN has no partition".to_string()
            } else {
                format!("unknown partition `{}`", partition.text)
            },
            "the partition is `aws` (or `aws-cn`, `aws-us-gov`, ...)",
        ));
    }
    if let Some(service) = field(2)
        && (service.text.is_empty() || !service.all(|c| lower_alnum(c) || c == '-' || wildcard(c)))
    {
        return Some(problem(
            if service.text.is_empty() {
                "the ARN has no service".to_string()
            } else {
                format!("invalid service `{}` in ARN", service.text)
            },
            "the service is the lower-case prefix, as in `arn:aws:s3:::my-bucket`",
        ));
    }
    if let Some(region) = field(3)
        && !region.all(|c| lower_alnum(c) || c == '-' || wildcard(c))
    {
        return Some(problem(
            format!("invalid region `{}` in ARN", region.text),
            "regions are written like `us-east-1`; leave the field empty for global services",
        ));
    }
    if let Some(account) = field(4)
        && !valid_account(&account.literal, account.is_open())
    {
        return Some(problem(
            format!("invalid account `{}` in ARN", account.text),
            "the account is a 12-digit id, empty, or `aws` for AWS managed resources",
        ));
    }
    if complete && fields.get(5).is_some_and(|resource| resource.is_empty()) {
        return Some(problem(
            "the ARN has no resource part".to_string(),
            "name the resource after the account field, e.g. `...:123456789012:role/name`",
        ));
    }
    None
}

/// Whether `text` is an ARN that [`check`] accepts, read in one walk over its colons: the
/// same rules for each field as the full check, for an ARN without a policy variable before
/// its resource (as nearly every ARN of a policy is), whose colons are then its fields' own.
/// `false` leaves the text to the full check, which judges the rest and words the problem.
fn is_plain_valid(text: &str) -> bool {
    if !text.starts_with("arn:") {
        return false;
    }
    let (colons, found) = first_colons::<5>(text);
    if found < 5 || text[..colons[4]].contains('$') {
        return false;
    }
    let [partition, service, region, account] =
        [1, 2, 3, 4].map(|index| &text[colons[index - 1] + 1..colons[index]]);
    let resource = &text[colons[4] + 1..];
    // Byte by byte: a byte of a non-ASCII character passes none of these, as the character
    // does not.
    let name = |field: &str| {
        field
            .bytes()
            .all(|b| lower_alnum(b.into()) || b == b'-' || wildcard(b.into()))
    };
    (has_wildcard(partition) || PARTITIONS.contains(&partition))
        && !service.is_empty()
        && name(service)
        && name(region)
        && valid_account(account, has_wildcard(account))
        && !resource.is_empty()
        && !resource.ends_with(char::is_whitespace)
}

/// The text of `parts` before the first unknown piece, and whether there is none; one known
/// piece (most resources) is borrowed rather than copied.
fn known_prefix<'a>(parts: &[Option<&'a str>]) -> (Cow<'a, str>, bool) {
    let known = parts.iter().map_while(|part| *part);
    let count = known.clone().count();
    let complete = count == parts.len();
    match parts {
        [Some(only), ..] if count == 1 => (Cow::Borrowed(*only), complete),
        _ => (Cow::Owned(known.collect()), complete),
    }
}

/// The colon-separated fields of an ARN, at most 6 (the resource part keeps its colons).
/// Colons inside policy variables (`${aws:PrincipalAccount}`) do not separate fields.
fn split_fields(text: &str) -> Vec<&str> {
    let mut fields = Vec::with_capacity(6);
    let mut start = 0;
    let mut index = 0;
    let bytes = text.as_bytes();
    while index < bytes.len() && fields.len() < 5 {
        if bytes[index..].starts_with(b"${")
            && let Some(length) = text[index..].find('}')
        {
            index += length + 1;
            continue;
        }
        if bytes[index] == b':' {
            fields.push(&text[start..index]);
            start = index + 1;
        }
        index += 1;
    }
    fields.push(&text[start..]);
    fields
}

/// One ARN field as written, and the same without its policy variables, which stand for text
/// only known at request time (like a wildcard, as far as syntax goes).
struct Field<'a> {
    text: &'a str,
    literal: Cow<'a, str>,
    has_variable: bool,
}

impl<'a> Field<'a> {
    fn new(text: &'a str) -> Self {
        // Most fields have no variable: they are their own literal, without a copy.
        if !text.contains('$') {
            return Field {
                text,
                literal: Cow::Borrowed(text),
                has_variable: false,
            };
        }
        let mut literal = String::new();
        let mut has_variable = false;
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let Some(length) = rest[start..].find('}') else {
                break;
            };
            literal.push_str(&rest[..start]);
            // `${*}`, `${?}` and `${$}` are escapes for the literal characters.
            match &rest[start + 2..start + length] {
                special @ ("*" | "?" | "$") => literal.push_str(special),
                _ => has_variable = true,
            }
            rest = &rest[start + length + 1..];
        }
        literal.push_str(rest);
        Field {
            text,
            literal: Cow::Owned(literal),
            has_variable,
        }
    }

    /// Whether the field may stand for many values, so only its characters can be judged.
    fn is_open(&self) -> bool {
        self.has_variable || has_wildcard(&self.literal)
    }

    fn all(&self, valid: impl Fn(char) -> bool) -> bool {
        self.literal.chars().all(valid)
    }
}

/// Whether an account field, without its policy variables (`literal`), is valid; `open` when
/// it may stand for many values. Read byte by byte: a byte of a non-ASCII character is no
/// digit and no wildcard, as the character is not.
fn valid_account(literal: &str, open: bool) -> bool {
    if open {
        return literal
            .bytes()
            .all(|b| b.is_ascii_digit() || wildcard(b.into()));
    }
    literal.is_empty()
        || literal == "aws"
        || (literal.len() == 12 && literal.bytes().all(|b| b.is_ascii_digit()))
}

fn lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn wildcard(c: char) -> bool {
    matches!(c, '*' | '?')
}

/// The text for a message: at most 80 characters, control characters escaped so a stray
/// newline does not break the line.
fn truncate(text: &str) -> String {
    let (shown, cut) = match text.char_indices().nth(80) {
        Some((cut, _)) => (&text[..cut], true),
        None => (text, false),
    };
    let mut out: String = shown
        .chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect();
    if cut {
        out.push('…');
    }
    out
}

fn problem(message: String, help: &str) -> ArnProblem {
    ArnProblem {
        message,
        help: help.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{check, check_fully, is_plain_valid};
    use proptest::prelude::*;

    fn ok(text: &str) -> bool {
        check(&[Some(text)]).is_none()
    }

    #[test]
    fn accepts_real_arns_and_patterns() {
        assert!(ok("*"));
        assert!(ok("arn:aws:s3:::my-bucket/*"));
        assert!(ok("arn:aws:iam::123456789012:role/path/name"));
        assert!(ok("arn:aws:iam::aws:policy/AdministratorAccess"));
        assert!(ok("arn:*:ec2:*:*:instance/*"));
        assert!(ok(
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:*"
        ));
        assert!(ok("arn:aws-us-gov:s3:::b"));
        assert!(check(&[Some("arn:aws:s3:::"), None, Some("/*")]).is_none());
        assert!(check(&[None, Some("/*")]).is_none());
        assert!(check(&[Some("arn:"), None]).is_none());
        assert!(check(&[Some("ar"), None]).is_none());
    }

    #[test]
    fn policy_variables_are_not_field_separators() {
        assert!(ok("arn:aws:kms:*:${aws:PrincipalAccount}:key/*"));
        assert!(ok(
            "arn:aws:secretsmanager:${aws:RequestedRegion}:${aws:PrincipalAccount}:secret:x"
        ));
        assert!(ok("arn:aws:ec2:*::snapshot/${*}"));
        assert!(ok("arn:aws:s3:::${aws:PrincipalTag/bucket}/*"));
        assert!(!ok("arn:aws:iam::${aws:PrincipalAccount}"));
        assert!(!ok("arn:aws:kms:*:${aws:PrincipalAccount}:"));
        assert!(!ok("arn:aws:iam::${aws:PrincipalAccount}x:role/a"));
    }

    #[test]
    fn messages_escape_control_characters() {
        let problem = check(&[Some("arn:aws:s3:::b\n")]).unwrap();
        assert!(!problem.message.contains('\n'), "{}", problem.message);
        assert!(problem.message.contains("\\n"), "{}", problem.message);
    }

    #[test]
    fn rejects_broken_ones() {
        assert!(!ok("my-bucket"));
        assert!(!ok("arn:aws:s3:my-bucket"));
        assert!(!ok("arn:amazon:s3:::b"));
        assert!(!ok("arn:aws:iam::12345:role/x"));
        assert!(!ok("arn:aws:S3:::b"));
        assert!(!ok(" arn:aws:s3:::b"));
        assert!(!ok("arn:aws:iam::123456789012:"));
        assert!(check(&[Some("arn:aws:iam::1234:"), None]).is_some());
    }

    /// The one pass answers only for ARNs the full check accepts, and does answer for the
    /// common ones.
    #[test]
    fn the_plain_pass_accepts_only_what_the_full_check_accepts() {
        for text in [
            "arn:aws:s3:::my-bucket/*",
            "arn:aws:iam::123456789012:role/path/name",
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:*",
            "arn:aws:s3::: x",
            "arn:*:s3:::b",
            "arn:aws:s3:*::b",
            "arn:aws*:ec2:us-*:12345*:instance/*",
        ] {
            assert!(is_plain_valid(text), "{text}");
            assert!(check_fully(&[Some(text)]).is_none(), "{text}");
        }
        for text in [
            "arn:aws:s3:::",
            "arn:aws:s3:::b ",
            "arn:aws:s3:::b\u{a0}",
            "arn:aws:s3:::\n",
            "arn:aws:s3::b",
            "arn:aws::::b",
            "arn:aws:S3:::b",
            "arn:aws:s3:US-EAST-1::b",
            "arn:aws:iam::12345678901:role/x",
            "arn:aws:iam::1234567890123:role/x",
            "arn:aws:iam::12345678901a:role/x",
            "arn:amazon:s3:::b",
            "arn:aws:kms:*:${aws:PrincipalAccount}:key/*",
            "arn:a$*:s3:::b",
            "arn:aws:iam::12*a:role/x",
            " arn:aws:s3:::b",
            "arn:aws:s3",
        ] {
            assert!(!is_plain_valid(text), "{text}");
        }
    }

    proptest! {
        #[test]
        fn plain_answers_agree_with_the_full_check(
            partition in "(aws|aws-cn|amazon|\\*|a\\$\\*|\\$\\{a\\}|)",
            service in "[a-zA-Z0-9*?$ -]{0,4}",
            region in "[a-z0-9A-Z*?-]{0,4}",
            account in "(aws|[0-9]{11,13}|[0-9a]{12}|[0-9*?a]{0,4}|)",
            resource in "[a-z/:* \t\u{a0}]{0,4}",
        ) {
            let text = format!("arn:{partition}:{service}:{region}:{account}:{resource}");
            if is_plain_valid(&text) {
                prop_assert!(check_fully(&[Some(&text)]).is_none(), "{}", text);
            }
            prop_assert_eq!(check(&[Some(&text)]), check_fully(&[Some(&text)]));
        }
    }
}
