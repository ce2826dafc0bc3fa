//! The sensitive-action lists of `rules/data/sensitive_actions.json`, and the search the
//! access-level security rules share: which action entries allow a kind of action on every
//! resource, without a condition that limits them. It is also the one place that says which
//! actions each security rule reports, so that one action on one statement is reported by
//! the most specific rule only ([`claimed`]).

use super::Policy;
use super::effective::{Effective, Reach, grants_to_holder};
use crate::base::finding::Confidence;
use crate::base::rule_id::RuleId;
use crate::base::source::Span;
use crate::catalog::{AccessLevel, ActionId, ActionSet, Catalog, NamedAction, has_wildcard};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

// The groups of `rules/data/sensitive_actions.json`, compiled by `build.rs`: the action names
// of `CREDENTIALS_EXPOSURE`, `DATA_EXFILTRATION` and `RESOURCE_EXPOSURE` with their catalog
// ids, and the service prefixes of `IDENTITY_SERVICES`.
include!(concat!(env!("OUT_DIR"), "/sensitive_actions.rs"));

/// One list of the data file, resolved against the catalog.
#[derive(Debug, Default)]
pub(crate) struct Lists {
    pub credentials_exposure: ActionSet,
    pub data_exfiltration: ActionSet,
    pub resource_exposure: ActionSet,
    /// Service prefixes whose permissions-management actions manage identities.
    pub identity_services: &'static [&'static str],
    /// Names in the data file that the catalog does not know (a unit test keeps it empty).
    pub unknown: Vec<String>,
}

pub(crate) fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let mut lists = Lists::default();
        let mut resolve = |names: &[NamedAction]| -> ActionSet {
            let mut set = ActionSet::new();
            for &(name, id) in names {
                match id {
                    Some(id) => set.insert(id),
                    None => lists.unknown.push(name.to_string()),
                }
            }
            set
        };
        lists.credentials_exposure = resolve(CREDENTIALS_EXPOSURE);
        lists.data_exfiltration = resolve(DATA_EXFILTRATION);
        lists.resource_exposure = resolve(RESOURCE_EXPOSURE);
        lists.identity_services = IDENTITY_SERVICES;
        lists
    })
}

impl Lists {
    /// Permissions-management actions of the identity services, less the credential ones.
    pub(crate) fn is_permissions_management(&self, id: ActionId) -> bool {
        let catalog = Catalog::get();
        catalog
            .access_levels(id)
            .contains(AccessLevel::PermissionsManagement)
            && !self.credentials_exposure.contains(id)
            && !self.resource_exposure.contains(id)
            && self.is_identity_service(id)
    }

    /// The resource-exposure list, plus permissions-management actions of other services
    /// (their permissions management is the resource's own policy or sharing).
    pub(crate) fn is_resource_exposure(&self, id: ActionId) -> bool {
        self.resource_exposure.contains(id)
            || (Catalog::get()
                .access_levels(id)
                .contains(AccessLevel::PermissionsManagement)
                && !self.credentials_exposure.contains(id)
                && !self.is_identity_service(id))
    }

    fn is_identity_service(&self, id: ActionId) -> bool {
        let prefix = Catalog::get().service_prefix(id);
        self.identity_services.contains(&prefix)
    }
}

/// An action entry that allows some selected actions on every resource.
#[derive(Debug)]
pub struct BroadEntry {
    /// The statement holding the entry.
    pub statement: Span,
    pub action_span: Span,
    /// The entry as written (`NotAction` for that form).
    pub action_text: String,
    pub resource_span: Span,
    pub actions: Vec<ActionId>,
    pub confidence: Confidence,
}

/// The access-level rules that report [`broad_entries`], each with the actions it selects.
/// The lists do not overlap, so an action is reported by one of them at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    CredentialsExposure,
    DataExfiltration,
    PermissionsManagement,
    ResourceExposure,
    WriteWithoutConstraints,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::CredentialsExposure,
        Kind::DataExfiltration,
        Kind::PermissionsManagement,
        Kind::ResourceExposure,
        Kind::WriteWithoutConstraints,
    ];

    /// The id of the rule that reports this kind.
    pub fn rule(self) -> RuleId {
        match self {
            Kind::CredentialsExposure => RuleId::CredentialsExposure,
            Kind::DataExfiltration => RuleId::DataExfiltration,
            Kind::PermissionsManagement => RuleId::PermissionsManagement,
            Kind::ResourceExposure => RuleId::ResourceExposure,
            Kind::WriteWithoutConstraints => RuleId::WriteWithoutConstraints,
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }

    fn decide(self, id: ActionId) -> bool {
        let l = lists();
        match self {
            Kind::CredentialsExposure => l.credentials_exposure.contains(id),
            Kind::DataExfiltration => l.data_exfiltration.contains(id),
            Kind::PermissionsManagement => l.is_permissions_management(id),
            Kind::ResourceExposure => l.is_resource_exposure(id),
            Kind::WriteWithoutConstraints => is_plain_write(id),
        }
    }
}

/// Marks a slot of [`kinds_of`]'s table as decided (an action of no kind has only this bit).
const DECIDED: u8 = 0x80;

/// The kinds that select `id`, one bit each ([`Kind::bit`]), decided on first use and kept
/// for the run: every statement that expands to an action asks again.
fn kinds_of(id: ActionId) -> u8 {
    static KINDS: OnceLock<Box<[AtomicU8]>> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        (0..Catalog::get().action_count())
            .map(|_| AtomicU8::new(0))
            .collect()
    });
    let Some(slot) = kinds.get(id.index()) else {
        return 0;
    };
    let known = slot.load(Ordering::Relaxed);
    if known & DECIDED != 0 {
        return known;
    }
    let decided = Kind::ALL
        .into_iter()
        .filter(|kind| kind.decide(id))
        .fold(DECIDED, |bits, kind| bits | kind.bit());
    // Another thread may decide the same action at the same time; both get the same bits.
    slot.store(decided, Ordering::Relaxed);
    decided
}

/// Write actions no more specific rule reports: the sensitive lists and permissions
/// management have their own rules, and `passrole-unscoped` owns `iam:PassRole`.
fn is_plain_write(id: ActionId) -> bool {
    let catalog = Catalog::get();
    if catalog.pass_role() == Some(id) {
        return false;
    }
    let levels = catalog.access_levels(id);
    let l = lists();
    levels.contains(AccessLevel::Write)
        && !levels.contains(AccessLevel::PermissionsManagement)
        && !l.credentials_exposure.contains(id)
        && !l.resource_exposure.contains(id)
}

// Defined beside the test of administrator access, which needs it.
pub(crate) use super::effective::is_every_action;

/// An entry naming every action of a service (`s3:*`) or of several services (`*:Get*`),
/// which `wildcard-action` reports; `*` itself is [`is_every_action`].
pub(crate) fn is_wildcard_entry(text: &str) -> bool {
    let Some((service, action)) = text.split_once(':') else {
        return false;
    };
    let service_wide = action.chars().all(|c| c == '*');
    let cross_service = has_wildcard(service);
    (service_wide || cross_service) && !(service == "*" && service_wide)
}

/// Entries of `policy`'s `Allow` statements that allow actions of each [`Kind`] on every
/// resource (`"*"`, a type-wide wildcard, `NotResource`), indexed by `Kind as usize`.
/// Statements whose conditions limit them are skipped, and actions that only accept `"*"`
/// are left out (there is nothing narrower to write). Entries that already say "everything"
/// are left to the rule that reports them, so one fix is not reported five times: `*` to
/// `admin-access`, `s3:*` to `wildcard-action`, `NotAction` to `allow-with-not-action`.
/// All kinds are found in one pass: `*` expands to 22,000 actions, each classified once.
pub(crate) fn broad_entries(
    policy: &Policy<'_>,
    effective: &Effective<'_, '_>,
) -> [Vec<BroadEntry>; Kind::ALL.len()] {
    let mut out: [Vec<BroadEntry>; Kind::ALL.len()] = Default::default();
    if !grants_to_holder(policy) {
        return out;
    }
    let catalog = Catalog::get();
    for grant in &effective.grants {
        if grant.is_not_action() {
            continue;
        }
        let Some(confidence) = grant.guards.confidence() else {
            continue;
        };
        let Some((max_reach, _)) = grant.max_reach() else {
            continue;
        };
        if !max_reach.is_broad() {
            continue;
        }
        // Actions a conditional `Deny` limits (unless `aws:SourceVpce`...) are not broad.
        let allowed = grant.unlimited_actions();
        for (set, value) in grant.entries() {
            let text = value.as_str().unwrap_or_default();
            if is_wildcard_entry(text) {
                continue;
            }
            let mut found: [(Vec<ActionId>, Option<Span>); Kind::ALL.len()] = Default::default();
            // Tested one by one rather than intersected: a set each time, for a literal entry's
            // one action.
            for id in set.iter().filter(|&id| allowed.contains(id)) {
                let mut kinds = kinds_of(id) & !DECIDED;
                // Most actions a wildcard grants are of no kind (reads and lists): the
                // catalog is not read for them.
                if kinds == 0 {
                    continue;
                }
                // A plain write granted on `"*"` by design (`cloudwatch:PutMetricData`) is
                // no finding; a sensitive one still is (`sts:GetFederationToken`).
                if catalog.takes_star_by_design(id) {
                    kinds &= !Kind::WriteWithoutConstraints.bit();
                }
                if kinds == 0 || catalog.accepts_only_wildcard_resource(id) {
                    continue;
                }
                let Some((reach, resource_span)) = grant.reach_for(id) else {
                    continue;
                };
                // `*` on a narrower wildcard (`arn:aws:s3:::*`) is not `admin-access`'s.
                if !reach.is_broad() || (reach == Reach::Everything && is_every_action(text)) {
                    continue;
                }
                // `ec2:RunInstances` on images and subnets is not broad while the instance
                // itself is tag-gated in another statement.
                if !effective.broad_on_every_required_type(id) {
                    continue;
                }
                for kind in Kind::ALL {
                    if kinds & kind.bit() != 0 {
                        let (actions, resource) = &mut found[kind as usize];
                        resource.get_or_insert(resource_span);
                        actions.push(id);
                    }
                }
            }
            for (kind, (actions, resource)) in found.into_iter().enumerate() {
                if let Some(resource_span) = resource {
                    out[kind].push(BroadEntry {
                        statement: grant.statement.value.span,
                        action_span: value.span,
                        action_text: text.to_string(),
                        resource_span,
                        actions,
                        confidence,
                    });
                }
            }
        }
    }
    out
}

/// A service-wide or cross-service wildcard entry allowed on every resource.
#[derive(Debug)]
pub struct WildcardEntry {
    pub statement: Span,
    pub action_span: Span,
    pub action_text: String,
    /// What the entry allows, after `Deny`.
    pub allowed: ActionSet,
    pub resource_span: Span,
    pub confidence: Confidence,
}

/// The entries `wildcard-action` reports: [`is_wildcard_entry`] ones of `Allow` statements
/// whose resources reach every resource of the service, with no condition that limits them.
pub(crate) fn wildcard_entries(
    policy: &Policy<'_>,
    effective: &Effective<'_, '_>,
) -> Vec<WildcardEntry> {
    if !grants_to_holder(policy) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for grant in &effective.grants {
        let Some(confidence) = grant.guards.confidence() else {
            continue;
        };
        let unlimited = grant.unlimited_actions();
        for (set, value) in grant.entries() {
            let Some(text) = value.as_str().filter(|t| is_wildcard_entry(t)) else {
                continue;
            };
            let allowed = set.intersection(&unlimited);
            let Some((reach, resource_span)) = allowed
                .iter()
                .filter_map(|id| grant.reach_for(id))
                .max_by_key(|(reach, _)| *reach)
            else {
                continue;
            };
            if reach.is_broad() {
                out.push(WildcardEntry {
                    statement: grant.statement.value.span,
                    action_span: value.span,
                    action_text: text.to_string(),
                    allowed,
                    resource_span,
                    confidence,
                });
            }
        }
    }
    out
}

impl BroadEntry {
    /// "`s3:*` allows reading data on every resource: `s3:GetObject` and 2 more"; the list is
    /// left out when the entry names the one action itself.
    pub fn message(&self, what: &str) -> String {
        let head = format!("`{}` allows {what} on every resource", self.action_text);
        match self.actions.as_slice() {
            [one]
                if Catalog::get()
                    .qualified_name(*one)
                    .eq_ignore_ascii_case(&self.action_text) =>
            {
                head
            }
            actions => format!("{head}: {}", name_list(actions, 3)),
        }
    }
}

/// `` `a`, `b`, `c` and 4 more ``: a short list of action names for a message.
pub(crate) fn name_list(actions: &[ActionId], shown: usize) -> String {
    let catalog = Catalog::get();
    let mut names: Vec<String> = actions
        .iter()
        .take(shown)
        .map(|id| format!("`{}`", catalog.qualified_name(*id)))
        .collect();
    if actions.len() > shown {
        names.push(format!("{} more", actions.len() - shown));
        let last = names.pop().unwrap_or_default();
        return format!("{} and {last}", names.join(", "));
    }
    match names.len() {
        0 | 1 => names.concat(),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} and {last}", names.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_action_is_in_the_catalog() {
        assert!(lists().unknown.is_empty(), "unknown: {:?}", lists().unknown);
        assert!(lists().credentials_exposure.len() > 10);
    }

    #[test]
    fn the_ids_written_at_build_time_are_the_catalogs() {
        let catalog = Catalog::get();
        for (name, id) in [CREDENTIALS_EXPOSURE, DATA_EXFILTRATION, RESOURCE_EXPOSURE].concat() {
            assert_eq!(id, catalog.action(name), "{name}");
        }
    }

    #[test]
    fn access_levels_split_the_lists() {
        let catalog = Catalog::get();
        let l = lists();
        let id = |n: &str| catalog.action(n).unwrap();
        assert!(l.is_permissions_management(id("iam:AttachRolePolicy")));
        assert!(!l.is_permissions_management(id("iam:CreateAccessKey")));
        assert!(!l.is_permissions_management(id("s3:PutBucketPolicy")));
        assert!(l.is_resource_exposure(id("s3:PutBucketPolicy")));
        assert!(!l.is_resource_exposure(id("iam:AttachRolePolicy")));
    }
}
