//! The vocabulary of condition keys and operators: key types and operator families. Both
//! the curated tables (`curated`) and the lookups over them (`conditions`) use it.

use std::fmt;

use super::format::{self, KEY_TEMPLATED};

/// The type of a condition key, as the Service Authorization Reference names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConditionKeyType {
    String,
    ArrayOfString,
    Arn,
    ArrayOfArn,
    Bool,
    ArrayOfBool,
    Numeric,
    ArrayOfNumeric,
    Date,
    ArrayOfDate,
    IpAddress,
    ArrayOfIpAddress,
    Binary,
    ArrayOfBinary,
    /// Referenced by an action but not defined by its service.
    Unknown,
}

impl ConditionKeyType {
    const ALL: [ConditionKeyType; 15] = [
        ConditionKeyType::String,
        ConditionKeyType::ArrayOfString,
        ConditionKeyType::Arn,
        ConditionKeyType::ArrayOfArn,
        ConditionKeyType::Bool,
        ConditionKeyType::ArrayOfBool,
        ConditionKeyType::Numeric,
        ConditionKeyType::ArrayOfNumeric,
        ConditionKeyType::Date,
        ConditionKeyType::ArrayOfDate,
        ConditionKeyType::IpAddress,
        ConditionKeyType::ArrayOfIpAddress,
        ConditionKeyType::Binary,
        ConditionKeyType::ArrayOfBinary,
        ConditionKeyType::Unknown,
    ];

    pub(crate) fn from_code(code: u8) -> ConditionKeyType {
        let code = (code & !KEY_TEMPLATED) as usize;
        Self::ALL
            .get(code)
            .copied()
            .unwrap_or(ConditionKeyType::Unknown)
    }

    /// Parses the reference's spelling (`String`, `ArrayOfARN`, `IPAddress`, ...).
    pub fn from_name(name: &str) -> Option<ConditionKeyType> {
        let i = format::KEY_TYPE_NAMES.iter().position(|n| *n == name)?;
        Self::ALL.get(i).copied()
    }

    pub fn as_str(self) -> &'static str {
        format::KEY_TYPE_NAMES[self as usize]
    }

    /// An `ArrayOf…` type: the request may carry several values for the key.
    pub fn is_array(self) -> bool {
        matches!(
            self,
            ConditionKeyType::ArrayOfString
                | ConditionKeyType::ArrayOfArn
                | ConditionKeyType::ArrayOfBool
                | ConditionKeyType::ArrayOfNumeric
                | ConditionKeyType::ArrayOfDate
                | ConditionKeyType::ArrayOfIpAddress
                | ConditionKeyType::ArrayOfBinary
        )
    }
}

impl fmt::Display for ConditionKeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A small set of key types: some keys accept two families (`aws:EpochTime` is a date or a
/// number), and operator families apply to several types.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyTypes(u16);

impl KeyTypes {
    pub fn single(t: ConditionKeyType) -> KeyTypes {
        KeyTypes(1 << t as u16)
    }

    pub fn insert(&mut self, t: ConditionKeyType) {
        self.0 |= 1 << t as u16;
    }

    pub fn contains(self, t: ConditionKeyType) -> bool {
        self.0 & (1 << t as u16) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = ConditionKeyType> {
        ConditionKeyType::ALL
            .into_iter()
            .filter(move |t| self.contains(*t))
    }

    /// Every type is an `ArrayOf…` type: a multivalued key, tested with `ForAllValues:` or
    /// `ForAnyValue:`.
    pub fn is_multivalued(self) -> bool {
        !self.is_empty() && self.iter().all(ConditionKeyType::is_array)
    }

    /// Every type is known and none is an `ArrayOf…` type: a key with at most one value.
    pub fn is_single_valued(self) -> bool {
        !self.is_empty()
            && self
                .iter()
                .all(|t| !t.is_array() && t != ConditionKeyType::Unknown)
    }

    /// The first type in reference order; the one to show when a key has several.
    pub fn primary(self) -> Option<ConditionKeyType> {
        self.iter().next()
    }
}

impl fmt::Debug for KeyTypes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// A global condition key (`aws:...`, plus the cross-service keys AWS documents with them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalConditionKey {
    /// Canonical name; templated keys use `${TagKey}`, e.g. `aws:RequestTag/${TagKey}`.
    pub name: &'static str,
    pub types: KeyTypes,
    /// AWS lists the key among those where wildcards in values have no valid use.
    pub sensitive: bool,
    pub reference: &'static str,
}

/// A family of condition operators and the key types it compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorFamily {
    /// `String`, `Numeric`, `Date`, `Bool`, `Binary`, `IpAddress`, `Arn` or `Null`.
    pub name: &'static str,
    pub key_types: KeyTypes,
    /// `Null` tests presence, so it applies to every key.
    pub applies_to_all: bool,
    pub reference: &'static str,
}

impl OperatorFamily {
    pub fn accepts(&self, t: ConditionKeyType) -> bool {
        self.applies_to_all || t == ConditionKeyType::Unknown || self.key_types.contains(t)
    }
}

/// A base condition operator such as `StringLike` (without `IfExists` or set qualifier).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub name: &'static str,
    pub(crate) family: usize,
    /// A negated match (`StringNotEquals`, `NotIpAddress`, ...).
    pub negated: bool,
    /// Whether `*` and `?` in values are wildcards.
    pub wildcards: bool,
}
