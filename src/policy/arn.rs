//! ARN syntax: which resource strings can be ARN patterns at all.

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

/// Why a resource string is not a valid ARN pattern; `None` from [`check`] when it is (or
/// may be: fields hidden behind an unknown value are never judged).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArnProblem {
    pub message: String,
    pub help: String,
}

/// Checks `parts`, the known (`Some`) and unknown (`None`) pieces of a resource string.
pub fn check(parts: &[Option<&str>]) -> Option<ArnProblem> {
    // Only the text before the first unknown piece can be judged.
    let mut known = String::new();
    let mut complete = true;
    for part in parts {
        match part {
            Some(text) => known.push_str(text),
            None => {
                complete = false;
                break;
            }
        }
    }
    if complete && known == "*" {
        return None;
    }
    if known.trim() != known && (complete || known.trim_start() != known) {
        return Some(problem(
            format!("`{known}` has whitespace around it"),
            "remove the whitespace: it becomes part of the ARN",
        ));
    }
    if !known.starts_with("arn:") {
        if !complete && "arn:".starts_with(known.as_str()) {
            return None;
        }
        return Some(problem(
            format!("`{}` is not an ARN", truncate(&known)),
            "write a full ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, or `*`",
        ));
    }
    let fields: Vec<&str> = known.splitn(6, ':').collect();
    // A field is only judged when it is fully known: followed by a colon, or the end.
    let judged = if complete {
        fields.len()
    } else {
        fields.len() - 1
    };
    let field = |index: usize| (index < judged).then(|| fields[index]);
    if complete && fields.len() < 6 {
        return Some(problem(
            format!(
                "`{}` has {} of the 6 ARN fields",
                truncate(&known),
                fields.len()
            ),
            "ARNs are `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`; leave REGION or ACCOUNT empty, not out",
        ));
    }
    if let Some(partition) = field(1)
        && !has_wildcard(partition)
        && !PARTITIONS.contains(&partition)
    {
        return Some(problem(
            format!("unknown partition `{partition}`"),
            "the partition is `aws` (or `aws-cn`, `aws-us-gov`, ...)",
        ));
    }
    if let Some(service) = field(2)
        && (service.is_empty()
            || !service
                .chars()
                .all(|c| lower_alnum(c) || c == '-' || wildcard(c)))
    {
        return Some(problem(
            format!("invalid service `{service}` in ARN"),
            "the service is the lower-case prefix, as in `arn:aws:s3:::my-bucket`",
        ));
    }
    if let Some(region) = field(3)
        && !region
            .chars()
            .all(|c| lower_alnum(c) || c == '-' || wildcard(c))
    {
        return Some(problem(
            format!("invalid region `{region}` in ARN"),
            "regions are written like `us-east-1`; leave the field empty for global services",
        ));
    }
    if let Some(account) = field(4)
        && !valid_account(account)
    {
        return Some(problem(
            format!("invalid account `{account}` in ARN"),
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

fn valid_account(account: &str) -> bool {
    if account.is_empty() || account == "aws" {
        return true;
    }
    if has_wildcard(account) {
        return account.chars().all(|c| c.is_ascii_digit() || wildcard(c));
    }
    account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())
}

fn lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn wildcard(c: char) -> bool {
    matches!(c, '*' | '?')
}

fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn problem(message: String, help: &str) -> ArnProblem {
    ArnProblem {
        message,
        help: help.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::check;

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
}
