//! `iamlint paths [PATH]`: per principal of each module or template, what it can reach
//! through the access graph (`rules::graph`) and how, as text, a Mermaid flowchart, a
//! Graphviz DOT graph, or JSON (shape in README.md, "The paths JSON"), with the data targets
//! (buckets, secrets, parameters, keys) each principal reads.

use crate::base::source::display_path;
use crate::base::text::printable;
use crate::engine::{CheckOptions, RunOutput};
use crate::report::locate;
use crate::rules::graph::{Edge, Graph, Target};
use crate::rules::principal;
use clap::ValueEnum;
use serde_json::{Value, json};
use std::fmt::Write;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PathsFormat {
    Text,
    Mermaid,
    Dot,
    Json,
}

/// The version of the JSON shape, raised when a field changes meaning or goes away.
const JSON_VERSION: u32 = 1;

/// The options of a run that keeps what the graphs are built from.
pub fn options(mut options: CheckOptions) -> CheckOptions {
    options.keep_documents = true;
    options.keep_inputs = true;
    options
}

/// The text `iamlint paths` prints for a run.
pub fn render(run: &RunOutput, format: PathsFormat) -> String {
    let mut out = String::new();
    match format {
        PathsFormat::Mermaid => out.push_str("flowchart LR\n"),
        PathsFormat::Dot => out.push_str("digraph iamlint {\n  rankdir=LR;\n"),
        PathsFormat::Text | PathsFormat::Json => {}
    }
    let mut graphs = Vec::new();
    let path_of = |file| run.sources.get(file).path().to_path_buf();
    for (index, input) in run.inputs.iter().enumerate() {
        principal::view(&input.documents, &input.inventory, &path_of, |cx| {
            let graph = Graph::new(cx);
            match format {
                PathsFormat::Text => text(run, &graph, &mut out),
                PathsFormat::Mermaid => mermaid(&graph, index, &mut out),
                PathsFormat::Dot => dot(&graph, index, &mut out),
                PathsFormat::Json => graphs.push(json(run, &input.path, &graph)),
            }
        });
    }
    match format {
        PathsFormat::Dot => out.push_str("}\n"),
        PathsFormat::Json => {
            let document = json!({ "version": JSON_VERSION, "graphs": graphs });
            out = serde_json::to_string_pretty(&document).expect("a JSON value serializes");
            out.push('\n');
        }
        PathsFormat::Text | PathsFormat::Mermaid => {}
    }
    out
}

/// Where an edge's first label points, as `path:line:column`.
fn location(run: &RunOutput, edge: &Edge) -> Option<String> {
    edge.labels.first().map(|(span, _)| {
        let location = locate(&run.sources, *span);
        format!(
            "{}:{}:{}",
            location.path, location.start.line, location.start.column
        )
    })
}

fn edge_json(run: &RunOutput, edge: &Edge) -> Value {
    let (to, kind) = target(edge.target);
    json!({
        "to": to,
        "kind": kind,
        "path": edge.path,
        "text": edge.text,
        "confidence": edge.confidence.as_str(),
        "location": location(run, edge),
    })
}

/// The node an edge leads to, and how: its permissions are gained (`assume`) or can be
/// changed (`modify`).
fn target(target: Target) -> (usize, &'static str) {
    match target {
        Target::Principal(to) => (to, "assume"),
        Target::Modify(to) => (to, "modify"),
    }
}

/// One input's graph: the file or module directory it was read from (as locations name
/// files), its nodes, each with its own edges and, unless it is an administrator already, what
/// it reaches and by which chain.
fn json(run: &RunOutput, input: &Path, graph: &Graph<'_, '_>) -> Value {
    let nodes: Vec<Value> = (0..graph.nodes.len())
        .map(|node| {
            let power = graph.power(node);
            let admin = power.is_some_and(|p| p.admin);
            let reaches: Vec<Value> = if admin {
                Vec::new()
            } else {
                graph
                    .reach(node)
                    .iter()
                    .skip(1)
                    .map(|(to, hops)| {
                        json!({
                            "node": to,
                            "hops": hops.iter().map(|hop| edge_json(run, hop)).collect::<Vec<_>>(),
                        })
                    })
                    .collect()
            };
            let becomes_admin = !admin && graph.search(node).is_some_and(|f| f.power.admin);
            let reads: Vec<Value> = graph
                .reads(node)
                .iter()
                .map(|read| {
                    json!({
                        "target": graph.describe_target(read.target),
                        "action": read.action,
                        "confidence": read.confidence.as_str(),
                    })
                })
                .collect();
            let gains: Vec<String> = if admin || becomes_admin {
                Vec::new()
            } else {
                graph
                    .data_gain(node)
                    .map(|gain| {
                        gain.reads
                            .iter()
                            .map(|r| graph.describe_target(r.target))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            json!({
                "id": node,
                "name": graph.describe(node),
                "address": graph.nodes[node].key.2,
                "admin": admin,
                "power": power.map(|p| p.description.as_str()),
                "can_become_admin": becomes_admin,
                "edges": graph.edges(node).iter().map(|e| edge_json(run, e)).collect::<Vec<_>>(),
                "reaches": reaches,
                "reads": reads,
                "can_read_more": gains,
            })
        })
        .collect();
    // A module in the working directory is `.`, as a path the user could pass back.
    let input = match display_path(input) {
        path if path.is_empty() => ".".to_string(),
        path => path,
    };
    json!({ "input": input, "nodes": nodes })
}

fn dot(graph: &Graph<'_, '_>, input: usize, out: &mut String) {
    let id = |node: usize| format!("i{input}n{node}");
    let quoted = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
    for node in 0..graph.nodes.len() {
        let label = quoted(&graph.describe(node).replace('`', ""));
        if graph.power(node).is_some_and(|p| p.admin) {
            let _ = writeln!(
                out,
                "  {} [label=\"{label} (admin)\", shape=doubleoctagon];",
                id(node)
            );
        } else {
            let _ = writeln!(out, "  {} [label=\"{label}\", shape=box];", id(node));
        }
    }
    for target in 0..graph.target_count() {
        let label = quoted(&graph.describe_target(target).replace('`', ""));
        let _ = writeln!(
            out,
            "  i{input}t{target} [label=\"{label}\", shape=cylinder];"
        );
    }
    for node in 0..graph.nodes.len() {
        for edge in graph.edges(node) {
            let (to, kind) = target(edge.target);
            let style = if kind == "modify" {
                ", style=dashed"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "  {} -> {} [label=\"{}\"{style}];",
                id(node),
                id(to),
                quoted(edge.path)
            );
        }
        for read in graph.reads(node) {
            let _ = writeln!(
                out,
                "  {} -> i{input}t{} [label=\"read\", style=dotted];",
                id(node),
                read.target
            );
        }
    }
}

fn text(run: &RunOutput, graph: &Graph<'_, '_>, out: &mut String) {
    for start in 0..graph.nodes.len() {
        // An administrator has everything already.
        if graph.power(start).is_some_and(|p| p.admin) {
            continue;
        }
        let reached = graph.reach(start);
        if reached.len() < 2 {
            continue;
        }
        let reads = |node: usize| -> String {
            let targets: Vec<String> = graph
                .reads(node)
                .iter()
                .map(|r| graph.describe_target(r.target))
                .collect();
            if targets.is_empty() {
                String::new()
            } else {
                format!(" (reads {})", targets.join(", "))
            }
        };
        let _ = writeln!(out, "{}", graph.describe(start));
        for (node, hops) in reached.iter().skip(1) {
            let power = graph
                .power(*node)
                .map(|p| format!(" ({})", p.description))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  reaches {}{power}{}",
                graph.describe(*node),
                reads(*node)
            );
            for (step, hop) in hops.iter().enumerate() {
                let at = location(run, hop);
                let at = printable(at.as_deref().unwrap_or_default());
                let _ = writeln!(
                    out,
                    "    {}. {} (pathfinding.cloud {}, {} confidence) {}",
                    step + 1,
                    hop.text,
                    hop.path,
                    hop.confidence.as_str(),
                    at
                );
            }
        }
        match graph.search(start) {
            Some(found) if found.power.admin => {
                let _ = writeln!(out, "  can become admin");
            }
            Some(_) => {}
            None => {
                if let Some(gain) = graph.data_gain(start) {
                    let targets: Vec<String> = gain
                        .reads
                        .iter()
                        .map(|r| graph.describe_target(r.target))
                        .collect();
                    let _ = writeln!(
                        out,
                        "  can read what it cannot read itself: {}",
                        targets.join(", ")
                    );
                }
            }
        }
        out.push('\n');
    }
}

fn mermaid(graph: &Graph<'_, '_>, input: usize, out: &mut String) {
    let id = |node: usize| format!("i{input}n{node}");
    for node in 0..graph.nodes.len() {
        // Names are escaped already (`principal::resource_name`); a quote would end the label.
        let label = graph.describe(node).replace('`', "").replace('"', "#quot;");
        let admin = graph.power(node).is_some_and(|p| p.admin);
        let shape = if admin {
            format!("{}[[\"{label} (admin)\"]]", id(node))
        } else {
            format!("{}[\"{label}\"]", id(node))
        };
        let _ = writeln!(out, "  {shape}");
    }
    for target in 0..graph.target_count() {
        let label = graph.describe_target(target).replace('`', "");
        let _ = writeln!(out, "  i{input}t{target}[(\"{label}\")]");
    }
    for node in 0..graph.nodes.len() {
        for edge in graph.edges(node) {
            let (to, kind) = target(edge.target);
            let arrow = if kind == "modify" { "-.->" } else { "-->" };
            let _ = writeln!(out, "  {} {arrow}|\"{}\"| {}", id(node), edge.path, id(to));
        }
        for read in graph.reads(node) {
            let _ = writeln!(out, "  {} -.-|read| i{input}t{}", id(node), read.target);
        }
    }
}
