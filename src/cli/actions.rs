//! `iamlint actions`: what an action pattern grants, from the embedded catalog.

use crate::catalog::{ActionInfo, Catalog};
use serde_json::json;
use std::fmt::Write;

/// The expansion of each pattern, or why it expands to nothing.
pub(super) struct Expansion {
    pub pattern: String,
    pub actions: Vec<ActionInfo>,
    /// Set when nothing matched: a retirement note or did-you-mean suggestions.
    pub explanation: Option<String>,
}

pub(super) fn expand(patterns: &[String]) -> Vec<Expansion> {
    let catalog = Catalog::get();
    patterns
        .iter()
        .map(|pattern| {
            let actions: Vec<ActionInfo> = catalog
                .expand(pattern)
                .iter()
                .map(|id| catalog.action_info(id))
                .collect();
            let explanation = actions
                .is_empty()
                .then(|| catalog.explain_no_match(pattern));
            Expansion {
                pattern: pattern.clone(),
                actions,
                explanation,
            }
        })
        .collect()
}

pub(super) fn to_text(expansions: &[Expansion]) -> String {
    let mut out = String::new();
    for expansion in expansions {
        if let Some(explanation) = &expansion.explanation {
            writeln!(out, "{}: {explanation}\n", expansion.pattern).ok();
            continue;
        }
        writeln!(
            out,
            "{}: {} action{}\n",
            expansion.pattern,
            expansion.actions.len(),
            if expansion.actions.len() == 1 {
                ""
            } else {
                "s"
            }
        )
        .ok();
        for info in &expansion.actions {
            writeln!(out, "{}  [{}]", info.qualified_name(), info.access).ok();
            if info.resource_types.is_empty() {
                writeln!(out, "  resources: only \"*\"").ok();
            }
            for resource in &info.resource_types {
                writeln!(
                    out,
                    "  resource {}{}: {}",
                    resource.resource_type.name(),
                    if resource.required { " (required)" } else { "" },
                    resource.resource_type.arn_formats().join(", ")
                )
                .ok();
            }
            let mut keys: Vec<&str> = info.condition_keys.clone();
            for resource in &info.resource_types {
                keys.extend(resource.condition_keys.iter().copied());
            }
            keys.sort_unstable();
            keys.dedup();
            if !keys.is_empty() {
                writeln!(out, "  condition keys: {}", keys.join(", ")).ok();
            }
            out.push('\n');
        }
    }
    out
}

pub(super) fn to_json(expansions: &[Expansion]) -> serde_json::Value {
    let catalog = Catalog::get();
    json!({
        "catalog": {"source": catalog.source_version(), "date": catalog.data_date()},
        "patterns": expansions.iter().map(|expansion| json!({
            "pattern": expansion.pattern,
            "explanation": expansion.explanation,
            "actions": expansion.actions.iter().map(|info| json!({
                "action": info.qualified_name(),
                "access_levels": info.access.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
                "condition_keys": info.condition_keys,
                "resource_types": info.resource_types.iter().map(|resource| json!({
                    "name": resource.resource_type.name(),
                    "required": resource.required,
                    "arn_formats": resource.resource_type.arn_formats(),
                    "condition_keys": resource.condition_keys,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
