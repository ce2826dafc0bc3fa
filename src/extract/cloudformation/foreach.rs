//! `Fn::ForEach` loops of the `AWS::LanguageExtensions` transform, expanded before reading.
//!
//! Loops are expanded in `Resources` and in resource properties, loops inside loops too.
//!
//! A loop over a literal list makes one copy of its body per item, with `${Id}` and `&{Id}`
//! replaced in keys and strings and `!Ref Id` replaced by the item. A loop over a parameter
//! (`!Ref Names`) makes one copy with the identifier left as written, so its policies are
//! still checked once. Copies point at the loop body in the file.

use super::tree::{Call, Entry, Node, NodeKind};
use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;

/// Nodes that expansion may create in one file: loops multiply, nested loops multiply again.
const MAX_NODES: usize = 200_000;

pub(super) fn expand(root: &mut Node, diagnostics: &mut Vec<Problem>) {
    let mut budget = Budget {
        left: MAX_NODES,
        reported: false,
    };
    if let NodeKind::Map(entries) = &mut root.kind
        && let Some(resources) = entries.iter_mut().find(|e| e.key == "Resources")
    {
        expand_node(&mut resources.value, &mut budget, diagnostics);
    }
}

/// Loops inside loops expanded: CloudFormation allows five levels.
const MAX_NESTING: usize = 8;

fn is_loop(entry: &Entry) -> bool {
    entry.key.starts_with("Fn::ForEach::")
}

struct Budget {
    left: usize,
    reported: bool,
}

fn expand_node(node: &mut Node, budget: &mut Budget, diagnostics: &mut Vec<Problem>) {
    match &mut node.kind {
        NodeKind::Map(entries) => {
            // A loop's body may hold another loop (CloudFormation allows nesting): its copies
            // sit among the entries of this map, so expand again until none is left.
            let mut rounds = 0;
            while let Some(at) = entries.iter().find(|e| is_loop(e)).map(|e| e.key_span) {
                if rounds == MAX_NESTING {
                    diagnostics.push(Problem::new(
                        RuleId::LimitExceeded,
                        at,
                        format!(
                            "`Fn::ForEach` loops nest more than {MAX_NESTING} deep; the inner loops are not checked"
                        ),
                    ));
                    break;
                }
                rounds += 1;
                let mut expanded = Vec::with_capacity(entries.len());
                let mut changed = false;
                for entry in std::mem::take(entries) {
                    if is_loop(&entry) {
                        let written_at = entry.key_span;
                        let copies = instantiate(entry, budget, diagnostics);
                        // A loop not written as a loop comes back as it was.
                        changed |= !(copies.len() == 1 && copies[0].key_span == written_at);
                        expanded.extend(copies);
                    } else {
                        expanded.push(entry);
                    }
                }
                *entries = expanded;
                if !changed {
                    // Only loops not written as `[Identifier, Collection, {body}]` are left.
                    break;
                }
            }
            for entry in entries.iter_mut() {
                expand_node(&mut entry.value, budget, diagnostics);
            }
        }
        NodeKind::Seq(items) => {
            for item in items {
                expand_node(item, budget, diagnostics);
            }
        }
        NodeKind::Call(call) => expand_node(&mut call.arg, budget, diagnostics),
        _ => {}
    }
}

/// The entries one loop stands for. A loop that is not `[Identifier, Collection, {body}]` is
/// kept as written.
fn instantiate(entry: Entry, budget: &mut Budget, diagnostics: &mut Vec<Problem>) -> Vec<Entry> {
    let Some([identifier, collection, body]) = entry.value.items() else {
        return vec![entry];
    };
    let (Some(identifier), Some(body)) = (identifier.as_str(), body.entries()) else {
        return vec![entry];
    };
    let items: Vec<Option<String>> = match collection.items() {
        Some(items) => items
            .iter()
            .filter_map(|item| item.scalar_text().map(|text| Some(text.to_string())))
            .collect(),
        None => vec![None],
    };
    let mut out = Vec::new();
    for item in &items {
        for output in body {
            let cost = count(&output.value);
            if cost > budget.left {
                if !budget.reported {
                    budget.reported = true;
                    diagnostics.push(Problem::new(
                        RuleId::LimitExceeded,
                        entry.key_span,
                        format!(
                            "`Fn::ForEach` expands to more than {MAX_NODES} nodes; the rest of the loop is not checked"
                        ),
                    ));
                }
                return out;
            }
            budget.left -= cost;
            let mut value = output.value.clone();
            let key = match item {
                Some(item) => {
                    substitute(&mut value, identifier, item);
                    replace_identifier(&output.key, identifier, item).unwrap_or(output.key.clone())
                }
                None => output.key.clone(),
            };
            out.push(Entry {
                key,
                key_span: output.key_span,
                value,
            });
        }
    }
    out
}

fn count(node: &Node) -> usize {
    1 + match &node.kind {
        NodeKind::Seq(items) => items.iter().map(count).sum(),
        NodeKind::Map(entries) => entries.iter().map(|e| count(&e.value)).sum(),
        NodeKind::Call(call) => count(&call.arg),
        _ => 0,
    }
}

/// `${Id}` becomes the item, `&{Id}` the item without its non-alphanumeric characters;
/// `None` when the text has neither.
fn replace_identifier(text: &str, identifier: &str, item: &str) -> Option<String> {
    let plain = format!("${{{identifier}}}");
    let alphanumeric = format!("&{{{identifier}}}");
    if !text.contains(&plain) && !text.contains(&alphanumeric) {
        return None;
    }
    let stripped: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
    Some(text.replace(&plain, item).replace(&alphanumeric, &stripped))
}

fn substitute(node: &mut Node, identifier: &str, item: &str) {
    let replaced_ref = matches!(
        &node.kind,
        NodeKind::Call(call) if call.name == "Ref" && call.arg.as_str() == Some(identifier)
    );
    if replaced_ref {
        *node = Node::synthetic(node.span, NodeKind::String(item.to_string()));
        return;
    }
    match &mut node.kind {
        NodeKind::String(text) => {
            if let Some(replaced) = replace_identifier(text, identifier, item) {
                *node = Node::synthetic(node.span, NodeKind::String(replaced));
            }
        }
        NodeKind::Seq(items) => {
            for item_node in items {
                substitute(item_node, identifier, item);
            }
        }
        NodeKind::Map(entries) => {
            for entry in entries {
                if let Some(key) = replace_identifier(&entry.key, identifier, item) {
                    entry.key = key;
                }
                substitute(&mut entry.value, identifier, item);
            }
        }
        NodeKind::Call(call) => {
            let Call { arg, .. } = call.as_mut();
            substitute(arg, identifier, item);
        }
        _ => {}
    }
}
