//! Every rule's identity, so that findings, suppressions, the configuration and cross-rule
//! references name rules through a type the compiler checks rather than through strings.
//! The rules themselves (what they check, their default severity, their docs) live in
//! `crate::rules`; `rules::rule` maps each id to its rule, from the same list.

use std::fmt;

macro_rules! rule_ids {
    ($($variant:ident => $module:ident => $name:literal,)*) => {
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

/// Every rule once: its `RuleId` variant (also the name of the rule's struct), its module in
/// `crate::rules`, and the name users write, in the order `iamlint rules` lists them. Expanded
/// here into `RuleId`, and in `crate::rules` into the registry, so the two cannot disagree.
macro_rules! with_every_rule {
    ($then:ident) => {
        $then! {
            ParseError => parse_error => "parse-error",
            LimitExceeded => limit_exceeded => "limit-exceeded",
            UnreadFile => unread_file => "unread-file",
            MalformedPolicy => malformed_policy => "malformed-policy",
            UnknownPolicyElement => unknown_policy_element => "unknown-policy-element",
            InvalidVersion => invalid_version => "invalid-version",
            MissingVersion => missing_version => "missing-version",
            PolicyVariableNeedsVersion => policy_variable_needs_version => "policy-variable-needs-version",
            DuplicateSid => duplicate_sid => "duplicate-sid",
            InvalidSid => invalid_sid => "invalid-sid",
            InvalidArn => invalid_arn => "invalid-arn",
            UnknownConditionOperator => unknown_condition_operator => "unknown-condition-operator",
            ConditionValueType => condition_value_type => "condition-value-type",
            UnknownService => unknown_service => "unknown-service",
            UnknownAction => unknown_action => "unknown-action",
            ActionPatternMatchesNothing => action_pattern_matches_nothing => "action-pattern-matches-nothing",
            UnknownConditionKey => unknown_condition_key => "unknown-condition-key",
            ConditionTypeMismatch => condition_type_mismatch => "condition-type-mismatch",
            MultivaluedKeyWithoutSetOperator => multivalued_key_without_set_operator => "multivalued-key-without-set-operator",
            SetOperatorOnSingleValuedKey => set_operator_on_single_valued_key => "set-operator-on-single-valued-key",
            InvalidServicePrincipal => invalid_service_principal => "invalid-service-principal",
            PolicyTooLarge => policy_too_large => "policy-too-large",
            ResourceTypeMismatch => resource_type_mismatch => "resource-type-mismatch",
            StatementNeverApplies => statement_never_applies => "statement-never-applies",
            AdminAccess => admin_access => "admin-access",
            AllowWithNotAction => allow_with_not_action => "allow-with-not-action",
            AllowWithNotResource => allow_with_not_resource => "allow-with-not-resource",
            AllowWithNotPrincipal => allow_with_not_principal => "allow-with-not-principal",
            MfaPresentFalse => mfa_present_false => "mfa-present-false",
            PassroleUnscoped => passrole_unscoped => "passrole-unscoped",
            WildcardResource => wildcard_resource => "wildcard-resource",
            RedundantAction => redundant_action => "redundant-action",
            WildcardAction => wildcard_action => "wildcard-action",
            PermissionsManagement => permissions_management => "permissions-management",
            CredentialsExposure => credentials_exposure => "credentials-exposure",
            ResourceExposure => resource_exposure => "resource-exposure",
            DataExfiltration => data_exfiltration => "data-exfiltration",
            WriteWithoutConstraints => write_without_constraints => "write-without-constraints",
            PrivilegeEscalation => privilege_escalation => "privilege-escalation",
            TagConditionBypass => tag_condition_bypass => "tag-condition-bypass",
            BroadManagedPolicy => broad_managed_policy => "broad-managed-policy",
            TrustAnyPrincipal => trust_any_principal => "trust-any-principal",
            TrustOidcUnscoped => trust_oidc_unscoped => "trust-oidc-unscoped",
            TrustCrossAccountWithoutExternalId => trust_cross_account_without_external_id => "trust-cross-account-without-external-id",
            TrustAccountRoot => trust_account_root => "trust-account-root",
            PublicResourcePolicy => public_resource_policy => "public-resource-policy",
            ResourcePolicyWildcardAction => resource_policy_wildcard_action => "resource-policy-wildcard-action",
            S3CrossAccountObjectAccess => s3_cross_account_object_access => "s3-cross-account-object-access",
            ConfusedDeputy => confused_deputy => "confused-deputy",
            ForbiddenAction => forbidden_action => "forbidden-action",
            UnusedSuppression => unused_suppression => "unused-suppression",
            UnknownRuleInSuppression => unknown_rule_in_suppression => "unknown-rule-in-suppression",
            InvalidSuppression => invalid_suppression => "invalid-suppression",
        }
    };
}
pub(crate) use with_every_rule;

with_every_rule!(rule_ids);

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

/// The set a rule belongs to, for selecting rules by name (`--select least-privilege`, a
/// `[rules]` entry). The default run checks the default groups: what AWS rejects or
/// misreads, and security findings that are nearly always real; the others are opt-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The policy is invalid or does not mean what it says (on by default).
    Correctness,
    /// Access an attacker can use: admin, escalation, public or any-principal policies
    /// (on by default).
    Security,
    /// Broader than needed: `*` resources, service wildcards, unconstrained writes and reads.
    LeastPrivilege,
    /// Hardening and tidiness that is often a deliberate choice.
    Suggestions,
}

impl Group {
    pub const ALL: [Group; 4] = [
        Group::Correctness,
        Group::Security,
        Group::LeastPrivilege,
        Group::Suggestions,
    ];

    /// The name users write.
    pub const fn as_str(self) -> &'static str {
        match self {
            Group::Correctness => "correctness",
            Group::Security => "security",
            Group::LeastPrivilege => "least-privilege",
            Group::Suggestions => "suggestions",
        }
    }

    pub fn from_name(name: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|group| group.as_str() == name)
    }

    /// Whether a run without `--select` checks the group's rules.
    pub const fn is_default(self) -> bool {
        matches!(self, Group::Correctness | Group::Security)
    }

    /// One line on what the group holds, for `iamlint rules` and `iamlint init`.
    pub const fn description(self) -> &'static str {
        match self {
            Group::Correctness => "AWS rejects the policy, or reads it differently than written",
            Group::Security => "admin, escalation, credentials, public or any-principal access",
            Group::LeastPrivilege => {
                "`*` resources, service wildcards, unconstrained writes and reads"
            }
            Group::Suggestions => "hardening and tidiness that is often deliberate",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl serde::Serialize for Group {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
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
