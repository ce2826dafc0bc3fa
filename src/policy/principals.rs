//! The principals a trust or resource policy statement names, typed, for the trust and
//! resource-policy rules.

use super::effective::{ConditionClass, Guards};
use super::{Policy, Statement};
use crate::base::finding::Confidence;
use crate::base::value::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalType {
    /// `"Principal": "*"`.
    Everyone,
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

/// One principal identifier of a statement.
#[derive(Clone, Copy, Debug)]
pub struct PrincipalId<'v> {
    pub kind: PrincipalType,
    pub value: &'v Value,
}

impl<'v> PrincipalId<'v> {
    /// `"*"` itself, or `{"AWS": "*"}`: anyone with AWS credentials.
    pub fn is_anyone(&self) -> bool {
        matches!(self.kind, PrincipalType::Everyone)
            || (self.kind == PrincipalType::Aws && self.value.as_str() == Some("*"))
    }

    /// The text with deploy-time holes written as `${}`, for pattern tests.
    pub fn text(&self) -> Option<String> {
        self.value.template_text()
    }

    /// The literal 12-digit account an `AWS` principal names (`123456789012`,
    /// `arn:aws:iam::123456789012:role/x`), when written without holes.
    pub fn literal_account(&self) -> Option<&'v str> {
        if self.kind != PrincipalType::Aws {
            return None;
        }
        let text = self.value.as_str()?;
        let account = if is_account(text) {
            text
        } else {
            text.strip_prefix("arn:")?.split(':').nth(3)?
        };
        is_account(account).then_some(account)
    }

    /// `arn:aws:iam::ACCOUNT:root` or a bare account id: every principal of the account.
    pub fn is_account_root(&self) -> bool {
        if self.kind != PrincipalType::Aws {
            return false;
        }
        self.text()
            .is_some_and(|t| is_account(&t) || (t.starts_with("arn:") && t.ends_with(":root")))
    }
}

fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The principals of a statement's `Principal` (not `NotPrincipal`).
pub(crate) fn principals<'v>(statement: &Statement<'v>) -> Vec<PrincipalId<'v>> {
    let Some(element) = &statement.principal else {
        return Vec::new();
    };
    if element.negated {
        return Vec::new();
    }
    let value = element.value;
    if value.as_str() == Some("*") {
        return vec![PrincipalId {
            kind: PrincipalType::Everyone,
            value,
        }];
    }
    let mut out = Vec::new();
    for member in value.as_object().unwrap_or_default() {
        let kind = match member.key.as_str() {
            "AWS" => PrincipalType::Aws,
            "Service" => PrincipalType::Service,
            "Federated" => PrincipalType::Federated,
            "CanonicalUser" => PrincipalType::CanonicalUser,
            _ => continue,
        };
        for item in member.value.one_or_many() {
            out.push(PrincipalId { kind, value: item });
        }
    }
    out
}

/// Each principal of `statements` with its statement, in the order they are written.
pub(crate) fn each_principal<'s, 'v: 's>(
    statements: impl Iterator<Item = &'s Statement<'v>>,
) -> impl Iterator<Item = (&'s Statement<'v>, PrincipalId<'v>)> {
    statements.flat_map(|statement| {
        principals(statement)
            .into_iter()
            .map(move |principal| (statement, principal))
    })
}

/// Whether a statement's conditions, or those of a `Deny` of `policy` that covers it
/// (`Deny` unless `aws:SourceVpce`, the private API and bucket patterns), pin who may use it
/// (organisation, account, source, external id...); `None` when a condition may or may not.
pub(crate) fn pinned(policy: &Policy<'_>, statement: &Statement<'_>) -> Option<bool> {
    let guards = Guards::with_denies(policy, statement);
    if guards.has(ConditionClass::SourcePin) || guards.has(ConditionClass::PrincipalTag) {
        return Some(true);
    }
    if guards.has(ConditionClass::Other) || guards.has(ConditionClass::ResourcePin) {
        return None;
    }
    Some(false)
}

/// The confidence of a finding about who may use `statement`: none when its conditions pin the
/// caller, low when a condition may or may not.
pub(crate) fn unpinned_confidence(
    policy: &Policy<'_>,
    statement: &Statement<'_>,
) -> Option<Confidence> {
    match pinned(policy, statement) {
        Some(true) => None,
        Some(false) => Some(Confidence::High),
        None => Some(Confidence::Low),
    }
}
