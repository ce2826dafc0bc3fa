//! `condition-value-type`: condition values that can never match their operator.

use super::condition_type_mismatch::{Fit, judge};
use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::base::value::{Value, ValueKind};
use crate::catalog::Catalog;

declare_rule! {
    /// ## What it does
    /// Reports condition values that the operator cannot compare: `Bool` and `Null` with
    /// anything but `true`/`false`, `Numeric*` with non-numbers, `Date*` with values that are
    /// neither ISO 8601 dates nor epoch seconds, `IpAddress`/`NotIpAddress` with invalid
    /// addresses or CIDR blocks, and `BinaryEquals` with values that are not base64.
    /// Values containing policy variables or unknown parts are not judged, nor are the values
    /// of an operator that does not fit its key's type (`condition-type-mismatch` reports
    /// the operator).
    ///
    /// ## Why is this bad?
    /// The test never matches. On an `Allow` the permission silently does nothing; on a
    /// `Deny`, or with a negated operator, the protection it was meant to give is gone.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}, "Bool": {"aws:SecureTransport": "yes"}}}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/16"}, "Bool": {"aws:SecureTransport": "true"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
    pub struct ConditionValueType {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "A condition value cannot match its operator's type",
    }
}

impl Rule for ConditionValueType {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        for (statement, actions) in cx.statements() {
            for condition in &statement.conditions {
                let Ok(operator) = catalog.parse_operator(condition.operator) else {
                    continue;
                };
                // An operator of the wrong family for the key is the mistake to report, not
                // each value it then fails to read.
                if judge(catalog, &operator, condition.key, &actions.union)
                    .is_some_and(|(fit, _)| fit == Fit::Mismatch)
                {
                    continue;
                }
                let (family, base) = (operator.operator.family().name, operator.operator.name);
                for value in &condition.values {
                    if let Some(expected) = mismatch(family, value) {
                        let padded = value.as_str().is_some_and(|text| text.trim() != text);
                        let help = if padded && mismatch(family, &trimmed(value)).is_none() {
                            "remove the whitespace around the value".to_string()
                        } else {
                            format!("`{base}` takes {expected}")
                        };
                        out.push(
                            Self::META
                                .finding(
                                    value.span,
                                    format!("`{base}` cannot match {}", describe(value)),
                                )
                                .with_help(help),
                        );
                    }
                }
            }
        }
    }
}

/// The value with the whitespace around a string removed, to tell whether that is all
/// that is wrong with it.
fn trimmed(value: &Value) -> Value {
    match &value.kind {
        ValueKind::String(text) => Value::new(value.span, ValueKind::String(text.trim().into())),
        _ => value.clone(),
    }
}

fn describe(value: &Value) -> String {
    match &value.kind {
        ValueKind::String(text) => format!("`{text:?}`"),
        ValueKind::Number(text) => format!("`{text}`"),
        ValueKind::Bool(b) => format!("`{b}`"),
        _ => value.type_name().to_string(),
    }
}

/// What an operator of `family` (a family name of `condition_operators.tsv`) expects, when
/// `value` is not it.
fn mismatch(family: &str, value: &Value) -> Option<&'static str> {
    let text = match &value.kind {
        ValueKind::String(text) if text.contains("${") => return None,
        ValueKind::String(text) => text.as_str(),
        ValueKind::Number(text) => text.as_str(),
        ValueKind::Bool(true) => "true",
        ValueKind::Bool(false) => "false",
        // Unknown values, templates and wrong JSON types (reported by malformed-policy).
        _ => return None,
    };
    let is_bool = matches!(value.kind, ValueKind::Bool(_));
    let (valid, expected) = match family {
        "Bool" | "Null" => (
            text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false"),
            "`true` or `false`",
        ),
        "Numeric" => (!is_bool && is_number(text), "numbers"),
        "Date" => (
            !is_bool && (is_epoch(text) || is_iso_date(text)),
            "ISO 8601 dates (`2026-01-31T00:00:00Z`) or epoch seconds",
        ),
        "IpAddress" => (
            !is_bool && is_ip_or_cidr(text),
            "IPv4 or IPv6 addresses or CIDR blocks (`203.0.113.0/24`)",
        ),
        "Binary" => (!is_bool && is_base64(text), "base64-encoded values"),
        // String and Arn compare any text.
        _ => (true, ""),
    };
    (!valid).then_some(expected)
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.trim() == text && text.parse::<f64>().is_ok_and(f64::is_finite)
}

fn is_epoch(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// ISO 8601 as AWS documents it: a date, optionally with a time and a zone.
fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let number = |range: std::ops::Range<usize>| -> u32 {
        text.get(range).and_then(|s| s.parse().ok()).unwrap_or(99)
    };
    if !(digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10))
    {
        return false;
    }
    if !(1..=12).contains(&number(5..7)) || !(1..=31).contains(&number(8..10)) {
        return false;
    }
    let rest = &text[10..];
    if rest.is_empty() {
        return true;
    }
    let Some(time) = rest.strip_prefix('T') else {
        return false;
    };
    let (clock, zone) = match time.find(['Z', '+', '-']) {
        Some(index) => time.split_at(index),
        None => (time, ""),
    };
    let clock_ok = {
        let (main, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
        let fields: Vec<&str> = main.split(':').collect();
        (2..=3).contains(&fields.len())
            && fields
                .iter()
                .all(|f| f.len() == 2 && f.chars().all(|c| c.is_ascii_digit()))
            && fields[0].parse::<u32>().is_ok_and(|h| h < 24)
            && fields[1].parse::<u32>().is_ok_and(|m| m < 60)
            && fields
                .get(2)
                .is_none_or(|s| s.parse::<u32>().is_ok_and(|s| s < 61))
            && !fraction.is_empty()
            && fraction.chars().all(|c| c.is_ascii_digit())
    };
    let zone_ok = match zone {
        "" | "Z" => true,
        offset => {
            let offset = &offset[1..];
            let compact = offset.replace(':', "");
            compact.len() == 4 && compact.chars().all(|c| c.is_ascii_digit())
        }
    };
    clock_ok && zone_ok
}

fn is_ip_or_cidr(text: &str) -> bool {
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (text, None),
    };
    let max_prefix = match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => 32,
        Ok(std::net::IpAddr::V6(_)) => 128,
        Err(_) => return false,
    };
    prefix.is_none_or(|p| {
        !p.is_empty()
            && p.chars().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|p| p <= max_prefix)
    })
}

fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len().is_multiple_of(4)
        && text.len() - body.len() <= 2
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_iso_date("2026-01-31"));
        assert!(is_iso_date("2026-01-31T00:00:00Z"));
        assert!(is_iso_date("2026-01-31T12:30:00.123+02:00"));
        assert!(is_iso_date("2026-01-31T12:30Z"));
        assert!(!is_iso_date("2026-13-01"));
        assert!(!is_iso_date("31/01/2026"));
        assert!(!is_iso_date("2026-01-31 12:00"));
        assert!(is_epoch("1700000000"));
    }

    #[test]
    fn addresses() {
        assert!(is_ip_or_cidr("203.0.113.0/24"));
        assert!(is_ip_or_cidr("2001:db8::/32"));
        assert!(is_ip_or_cidr("10.1.2.3"));
        assert!(!is_ip_or_cidr("10.0.0.0/33"));
        assert!(!is_ip_or_cidr("10.0.0/8"));
        assert!(!is_ip_or_cidr("any"));
    }
}
