//! The hand-maintained data files of `action_catalog/`: global condition keys, condition
//! operators, retired names, shared service prefixes and ARN service aliases.
//
// These files are small, so they are embedded as text and parsed on first use (microseconds);
// a unit test checks that every line parses, so a bad edit fails CI instead of vanishing.
// The two lists about ARNs are parsed apart from the others: every run that matches a
// resource reads them, while reading the condition-key lists (0.19 M instructions, a
// seventh of a run over one small policy) is needed only for a policy with conditions.

use std::sync::OnceLock;

use super::condition_types::{
    ConditionKeyType, GlobalConditionKey, KeyTypes, Operator, OperatorFamily,
};

const GLOBAL_KEYS: &str = include_str!("../../action_catalog/global_condition_keys.tsv");
const OPERATORS: &str = include_str!("../../action_catalog/condition_operators.tsv");
const RETIRED: &str = include_str!("../../action_catalog/retired.tsv");
const SHARED_PREFIXES: &str = include_str!("../../action_catalog/shared_prefixes.tsv");
const EXTRA_KEYS: &str = include_str!("../../action_catalog/extra_condition_keys.tsv");
const ALIASES: &str = include_str!("../../action_catalog/action_aliases.tsv");
const ARN_SERVICE_ALIASES: &str = include_str!("../../action_catalog/arn_service_aliases.tsv");

/// A service or action that has left the Service Authorization Reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retired {
    /// `codestar` or `s3:SomeAction`, as AWS spelled it.
    pub name: &'static str,
    /// Where it was last seen, and what replaced it when known.
    pub note: &'static str,
}

/// A condition key the reference does not list for the actions it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExtraKey {
    pub(crate) name: &'static str,
    pub(crate) types: KeyTypes,
    /// `service:Action` names.
    pub(crate) actions: Vec<&'static str>,
}

/// A service prefix that several reference pages share (see `shared_prefixes.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedPrefix {
    pub prefix: &'static str,
    pub services: &'static str,
    pub evidence: &'static str,
}

#[derive(Debug, Default)]
pub(crate) struct Curated {
    pub(crate) global_keys: Vec<GlobalConditionKey>,
    pub(crate) families: Vec<OperatorFamily>,
    pub(crate) operators: Vec<Operator>,
    pub(crate) extra_keys: Vec<ExtraKey>,
    /// (written name, actions that authorize it), from `action_aliases.tsv`.
    pub(crate) aliases: Vec<(&'static str, Vec<&'static str>)>,
    /// Lines that did not parse, as (file, line number); empty in a healthy build.
    pub(crate) errors: Vec<(&'static str, usize)>,
}

/// The lists about ARNs: `shared_prefixes.tsv` and `arn_service_aliases.tsv`.
#[derive(Debug, Default)]
pub(crate) struct ArnLists {
    pub(crate) shared_prefixes: Vec<SharedPrefix>,
    /// Pairs of ARN service names for the same resources.
    pub(crate) arn_service_aliases: Vec<(&'static str, &'static str)>,
    /// Lines that did not parse, as (file, line number); empty in a healthy build.
    pub(crate) errors: Vec<(&'static str, usize)>,
}

#[derive(Debug, Default)]
pub(crate) struct RetiredList {
    /// Sorted by lower-case name for binary search.
    pub(crate) services: Vec<Retired>,
    pub(crate) actions: Vec<Retired>,
    pub(crate) errors: Vec<usize>,
}

pub(crate) fn curated() -> &'static Curated {
    static CURATED: OnceLock<Curated> = OnceLock::new();
    CURATED.get_or_init(parse_curated)
}

pub(crate) fn arn_lists() -> &'static ArnLists {
    static ARN_LISTS: OnceLock<ArnLists> = OnceLock::new();
    ARN_LISTS.get_or_init(parse_arn_lists)
}

pub(crate) fn retired() -> &'static RetiredList {
    static RETIRED_LIST: OnceLock<RetiredList> = OnceLock::new();
    RETIRED_LIST.get_or_init(parse_retired)
}

/// Non-comment lines split on tabs, with their 1-based line numbers.
fn records(text: &'static str) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
}

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

fn key_types(list: &str, sep: char) -> Option<KeyTypes> {
    let mut types = KeyTypes::default();
    for name in list.split(sep) {
        types.insert(ConditionKeyType::from_name(name)?);
    }
    (!types.is_empty()).then_some(types)
}

fn parse_curated() -> Curated {
    let mut c = Curated::default();
    for (line, f) in records(GLOBAL_KEYS) {
        match f.as_slice() {
            [name, types, sensitive, reference] => match (key_types(types, ','), yes_no(sensitive))
            {
                (Some(types), Some(sensitive)) => c.global_keys.push(GlobalConditionKey {
                    name,
                    types,
                    sensitive,
                    reference,
                }),
                _ => c.errors.push(("global_condition_keys.tsv", line)),
            },
            _ => c.errors.push(("global_condition_keys.tsv", line)),
        }
    }
    for (line, f) in records(OPERATORS) {
        let ok = match f.as_slice() {
            ["family", name, types, reference] => {
                let all = *types == "*";
                let key_types = if all {
                    Some(KeyTypes::default())
                } else {
                    key_types(types, ' ')
                };
                key_types.map(|key_types| {
                    c.families.push(OperatorFamily {
                        name,
                        key_types,
                        applies_to_all: all,
                        reference,
                    })
                })
            }
            ["operator", name, family, negated, wildcards] => {
                let family = c.families.iter().position(|f| f.name == *family);
                match (family, yes_no(negated), yes_no(wildcards)) {
                    (Some(family), Some(negated), Some(wildcards)) => {
                        c.operators.push(Operator {
                            name,
                            family,
                            negated,
                            wildcards,
                        });
                        Some(())
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if ok.is_none() {
            c.errors.push(("condition_operators.tsv", line));
        }
    }
    for (line, f) in records(EXTRA_KEYS) {
        match (f.as_slice(), f.get(1).and_then(|t| key_types(t, ','))) {
            ([name, _, actions, _reference], Some(types)) => c.extra_keys.push(ExtraKey {
                name,
                types,
                actions: actions.split(' ').collect(),
            }),
            _ => c.errors.push(("extra_condition_keys.tsv", line)),
        }
    }
    for (line, f) in records(ALIASES) {
        match f.as_slice() {
            [written, actions, _reference] => {
                c.aliases.push((written, actions.split(' ').collect()))
            }
            _ => c.errors.push(("action_aliases.tsv", line)),
        }
    }
    c
}

fn parse_arn_lists() -> ArnLists {
    let mut lists = ArnLists::default();
    for (line, f) in records(ARN_SERVICE_ALIASES) {
        match f.as_slice() {
            [service, alias, _evidence] => lists.arn_service_aliases.push((service, alias)),
            _ => lists.errors.push(("arn_service_aliases.tsv", line)),
        }
    }
    for (line, f) in records(SHARED_PREFIXES) {
        match f.as_slice() {
            [prefix, services, evidence] => lists.shared_prefixes.push(SharedPrefix {
                prefix,
                services,
                evidence,
            }),
            _ => lists.errors.push(("shared_prefixes.tsv", line)),
        }
    }
    lists
}

fn parse_retired() -> RetiredList {
    let mut r = RetiredList::default();
    for (line, f) in records(RETIRED) {
        match f.as_slice() {
            ["service", name, note] => r.services.push(Retired { name, note }),
            ["action", name, note] if name.contains(':') => r.actions.push(Retired { name, note }),
            _ => r.errors.push(line),
        }
    }
    let by_name =
        |a: &Retired, b: &Retired| super::blob::cmp_ci(a.name.as_bytes(), b.name.as_bytes());
    r.services.sort_by(by_name);
    r.actions.sort_by(by_name);
    r
}

impl RetiredList {
    pub(crate) fn find(list: &[Retired], name: &str) -> Option<Retired> {
        list.binary_search_by(|r| super::blob::cmp_ci(r.name.as_bytes(), name.as_bytes()))
            .ok()
            .map(|i| list[i])
    }
}
