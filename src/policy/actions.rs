//! A statement's `Action`/`NotAction` entries resolved against the action catalog.

use super::{Statement, effective};
use crate::base::value::Value;
use crate::catalog::{ActionSet, Catalog, has_wildcard};

/// The set of no action, for entries that name none.
static NO_ACTIONS: ActionSet = ActionSet::new();

/// One entry of `Action` or `NotAction`.
#[derive(Debug)]
pub struct ActionEntry<'v> {
    pub value: &'v Value,
    /// The pattern when it is a fully known, well-formed string.
    pub pattern: Option<&'v str>,
    /// What the pattern grants today; empty for unknown values, patterns that are not well
    /// formed and names the catalog lacks.
    pub actions: &'v ActionSet,
    /// Written by a tool, not by the user: a SAM policy template's actions all point at the
    /// template's name, as its statement does. Rules about how names are spelled skip these.
    pub generated: bool,
}

impl ActionEntry<'_> {
    pub fn has_wildcard(&self) -> bool {
        self.pattern.is_some_and(has_wildcard)
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
    /// The entries of `statement`, read from its expansion ([`effective::expanded`]), so a
    /// statement is expanded once for the per-document rules and the effective view.
    pub fn of(statement: &'v Statement<'v>) -> StatementActions<'v> {
        let Some(element) = &statement.action else {
            return StatementActions::default();
        };
        let expanded = effective::expanded(Catalog::get(), statement);
        let mut expansions = expanded.entries.iter().peekable();
        let mut all_well_formed = true;
        let mut complete = !element.items.is_empty();
        let entries: Vec<ActionEntry<'v>> = element
            .items
            .iter()
            .enumerate()
            .map(|(index, &value)| {
                let expansion = expansions.next_if(|entry| entry.index == index);
                let (pattern, actions) = match (value.as_str(), expansion) {
                    (Some(text), Some(entry)) if entry.well_formed => (Some(text), &*entry.actions),
                    (Some(_), Some(_)) => {
                        all_well_formed = false;
                        (None, &NO_ACTIONS)
                    }
                    _ => (None, &NO_ACTIONS),
                };
                complete &= !actions.is_empty();
                ActionEntry {
                    value,
                    pattern,
                    actions,
                    generated: value.span == statement.value.span,
                }
            })
            .collect();
        // The expansion's union is the same set when it holds every entry's: an `Action`
        // whose patterns are all well formed.
        let union = if all_well_formed && !element.negated {
            expanded.actions.clone()
        } else {
            let mut union = ActionSet::new();
            for entry in &entries {
                union.union_with(entry.actions);
            }
            union
        };
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
