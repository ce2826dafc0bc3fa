//! The typed policy model that rules read, borrowed from the spanned value tree.

pub(crate) mod actions;
pub(crate) mod arn;
pub(crate) mod dates;
pub(crate) mod effective;
pub(crate) mod escalation;
pub(crate) mod limiting;
mod parse;
pub(crate) mod principals;
pub(crate) mod sensitive;

pub(crate) use parse::{PARALLEL_STATEMENTS, parse, parse_recording, well_formed_action};

use crate::base::finding::Label;
use crate::base::source::Span;
use crate::base::value::Value;
use crate::extract::document::PolicyKind;

#[derive(Debug)]
pub struct Policy<'v> {
    pub root: &'v Value,
    pub version: Option<&'v Value>,
    pub id: Option<&'v Value>,
    pub statements: Vec<Statement<'v>>,
    /// The document's kind, or what its content implies when the carrier did not say.
    pub kind: PolicyKind,
    /// Structural problems found while parsing, reported by the rules that own them.
    pub issues: Vec<Issue>,
    /// Issues past the most one document records, only counted.
    pub issues_left_out: usize,
    /// Statements past [`MAX_STATEMENTS`], not parsed: how many, and where the first is.
    pub statements_left_out: Option<(usize, Span)>,
}

/// The most statements of one document that are parsed and checked. AWS caps a policy's
/// size (32 KB for the largest, a KMS key policy), so no accepted policy holds more than a
/// few thousand statements; a generated file with millions would otherwise cost gigabytes.
pub const MAX_STATEMENTS: usize = 10_000;

#[derive(Debug)]
pub struct Statement<'v> {
    pub value: &'v Value,
    pub sid: Option<&'v Value>,
    /// `None` when missing or not `Allow`/`Deny`.
    pub effect: Option<Effect>,
    pub effect_value: Option<&'v Value>,
    pub principal: Option<Element<'v>>,
    pub action: Option<Element<'v>>,
    pub resource: Option<Element<'v>>,
    pub conditions: Vec<Condition<'v>>,
    /// The actions, expanded once: every principal holding an AWS managed policy of a
    /// thousand patterns reads them, in several rules.
    pub(crate) expanded: std::sync::OnceLock<effective::ExpandedActions>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action`/`NotAction`, `Resource`/`NotResource` or `Principal`/`NotPrincipal`.
#[derive(Debug)]
pub struct Element<'v> {
    /// True for the `Not…` form.
    pub negated: bool,
    pub key_span: Span,
    pub value: &'v Value,
    /// The entries: strings, templates or unknowns (for a principal, the identifiers of every
    /// principal type, or the `"*"` itself).
    pub items: Vec<&'v Value>,
}

/// One `operator: { key: values }` test of a `Condition` block.
#[derive(Debug)]
pub struct Condition<'v> {
    pub operator: &'v str,
    pub operator_span: Span,
    pub key: &'v str,
    pub key_span: Span,
    pub value: &'v Value,
    pub values: Vec<&'v Value>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// Owned by `malformed-policy`.
    Malformed,
    /// Owned by `unknown-policy-element`.
    UnknownElement,
}

#[derive(Clone, Debug)]
pub struct Issue {
    pub kind: IssueKind,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    pub related: Option<Label>,
}

impl Policy<'_> {
    /// Identity-like policies (identity, boundary, SCP, or a raw document without any
    /// `Principal`) are the ones whose statements must name resources and may not name
    /// principals.
    pub fn is_identity_like(&self) -> bool {
        match self.kind {
            PolicyKind::Identity | PolicyKind::PermissionsBoundary | PolicyKind::ServiceControl => {
                true
            }
            PolicyKind::Unknown => true,
            PolicyKind::Trust | PolicyKind::Resource { .. } => false,
        }
    }

    /// Policies that only filter what others grant and grant nothing themselves:
    /// permissions boundaries, service control policies, resource control policies and VPC
    /// endpoint policies. `*` on `*` there is AWS's default (`FullAWSAccess`, the endpoint's
    /// default policy), not a grant.
    pub fn only_filters(&self) -> bool {
        match &self.kind {
            PolicyKind::PermissionsBoundary | PolicyKind::ServiceControl => true,
            PolicyKind::Resource { resource_type } => {
                FILTER_CARRIERS.contains(&resource_type.as_str())
            }
            PolicyKind::Identity | PolicyKind::Trust | PolicyKind::Unknown => false,
        }
    }

    /// Whether the policy's `Version` makes `${...}` policy variables work.
    pub fn supports_variables(&self) -> bool {
        self.version.and_then(Value::as_str) == Some("2012-10-17")
    }
}

/// Resource types whose policy filters requests rather than granting: VPC endpoints, and
/// organization policies, which are resource control policies when they reach the resource
/// kind (service control policies have a kind of their own).
const FILTER_CARRIERS: &[&str] = &[
    "aws_vpc_endpoint",
    "aws_vpc_endpoint_policy",
    "AWS::EC2::VPCEndpoint",
    "aws_organizations_policy",
    "AWS::Organizations::Policy",
];

impl<'v> Statement<'v> {
    /// A condition that can never hold (a date already past), when there is one: such a
    /// statement allows or denies nothing.
    pub fn never_applies(&self) -> Option<dates::DeadCondition<'_, 'v>> {
        dates::never_holds(&self.conditions)
    }
}

impl Statement<'_> {
    pub fn is_allow(&self) -> bool {
        self.effect == Some(Effect::Allow)
    }

    /// The `Action` entries, or nothing for `NotAction` or a missing element.
    pub fn actions(&self) -> &[&Value] {
        match &self.action {
            Some(element) if !element.negated => &element.items,
            _ => &[],
        }
    }

    pub fn resources(&self) -> &[&Value] {
        match &self.resource {
            Some(element) if !element.negated => &element.items,
            _ => &[],
        }
    }
}
