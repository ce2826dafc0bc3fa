//! A statement's `Action`/`NotAction` entries resolved against the action catalog.

use super::{Statement, well_formed_action};
use crate::base::value::Value;
use crate::catalog::{ActionSet, Catalog};
use std::cell::RefCell;
use std::collections::HashMap;

/// Action names (not wildcards) resolved by this thread, kept because the same actions recur
/// across a repository's policies (a binary search over service and action names costs more
/// than a hash lookup). Each answer is one word of bits at most; the count is bounded, so
/// hostile input cannot grow it without limit. Wildcards expand to prefix ranges, cheaply.
const EXPANSION_MEMO_LIMIT: usize = 50_000;

thread_local! {
    static EXPANSIONS: RefCell<HashMap<String, Option<ActionSet>>> = RefCell::new(HashMap::new());
}

/// What `pattern` grants, or `None` when it is not a well-formed action pattern.
fn expand(catalog: &Catalog, pattern: &str) -> Option<ActionSet> {
    EXPANSIONS.with(|memo| {
        if let Some(set) = memo.borrow().get(pattern) {
            return set.clone();
        }
        let set = well_formed_action(pattern).then(|| catalog.expand(pattern));
        let mut memo = memo.borrow_mut();
        if memo.len() < EXPANSION_MEMO_LIMIT
            && pattern.len() <= 128
            && !pattern.contains(['*', '?'])
        {
            memo.insert(pattern.to_string(), set.clone());
        }
        set
    })
}

/// One entry of `Action` or `NotAction`.
#[derive(Debug)]
pub struct ActionEntry<'v> {
    pub value: &'v Value,
    /// The pattern when it is a fully known, well-formed string.
    pub pattern: Option<&'v str>,
    /// What the pattern grants today; empty for unknown values and names the catalog lacks.
    pub actions: ActionSet,
    /// Written by a tool, not by the user: a SAM policy template's actions all point at the
    /// template's name, as its statement does. Rules about how names are spelled skip these.
    pub generated: bool,
}

impl ActionEntry<'_> {
    pub fn has_wildcard(&self) -> bool {
        self.pattern.is_some_and(|p| p.contains(['*', '?']))
    }
}

/// The entries of a statement's `Action` or `NotAction`, each expanded once.
#[derive(Debug, Default)]
pub struct StatementActions<'v> {
    /// True for `NotAction`.
    pub negated: bool,
    pub entries: Vec<ActionEntry<'v>>,
    /// Every action the entries name.
    pub union: ActionSet,
    /// Every entry is a known pattern that names at least one action, so the union is exactly
    /// what the element says (rules that reason about "all the statement's actions" need this).
    pub complete: bool,
}

impl<'v> StatementActions<'v> {
    pub fn of(statement: &Statement<'v>) -> StatementActions<'v> {
        let Some(element) = &statement.action else {
            return StatementActions::default();
        };
        let catalog = Catalog::get();
        let mut union = ActionSet::new();
        let mut complete = !element.items.is_empty();
        let entries = element
            .items
            .iter()
            .map(|&value| {
                let (pattern, actions) =
                    match value.as_str().map(|text| (text, expand(catalog, text))) {
                        Some((text, Some(actions))) => (Some(text), actions),
                        _ => (None, ActionSet::new()),
                    };
                complete &= !actions.is_empty();
                union.union_with(&actions);
                ActionEntry {
                    value,
                    pattern,
                    actions,
                    generated: value.span == statement.value.span,
                }
            })
            .collect();
        StatementActions {
            negated: element.negated,
            entries,
            union,
            complete,
        }
    }

    /// The actions of an `Action` element whose every entry is known; `None` for `NotAction`,
    /// a missing element, or an entry that is unknown or names nothing.
    pub fn exact(&self) -> Option<&ActionSet> {
        (!self.negated && self.complete).then_some(&self.union)
    }
}
