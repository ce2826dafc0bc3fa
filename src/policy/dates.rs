//! Date conditions that can never hold: an upper bound on `aws:CurrentTime`,
//! `aws:EpochTime` or `aws:TokenIssueTime` already in the past, or below a lower bound on the
//! same key. A statement with one allows (or denies) nothing, whatever else it says.

use super::Condition;
use crate::base::value::{Value, ValueKind};
use std::time::{SystemTime, UNIX_EPOCH};

/// Keys whose value is the time of the request or of the credentials, never earlier than now
/// (a token issued before a past date has long expired).
const TIME_KEYS: &[&str] = &["aws:currenttime", "aws:epochtime", "aws:tokenissuetime"];

/// Why a condition can never hold.
#[derive(Clone, Copy, Debug)]
pub enum Never<'a, 'v> {
    /// Every date it allows is before now.
    Past,
    /// It ends before the lower bound this other condition sets on the same key.
    BeforeStart(&'a Condition<'v>),
}

/// A condition that can never hold, and why.
#[derive(Clone, Copy, Debug)]
pub struct DeadCondition<'a, 'v> {
    pub condition: &'a Condition<'v>,
    pub never: Never<'a, 'v>,
}

/// A bound one date test puts on a time key.
struct Bound<'a, 'v> {
    condition: &'a Condition<'v>,
    key: String,
    /// Seconds since the epoch: the latest (for an upper bound) or earliest (for a lower
    /// bound) of the values, which are alternatives.
    at: i64,
    upper: bool,
    /// `DateLessThan` and `DateGreaterThan` exclude the bound itself.
    strict: bool,
}

/// The first condition of `conditions` (ANDed) that can never hold.
pub(crate) fn never_holds<'a, 'v>(
    conditions: &'a [Condition<'v>],
) -> Option<DeadCondition<'a, 'v>> {
    let bounds: Vec<Bound<'a, 'v>> = conditions.iter().filter_map(bound).collect();
    if bounds.is_empty() {
        return None;
    }
    let now = now();
    for upper in bounds.iter().filter(|b| b.upper) {
        if upper.at < now {
            return Some(DeadCondition {
                condition: upper.condition,
                never: Never::Past,
            });
        }
        let starts_after = |lower: &&Bound<'_, '_>| {
            !lower.upper
                && lower.key == upper.key
                && (lower.at > upper.at || (lower.at == upper.at && (lower.strict || upper.strict)))
        };
        if let Some(lower) = bounds.iter().find(starts_after) {
            return Some(DeadCondition {
                condition: upper.condition,
                never: Never::BeforeStart(lower.condition),
            });
        }
    }
    None
}

/// The bound a `Date…` test on a time key sets, when every value is a literal date.
fn bound<'a, 'v>(condition: &'a Condition<'v>) -> Option<Bound<'a, 'v>> {
    let key = condition.key.to_ascii_lowercase();
    if !TIME_KEYS.contains(&key.as_str()) {
        return None;
    }
    let operator = condition.operator.to_ascii_lowercase();
    let (operator, if_exists) = match operator.strip_suffix("ifexists") {
        Some(base) => (base, true),
        None => (operator.as_str(), false),
    };
    // A request without a session token has no `aws:TokenIssueTime`: `…IfExists` then holds.
    if if_exists && key == "aws:tokenissuetime" {
        return None;
    }
    let (upper, strict) = match operator {
        "datelessthan" => (true, true),
        "datelessthanequals" => (true, false),
        "dategreaterthan" => (false, true),
        "dategreaterthanequals" => (false, false),
        _ => return None,
    };
    let dates: Option<Vec<i64>> = condition.values.iter().map(|v| seconds(v)).collect();
    let dates = dates?;
    let at = if upper {
        dates.iter().max()
    } else {
        dates.iter().min()
    };
    Some(Bound {
        condition,
        key,
        at: *at?,
        upper,
        strict,
    })
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A date value as AWS reads it: ISO 8601 (`2001-01-01`, `2001-01-01T00:00:00Z`, with an
/// offset or fractions of a second) or seconds since the epoch. `None` for anything else,
/// and for values only known at deploy time.
fn seconds(value: &Value) -> Option<i64> {
    let text = match &value.kind {
        ValueKind::String(text) | ValueKind::Number(text) => text.trim(),
        _ => return None,
    };
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    iso8601(text)
}

fn iso8601(text: &str) -> Option<i64> {
    let number = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date, time) = match text.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (year, month, day) = (
        number(parts.next()?)?,
        number(parts.next()?)?,
        number(parts.next()?)?,
    );
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    if let Some(time) = time {
        let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
            Some(at) => time.split_at(at),
            None => (time, ""),
        };
        let mut fields = clock.split(':');
        let hours = number(fields.next()?)?;
        let minutes = fields.next().map_or(Some(0), number)?;
        let secs = match fields.next() {
            Some(s) => number(s.split('.').next()?)?,
            None => 0,
        };
        seconds += hours * 3600 + minutes * 60 + secs;
        if let Some(sign) = offset.chars().next().filter(|c| matches!(c, '+' | '-')) {
            let (h, m) = offset[1..].split_once(':').unwrap_or((&offset[1..], "0"));
            let shift = number(h)? * 3600 + number(m)? * 60;
            seconds += if sign == '+' { -shift } else { shift };
        }
    }
    Some(seconds)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_aws_reads_them() {
        assert_eq!(iso8601("1970-01-01"), Some(0));
        assert_eq!(iso8601("2001-09-09T01:46:40Z"), Some(1_000_000_000));
        assert_eq!(iso8601("2001-09-09T03:46:40+02:00"), Some(1_000_000_000));
        assert_eq!(iso8601("2001-09-09T01:46:40.250Z"), Some(1_000_000_000));
        assert_eq!(iso8601("2000-03-01"), Some(951_868_800));
        assert_eq!(iso8601("not a date"), None);
        assert_eq!(iso8601("2001-13-01"), None);
    }
}
