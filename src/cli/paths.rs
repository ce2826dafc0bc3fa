//! `iamlint paths [PATH]`: per principal of each module or template, what it can reach
//! through the access graph (`rules::graph`) and how, as text or a Mermaid flowchart.

use crate::engine::{CheckOptions, RunOutput};
use crate::report::locate;
use crate::rules::graph::{Graph, Target};
use crate::rules::principal;
use clap::ValueEnum;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PathsFormat {
    Text,
    Mermaid,
}

/// The options of a run that keeps what the graphs are built from.
pub fn options(mut options: CheckOptions) -> CheckOptions {
    options.keep_documents = true;
    options.keep_inputs = true;
    options
}

/// The text `iamlint paths` prints for a run.
pub fn render(run: &RunOutput, format: PathsFormat) -> String {
    let mut out = String::new();
    if format == PathsFormat::Mermaid {
        out.push_str("flowchart LR\n");
    }
    let path_of = |file| run.sources.get(file).path().to_path_buf();
    for (index, input) in run.inputs.iter().enumerate() {
        principal::view(&input.documents, &input.inventory, &path_of, |cx| {
            let graph = Graph::new(cx);
            match format {
                PathsFormat::Text => text(run, &graph, &mut out),
                PathsFormat::Mermaid => mermaid(&graph, index, &mut out),
            }
        });
    }
    out
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
        let _ = writeln!(out, "{}", graph.describe(start));
        for (node, hops) in reached.iter().skip(1) {
            let power = graph
                .power(*node)
                .map(|p| format!(" ({})", p.description))
                .unwrap_or_default();
            let _ = writeln!(out, "  reaches {}{power}", graph.describe(*node));
            for (step, hop) in hops.iter().enumerate() {
                let at = hop.labels.first().map(|(span, _)| {
                    let location = locate(&run.sources, *span);
                    format!(
                        "{}:{}:{}",
                        location.path, location.start.line, location.start.column
                    )
                });
                let _ = writeln!(
                    out,
                    "    {}. {} (pathfinding.cloud {}, {:?} confidence) {}",
                    step + 1,
                    hop.text,
                    hop.path,
                    hop.confidence,
                    at.unwrap_or_default()
                );
            }
        }
        if let Some(found) = graph.search(start)
            && found.power.admin
        {
            let _ = writeln!(out, "  can become admin");
        }
        out.push('\n');
    }
}

fn mermaid(graph: &Graph<'_, '_>, input: usize, out: &mut String) {
    let id = |node: usize| format!("i{input}n{node}");
    for node in 0..graph.nodes.len() {
        let label = graph.describe(node).replace('`', "");
        let admin = graph.power(node).is_some_and(|p| p.admin);
        let shape = if admin {
            format!("{}[[\"{label} (admin)\"]]", id(node))
        } else {
            format!("{}[\"{label}\"]", id(node))
        };
        let _ = writeln!(out, "  {shape}");
    }
    for node in 0..graph.nodes.len() {
        for edge in graph.edges(node) {
            let (to, arrow) = match edge.target {
                Target::Principal(to) => (to, "-->"),
                Target::Modify(to) => (to, "-.->"),
            };
            let _ = writeln!(out, "  {} {arrow}|\"{}\"| {}", id(node), edge.path, id(to));
        }
    }
}
