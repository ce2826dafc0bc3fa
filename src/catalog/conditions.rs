//! Condition keys (global, per service, templated) and condition operators.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::fmt;

pub use super::condition_types::{
    ConditionKeyType, GlobalConditionKey, KeyTypes, Operator, OperatorFamily,
};
use super::curated::{Curated, curated};
use super::format::{self, KEY_TEMPLATED};
use super::{ActionId, ActionSet, Catalog};

/// Where a condition key is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyScope {
    Global,
    /// Defined by the service with this prefix.
    Service(&'static str),
}

/// What the catalog knows about a condition key as written in a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionKeyInfo {
    /// The definition that matched, e.g. `aws:RequestTag/${TagKey}` for `aws:RequestTag/Owner`.
    pub name: &'static str,
    pub types: KeyTypes,
    pub scope: KeyScope,
}

/// What [`Catalog::condition_key`] finds for a key before it looks at the actions.
enum KeyLookup {
    Global(ConditionKeyInfo),
    /// Each service whose key table may define the key, with its definition if it has one.
    Services(Vec<(usize, Option<ConditionKeyInfo>)>),
}

/// How many keys [`KEY_LOOKUPS`] keeps: hostile input cannot grow it without limit.
const KEY_LOOKUP_LIMIT: usize = 10_000;

thread_local! {
    /// [`KeyLookup`]s by key as written, kept by this thread for the run: the same keys
    /// recur across a run's policies, and searching the service tables for one costs
    /// thousands of instructions.
    static KEY_LOOKUPS: RefCell<FxHashMap<Box<str>, KeyLookup>> = RefCell::new(FxHashMap::default());
}

/// An operator's family lives in the curated tables.
impl Operator {
    pub fn family(&self) -> OperatorFamily {
        curated()
            .families
            .get(self.family)
            .copied()
            .unwrap_or(OperatorFamily {
                name: "",
                key_types: KeyTypes::default(),
                applies_to_all: true,
                reference: "",
            })
    }

    /// Whether the operator can compare a key of type `t`.
    pub fn accepts(&self, t: ConditionKeyType) -> bool {
        self.family().accepts(t)
    }
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// A condition operator as written in a policy, e.g. `ForAnyValue:StringLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionOperator {
    pub qualifier: Option<SetQualifier>,
    pub operator: Operator,
    pub if_exists: bool,
}

/// The canonical spelling, e.g. `ForAnyValue:StringLikeIfExists`.
impl fmt::Display for ConditionOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            None => {}
        }
        f.write_str(self.operator.name)?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// Why an operator name is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OperatorError {
    /// A set prefix other than `ForAllValues:`/`ForAnyValue:`, as written.
    UnknownSetPrefix(String),
    /// The operator after any set prefix, as written.
    Unknown(String),
    NullIfExists,
}

impl Catalog {
    pub fn global_condition_keys(&self) -> &'static [GlobalConditionKey] {
        &curated().global_keys
    }

    pub fn operator_families(&self) -> &'static [OperatorFamily] {
        &curated().families
    }

    pub fn operators(&self) -> &'static [Operator] {
        &curated().operators
    }

    /// Parses an operator with its optional set qualifier and `IfExists` suffix, spelled
    /// exactly as AWS documents it; `Null` has no `IfExists` form.
    pub fn parse_condition_operator(&self, s: &str) -> Option<ConditionOperator> {
        let op = self.parse_operator(s).ok()?;
        (op.to_string() == s).then_some(op)
    }

    /// Parses an operator without regard to case (the reading iamlint's rules share), and
    /// says what is wrong with one that does not parse.
    pub fn parse_operator(&self, s: &str) -> Result<ConditionOperator, OperatorError> {
        let (qualifier, rest) = match s.split_once(':') {
            Some((prefix, rest)) => {
                let qualifier = if prefix.eq_ignore_ascii_case("ForAllValues") {
                    SetQualifier::ForAllValues
                } else if prefix.eq_ignore_ascii_case("ForAnyValue") {
                    SetQualifier::ForAnyValue
                } else {
                    return Err(OperatorError::UnknownSetPrefix(prefix.to_string()));
                };
                (Some(qualifier), rest)
            }
            None => (None, s),
        };
        let find = |name: &str| {
            curated()
                .operators
                .iter()
                .find(|o| o.name.eq_ignore_ascii_case(name))
                .copied()
        };
        if let Some(operator) = find(rest) {
            return Ok(ConditionOperator {
                qualifier,
                operator,
                if_exists: false,
            });
        }
        let operator = rest
            .len()
            .checked_sub("IfExists".len())
            .filter(|&cut| rest.is_char_boundary(cut))
            .filter(|&cut| rest[cut..].eq_ignore_ascii_case("IfExists"))
            .and_then(|cut| find(&rest[..cut]))
            .ok_or_else(|| OperatorError::Unknown(rest.to_string()))?;
        if operator.name == "Null" {
            return Err(OperatorError::NullIfExists);
        }
        Ok(ConditionOperator {
            qualifier,
            operator,
            if_exists: true,
        })
    }

    /// The definition of `key` (case-insensitive, templates such as `aws:RequestTag/${TagKey}`
    /// matching `aws:RequestTag/Owner`): a global key, else a key of a service that owns one
    /// of `actions`, else a key any service defines (so a misplaced key still has a type),
    /// else an extra key (`extra_condition_keys.tsv`) of one of `actions`.
    pub fn condition_key(&self, key: &str, actions: &ActionSet) -> Option<ConditionKeyInfo> {
        let found = KEY_LOOKUPS.with(|memo| {
            let mut memo = memo.borrow_mut();
            if let Some(lookup) = memo.get(key) {
                return self.pick(lookup, actions);
            }
            let lookup = self.key_lookup(key);
            let answer = self.pick(&lookup, actions);
            if memo.len() < KEY_LOOKUP_LIMIT && key.len() <= 128 {
                memo.insert(key.into(), lookup);
            }
            answer
        });
        found.or_else(|| self.find_extra_key(key, actions))
    }

    /// What the catalog defines for `key`, whatever the actions.
    fn key_lookup(&self, key: &str) -> KeyLookup {
        if let Some(g) = find_global(curated(), key) {
            return KeyLookup::Global(ConditionKeyInfo {
                name: g.name,
                types: g.types,
                scope: KeyScope::Global,
            });
        }
        KeyLookup::Services(
            self.key_services(key)
                .iter()
                .map(|&svc| {
                    let info = self
                        .find_service_key(svc, key)
                        .map(|k| self.key_info(svc, k));
                    (svc, info)
                })
                .collect(),
        )
    }

    /// The definition that applies to `actions`: the global one, else that of the first
    /// service of the actions that defines the key, else of the first service that does.
    fn pick(&self, lookup: &KeyLookup, actions: &ActionSet) -> Option<ConditionKeyInfo> {
        match lookup {
            KeyLookup::Global(info) => Some(*info),
            KeyLookup::Services(found) => {
                let defined = || {
                    found
                        .iter()
                        .filter_map(|(svc, info)| Some((*svc, (*info)?)))
                };
                defined()
                    .find(|&(svc, _)| actions.intersects_range(self.blob.svc_actions(svc)))
                    .or_else(|| defined().next())
                    .map(|(_, info)| info)
            }
        }
    }

    /// A key of `extra_condition_keys.tsv` that `key` names and that applies to `actions`.
    fn find_extra_key(&self, key: &str, actions: &ActionSet) -> Option<ConditionKeyInfo> {
        // The extra keys' actions, looked up once: this runs for every condition key.
        static IDS: std::sync::OnceLock<Vec<Vec<ActionId>>> = std::sync::OnceLock::new();
        let ids = IDS.get_or_init(|| {
            curated()
                .extra_keys
                .iter()
                .map(|extra| {
                    extra
                        .actions
                        .iter()
                        .filter_map(|a| self.action(a))
                        .collect()
                })
                .collect()
        });
        curated()
            .extra_keys
            .iter()
            .zip(ids)
            .find_map(|(extra, ids)| {
                let action = ids.iter().copied().find(|a| actions.contains(*a))?;
                template_match(extra.name, key).then(|| ConditionKeyInfo {
                    name: extra.name,
                    types: extra.types,
                    scope: KeyScope::Service(
                        self.blob
                            .service_prefix(self.blob.service_of_action(action.index())),
                    ),
                })
            })
    }

    /// The type to check operators against; see [`Catalog::condition_key`].
    pub fn condition_key_type(&self, key: &str, actions: &ActionSet) -> Option<ConditionKeyType> {
        self.condition_key(key, actions)?.types.primary()
    }

    /// Whether `key` may carry several values in one request: `Some(true)` for a multivalued
    /// key (typed `ArrayOf…`), `Some(false)` for a single-valued one, `None` when its type is
    /// not known. The `amr` claim of web identity federation (`cognito-identity.amazonaws.com:amr`)
    /// is multivalued although the reference types it `String`: AWS documents it with
    /// `ForAnyValue:StringLike`.
    pub fn is_multivalued_key(&self, key: &str, actions: &ActionSet) -> Option<bool> {
        let types = self.condition_key(key, actions)?.types;
        if key.len() > ":amr".len() && key[key.len() - ":amr".len()..].eq_ignore_ascii_case(":amr")
        {
            return Some(true);
        }
        if types.is_multivalued() {
            Some(true)
        } else if types.is_single_valued() {
            Some(false)
        } else {
            None
        }
    }

    /// Whether `key` applies to at least one of `actions`: it is global, or one of the actions
    /// lists it, directly or through one of its resource types.
    pub fn is_known_condition_key(&self, key: &str, actions: &ActionSet) -> bool {
        if find_global(curated(), key).is_some() || self.find_extra_key(key, actions).is_some() {
            return true;
        }
        let candidates = self.key_services(key).iter().copied();
        candidates
            .filter(|&svc| actions.intersects_range(self.blob.svc_actions(svc)))
            .any(|svc| {
                let keys = self.blob.svc_keys(svc);
                self.matching_service_keys(svc, key).any(|k| {
                    actions
                        .iter_range(self.blob.svc_actions(svc))
                        .any(|id| self.action_uses_key(svc, id.index(), k - keys.start))
                })
            })
    }

    /// Services whose key tables may define `key`: those with keys of the same prefix (the
    /// part before the first `:`), plus those whose key prefixes are themselves templated.
    fn key_services(&self, key: &str) -> &[usize] {
        let index = self.key_index.get_or_init(|| {
            let mut index = KeyIndex::default();
            for svc in 0..self.blob.n_services() {
                for k in self.blob.svc_keys(svc) {
                    let prefix = key_prefix(self.blob.key_name(k));
                    let list = if format::is_templated_key(prefix) {
                        &mut index.templated
                    } else {
                        index
                            .by_prefix
                            .entry(prefix.to_ascii_lowercase())
                            .or_default()
                    };
                    if list.last() != Some(&svc) {
                        list.push(svc);
                    }
                }
            }
            for list in index.by_prefix.values_mut() {
                for svc in &index.templated {
                    if !list.contains(svc) {
                        list.push(*svc);
                    }
                }
            }
            index
        });
        match index.by_prefix.get(&key_prefix(key).to_ascii_lowercase()) {
            Some(list) => list,
            None => &index.templated,
        }
    }

    fn key_info(&self, svc: usize, k: usize) -> ConditionKeyInfo {
        let mut r = self.blob.key(k);
        let ty = ConditionKeyType::from_code(r.byte());
        ConditionKeyInfo {
            name: r.str(),
            types: KeyTypes::single(ty),
            scope: KeyScope::Service(self.blob.service_prefix(svc)),
        }
    }

    /// Index of the key of service `svc` that `key` names: exact first, then templates.
    pub(crate) fn find_service_key(&self, svc: usize, key: &str) -> Option<usize> {
        self.matching_service_keys(svc, key).next()
    }

    /// Every key of service `svc` that `key` names (a service may define both
    /// `ssm:resourceTag/${TagKey}` and `ssm:resourceTag/tag-key`), exact match first.
    fn matching_service_keys<'a>(
        &'a self,
        svc: usize,
        key: &'a str,
    ) -> impl Iterator<Item = usize> + 'a {
        let blob = &self.blob;
        let range = blob.svc_keys(svc);
        let exact = blob.find_ci(range.clone(), key, |k| blob.key_name_bytes(k));
        let templates = range.filter(move |&k| {
            let mut r = blob.key(k);
            Some(k) != exact && r.byte() & KEY_TEMPLATED != 0 && template_match(r.str(), key)
        });
        exact.into_iter().chain(templates)
    }

    /// Whether action `id` of service `svc` lists the service-local key `local` for itself,
    /// for one of its resource types, or through a resource type's own keys.
    fn action_uses_key(&self, svc: usize, id: usize, local: usize) -> bool {
        let blob = &self.blob;
        let mut r = blob.action(id);
        r.skip_str();
        r.byte();
        let mut found = false;
        for _ in 0..r.count() {
            found |= r.varint() == local;
        }
        let n = r.count();
        r.skip_strs(n);
        let rtypes = blob.svc_rtypes(svc);
        for _ in 0..r.count() {
            let rt = r.varint();
            r.byte();
            for _ in 0..r.count() {
                found |= r.varint() == local;
            }
            let n = r.count();
            r.skip_strs(n);
            if !found {
                let mut t = blob.rtype(rtypes.start + rt);
                t.skip_str();
                let n = t.count();
                t.skip_strs(n);
                for _ in 0..t.count() {
                    found |= t.varint() == local;
                }
            }
        }
        found
    }
}

/// Which services define keys of each prefix, built on first use (about 0.1 ms).
#[derive(Debug, Default)]
pub(crate) struct KeyIndex {
    by_prefix: FxHashMap<String, Vec<usize>>,
    templated: Vec<usize>,
}

fn key_prefix(key: &str) -> &str {
    key.split_once(':').map_or("", |(p, _)| p)
}

pub(crate) fn find_global(c: &'static Curated, key: &str) -> Option<&'static GlobalConditionKey> {
    // Looked up for every condition by several rules: index the names once.
    struct Index {
        exact: FxHashMap<String, usize>,
        templated: Vec<(usize, Vec<&'static str>)>,
    }
    static INDEX: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| Index {
        exact: c
            .global_keys
            .iter()
            .enumerate()
            .rev()
            .map(|(i, g)| (g.name.to_ascii_lowercase(), i))
            .collect(),
        templated: c
            .global_keys
            .iter()
            .enumerate()
            .filter(|(_, g)| format::is_templated_key(g.name))
            .map(|(i, g)| (i, template_literals(g.name)))
            .collect(),
    });
    let exact = if key.bytes().any(|b| b.is_ascii_uppercase()) {
        index.exact.get(&key.to_ascii_lowercase())
    } else {
        index.exact.get(key)
    };
    exact
        .or_else(|| {
            index
                .templated
                .iter()
                .find(|(_, literals)| literals_match(literals, key))
                .map(|(i, _)| i)
        })
        .and_then(|&i| c.global_keys.get(i))
}

/// Whether `key` is an instance of `template`, ignoring ASCII case. Each `${...}` or `<...>`
/// placeholder (or a trailing `/tag-key`) stands for one or more characters of any kind (tag
/// keys may contain `/`).
pub(crate) fn template_match(template: &str, key: &str) -> bool {
    // Every match starts with the text before the first placeholder: looking at it first
    // spares splitting the templates a key is tried against, which most keys fail here.
    let mut fixed = template.find(['$', '<']).unwrap_or(template.len());
    if template.ends_with("/tag-key") {
        fixed = fixed.min(template.len() - "tag-key".len());
    }
    let starts_alike = key
        .as_bytes()
        .get(..fixed)
        .is_some_and(|start| start.eq_ignore_ascii_case(&template.as_bytes()[..fixed]));
    starts_alike && literals_match(&template_literals(template), key)
}

/// [`template_match`] with the template already split into its fixed parts.
fn literals_match(literals: &[&str], key: &str) -> bool {
    if literals.len() == 1 {
        return literals[0].eq_ignore_ascii_case(key);
    }
    let (first, last) = (literals[0], literals[literals.len() - 1]);
    let key_b = key.as_bytes();
    if key_b.len() < first.len() + last.len() + literals.len() - 1
        || !key_b[..first.len()].eq_ignore_ascii_case(first.as_bytes())
        || !key_b[key_b.len() - last.len()..].eq_ignore_ascii_case(last.as_bytes())
    {
        return false;
    }
    // Each middle literal goes at its earliest position after at least one placeholder char;
    // leftmost placement leaves the most room for the rest, so it finds a match if one exists.
    let mut pos = first.len();
    let end = key_b.len() - last.len();
    for lit in &literals[1..literals.len() - 1] {
        let from = pos + 1;
        let found = (from..=end.saturating_sub(lit.len()))
            .find(|&i| key_b[i..i + lit.len()].eq_ignore_ascii_case(lit.as_bytes()));
        match found {
            Some(i) => pos = i + lit.len(),
            None => return false,
        }
    }
    pos < end
}

/// The fixed parts of a template, one more than it has placeholders.
fn template_literals(template: &str) -> Vec<&str> {
    // `secretsmanager:ResourceTag/tag-key` writes the placeholder without brackets.
    let (mut rest, bare_tail) = match template.strip_suffix("tag-key") {
        Some(head) if head.ends_with('/') => (head, true),
        _ => (template, false),
    };
    let mut literals = Vec::new();
    while let Some(open) = [rest.find("${"), rest.find('<')]
        .into_iter()
        .flatten()
        .min()
    {
        let close_char = if rest[open..].starts_with("${") {
            '}'
        } else {
            '>'
        };
        let Some(close) = rest[open..].find(close_char) else {
            break;
        };
        literals.push(&rest[..open]);
        rest = &rest[open + close + 1..];
    }
    literals.push(rest);
    if bare_tail {
        literals.push("");
    }
    literals
}
