//! Every rule's identity, so that findings, suppressions, the configuration and cross-rule
//! references name rules through a type the compiler checks rather than through strings.
//! The rules themselves (what they check, their default severity, their docs) live in
//! `crate::rules`; `rules::rule` maps each id to its rule with an exhaustive match.

use std::fmt;

macro_rules! rule_ids {
    ($($variant:ident => $name:literal,)*) => {
        /// A rule, by identity. Declared in the order `iamlint rules` lists them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $($variant,)*
        }

        impl RuleId {
            /// Every rule, in the order `iamlint rules` lists them.
            pub const ALL: &[RuleId] = &[$(RuleId::$variant,)*];

            /// The kebab-case name users write (`wildcard-resource`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $name,)*
                }
            }
        }
    };
}

rule_ids! {
    ParseError => "parse-error",
    LimitExceeded => "limit-exceeded",
    MalformedPolicy => "malformed-policy",
    UnknownPolicyElement => "unknown-policy-element",
    InvalidVersion => "invalid-version",
    MissingVersion => "missing-version",
    PolicyVariableNeedsVersion => "policy-variable-needs-version",
    DuplicateSid => "duplicate-sid",
    InvalidSid => "invalid-sid",
    InvalidArn => "invalid-arn",
    UnknownConditionOperator => "unknown-condition-operator",
    ConditionValueType => "condition-value-type",
    UnknownService => "unknown-service",
    UnknownAction => "unknown-action",
    ActionPatternMatchesNothing => "action-pattern-matches-nothing",
    UnknownConditionKey => "unknown-condition-key",
    ConditionTypeMismatch => "condition-type-mismatch",
    ResourceTypeMismatch => "resource-type-mismatch",
    AdminAccess => "admin-access",
    AllowWithNotAction => "allow-with-not-action",
    AllowWithNotResource => "allow-with-not-resource",
    PassroleUnscoped => "passrole-unscoped",
    WildcardResource => "wildcard-resource",
    RedundantAction => "redundant-action",
    WildcardAction => "wildcard-action",
    PermissionsManagement => "permissions-management",
    CredentialsExposure => "credentials-exposure",
    ResourceExposure => "resource-exposure",
    DataExfiltration => "data-exfiltration",
    WriteWithoutConstraints => "write-without-constraints",
    PrivilegeEscalation => "privilege-escalation",
    TagConditionBypass => "tag-condition-bypass",
    TrustAnyPrincipal => "trust-any-principal",
    TrustOidcUnscoped => "trust-oidc-unscoped",
    TrustCrossAccountWithoutExternalId => "trust-cross-account-without-external-id",
    TrustAccountRoot => "trust-account-root",
    PublicResourcePolicy => "public-resource-policy",
    ResourcePolicyWildcardAction => "resource-policy-wildcard-action",
    S3CrossAccountObjectAccess => "s3-cross-account-object-access",
    ConfusedDeputy => "confused-deputy",
    ForbiddenAction => "forbidden-action",
    UnusedSuppression => "unused-suppression",
    UnknownRuleInSuppression => "unknown-rule-in-suppression",
    InvalidSuppression => "invalid-suppression",
}

impl RuleId {
    /// The rule a name as written by a user names, if any.
    pub fn from_name(name: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|id| id.as_str() == name)
    }

    /// The rule names, for did-you-mean suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        RuleId::ALL.iter().map(|id| id.as_str())
    }

    /// Position in `ALL` (SARIF's `ruleIndex`).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Rules the engine reports about suppressions themselves, after applying them.
    pub fn is_about_suppressions(self) -> bool {
        matches!(
            self,
            RuleId::UnusedSuppression
                | RuleId::UnknownRuleInSuppression
                | RuleId::InvalidSuppression
        )
    }
}

/// Rules order by name, as users see them listed.
impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_the_position_in_all() {
        for (position, id) in RuleId::ALL.iter().enumerate() {
            assert_eq!(id.index(), position);
        }
    }
}
