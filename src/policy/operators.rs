//! The IAM condition operators and the kind of value each one compares.

/// What the values of an operator must look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

const OPERATORS: &[(&str, OperatorFamily)] = &[
    ("StringEquals", OperatorFamily::String),
    ("StringNotEquals", OperatorFamily::String),
    ("StringEqualsIgnoreCase", OperatorFamily::String),
    ("StringNotEqualsIgnoreCase", OperatorFamily::String),
    ("StringLike", OperatorFamily::String),
    ("StringNotLike", OperatorFamily::String),
    ("NumericEquals", OperatorFamily::Numeric),
    ("NumericNotEquals", OperatorFamily::Numeric),
    ("NumericLessThan", OperatorFamily::Numeric),
    ("NumericLessThanEquals", OperatorFamily::Numeric),
    ("NumericGreaterThan", OperatorFamily::Numeric),
    ("NumericGreaterThanEquals", OperatorFamily::Numeric),
    ("DateEquals", OperatorFamily::Date),
    ("DateNotEquals", OperatorFamily::Date),
    ("DateLessThan", OperatorFamily::Date),
    ("DateLessThanEquals", OperatorFamily::Date),
    ("DateGreaterThan", OperatorFamily::Date),
    ("DateGreaterThanEquals", OperatorFamily::Date),
    ("Bool", OperatorFamily::Bool),
    ("BinaryEquals", OperatorFamily::Binary),
    ("IpAddress", OperatorFamily::IpAddress),
    ("NotIpAddress", OperatorFamily::IpAddress),
    ("ArnEquals", OperatorFamily::Arn),
    ("ArnLike", OperatorFamily::Arn),
    ("ArnNotEquals", OperatorFamily::Arn),
    ("ArnNotLike", OperatorFamily::Arn),
    ("Null", OperatorFamily::Null),
];

/// An operator split into its set prefix, base name and `IfExists` suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator<'a> {
    /// `ForAllValues` or `ForAnyValue`, as written.
    pub set_prefix: Option<&'a str>,
    pub base: &'static str,
    pub family: OperatorFamily,
    pub if_exists: bool,
}

/// Why an operator name is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorError {
    UnknownSetPrefix(String),
    Unknown(String),
    NullIfExists,
}

/// Base names of every operator, for suggestions.
pub fn base_names() -> impl Iterator<Item = &'static str> {
    OPERATORS.iter().map(|(name, _)| *name)
}

/// Parses an operator. Names compare without regard to case, as IAM does.
pub fn parse(name: &str) -> Result<Operator<'_>, OperatorError> {
    let (set_prefix, rest) = match name.split_once(':') {
        Some((prefix, rest)) => {
            if !(prefix.eq_ignore_ascii_case("ForAllValues")
                || prefix.eq_ignore_ascii_case("ForAnyValue"))
            {
                return Err(OperatorError::UnknownSetPrefix(prefix.to_string()));
            }
            (Some(prefix), rest)
        }
        None => (None, name),
    };
    let lookup = |base: &str| {
        OPERATORS
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(base))
            .copied()
    };
    let (found, if_exists) = match lookup(rest) {
        Some(found) => (found, false),
        None => {
            let stripped = rest
                .len()
                .checked_sub("IfExists".len())
                .filter(|&cut| rest.is_char_boundary(cut))
                .filter(|&cut| rest[cut..].eq_ignore_ascii_case("IfExists"))
                .and_then(|cut| lookup(&rest[..cut]));
            match stripped {
                Some(found) => (found, true),
                None => return Err(OperatorError::Unknown(rest.to_string())),
            }
        }
    };
    if if_exists && found.1 == OperatorFamily::Null {
        return Err(OperatorError::NullIfExists);
    }
    Ok(Operator {
        set_prefix,
        base: found.0,
        family: found.1,
        if_exists,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_suffixes() {
        let op = parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.base, "StringLike");
        assert!(op.if_exists);
        assert_eq!(op.set_prefix, Some("ForAnyValue"));
        assert_eq!(parse("NullIfExists"), Err(OperatorError::NullIfExists));
        assert!(matches!(
            parse("StringEqual"),
            Err(OperatorError::Unknown(_))
        ));
        assert!(matches!(
            parse("ForSomeValues:StringLike"),
            Err(OperatorError::UnknownSetPrefix(_))
        ));
        assert_eq!(parse("stringequals").unwrap().base, "StringEquals");
    }
}
