//! `iamlint paths [PATH]`: per principal of each module or template, what it can reach
//! through the access graph (`rules::graph`) and how, as text, a Mermaid flowchart, a
//! Graphviz DOT graph, or JSON (shape in README.md, "The paths JSON"), with the data targets
//! (buckets, secrets, parameters, keys) each principal reads.

use crate::base::source::{Span, display_path};
use crate::base::text::printable;
use crate::engine::{CheckOptions, RunOutput};
use crate::report::locate_position;
use crate::rules::graph::{Edge, Graph, Target};
use crate::rules::principal;
use clap::ValueEnum;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};
use std::cell::RefCell;
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
        PathsFormat::Text => {}
        PathsFormat::Json => return json(run),
    }
    let path_of = |file| run.sources.get(file).path().to_path_buf();
    for (index, input) in run.inputs.iter().enumerate() {
        principal::view(&input.documents, &input.inventory, &path_of, |cx| {
            let graph = Graph::new(cx);
            match format {
                PathsFormat::Text => text(&Locations::new(run), &graph, &mut out),
                PathsFormat::Mermaid => mermaid(&graph, index, &mut out),
                PathsFormat::Dot => dot(&graph, index, &mut out),
                PathsFormat::Json => {}
            }
        });
    }
    if format == PathsFormat::Dot {
        out.push_str("}\n");
    }
    out
}

/// Where edges point, as `path:line:column`, each span located once: a chain through a
/// principal is printed from every start that reaches it.
struct Locations<'r> {
    run: &'r RunOutput,
    known: RefCell<FxHashMap<Span, String>>,
}

impl<'r> Locations<'r> {
    fn new(run: &'r RunOutput) -> Self {
        Locations {
            run,
            known: RefCell::new(FxHashMap::default()),
        }
    }

    /// Where an edge's first label points.
    fn of(&self, edge: &Edge) -> Option<String> {
        let (span, _) = edge.labels.first()?;
        let mut known = self.known.borrow_mut();
        let text = known.entry(*span).or_insert_with(|| {
            let location = locate_position(&self.run.sources, *span);
            format!(
                "{}:{}:{}",
                location.path, location.start.line, location.start.column
            )
        });
        Some(text.clone())
    }
}

/// The JSON document (shape in README.md), written as it is computed: the chains from every
/// start to every principal it reaches are as many as the output is long, and are never held
/// as a tree of values.
fn json(run: &RunOutput) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::pretty(&mut out);
    Document { run }
        .serialize(&mut serializer)
        .expect("the paths JSON serializes into memory");
    let mut out = String::from_utf8(out).expect("serde_json writes UTF-8");
    out.push('\n');
    out
}

/// The whole JSON document: its version and one graph per input.
struct Document<'r> {
    run: &'r RunOutput,
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut document = serializer.serialize_struct("Document", 2)?;
        document.serialize_field("version", &JSON_VERSION)?;
        document.serialize_field("graphs", &Graphs { run: self.run })?;
        document.end()
    }
}

/// Each input's graph, built in turn while it is written.
struct Graphs<'r> {
    run: &'r RunOutput,
}

impl Serialize for Graphs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let run = self.run;
        let locations = Locations::new(run);
        let path_of = |file| run.sources.get(file).path().to_path_buf();
        let mut graphs = serializer.serialize_seq(Some(run.inputs.len()))?;
        for input in &run.inputs {
            principal::view(&input.documents, &input.inventory, &path_of, |cx| {
                let graph = Graph::new(cx);
                graphs.serialize_element(&GraphJson {
                    input: &input.path,
                    graph: &graph,
                    locations: &locations,
                })
            })?;
        }
        graphs.end()
    }
}

/// One input's graph: the file or module directory it was read from (as locations name
/// files), and its nodes.
struct GraphJson<'g, 'p, 'a> {
    input: &'g Path,
    graph: &'g Graph<'p, 'a>,
    locations: &'g Locations<'g>,
}

impl Serialize for GraphJson<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A module in the working directory is `.`, as a path the user could pass back.
        let input = match display_path(self.input) {
            path if path.is_empty() => ".".to_string(),
            path => path,
        };
        let mut graph = serializer.serialize_struct("Graph", 2)?;
        graph.serialize_field("input", &input)?;
        graph.serialize_field("nodes", &NodesJson(self))?;
        graph.end()
    }
}

/// The nodes of a graph, each computed as it is written.
struct NodesJson<'j, 'g, 'p, 'a>(&'j GraphJson<'g, 'p, 'a>);

impl Serialize for NodesJson<'_, '_, '_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let graph = self.0.graph;
        let mut nodes = serializer.serialize_seq(Some(graph.nodes.len()))?;
        for node in 0..graph.nodes.len() {
            nodes.serialize_element(&NodeJson {
                graph,
                locations: self.0.locations,
                node,
            })?;
        }
        nodes.end()
    }
}

/// A node with its own edges and, unless it is an administrator already, what it reaches and
/// by which chain.
struct NodeJson<'g, 'p, 'a> {
    graph: &'g Graph<'p, 'a>,
    locations: &'g Locations<'g>,
    node: usize,
}

#[derive(Serialize)]
struct EdgeJson<'e> {
    to: usize,
    kind: &'static str,
    path: &'static str,
    text: &'e str,
    confidence: &'static str,
    location: Option<String>,
}

impl<'e> EdgeJson<'e> {
    fn new(locations: &Locations<'_>, edge: &'e Edge) -> Self {
        let (to, kind) = target(edge.target);
        EdgeJson {
            to,
            kind,
            path: edge.path,
            text: &edge.text,
            confidence: edge.confidence.as_str(),
            location: locations.of(edge),
        }
    }
}

#[derive(Serialize)]
struct ReachJson<'e> {
    node: usize,
    hops: Vec<EdgeJson<'e>>,
}

#[derive(Serialize)]
struct ReadJson {
    target: String,
    action: &'static str,
    confidence: &'static str,
}

impl Serialize for NodeJson<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (graph, locations, node) = (self.graph, self.locations, self.node);
        let power = graph.power(node);
        let admin = power.is_some_and(|p| p.admin);
        let walk = graph.walk(node);
        let reaches: Vec<ReachJson<'_>> = if admin {
            Vec::new()
        } else {
            walk.order()
                .iter()
                .skip(1)
                .map(|&to| ReachJson {
                    node: to,
                    hops: walk
                        .hops(to)
                        .into_iter()
                        .map(|hop| EdgeJson::new(locations, hop))
                        .collect(),
                })
                .collect()
        };
        let becomes_admin = !admin && graph.search(&walk).is_some_and(|f| f.power.admin);
        let reads: Vec<ReadJson> = graph
            .reads(node)
            .iter()
            .map(|read| ReadJson {
                target: graph.describe_target(read.target),
                action: read.action,
                confidence: read.confidence.as_str(),
            })
            .collect();
        let gains: Vec<String> = if admin || becomes_admin {
            Vec::new()
        } else {
            graph
                .data_gain(&walk)
                .map(|gain| {
                    gain.reads
                        .iter()
                        .map(|r| graph.describe_target(r.target))
                        .collect()
                })
                .unwrap_or_default()
        };
        let edges: Vec<EdgeJson<'_>> = graph
            .edges(node)
            .iter()
            .map(|edge| EdgeJson::new(locations, edge))
            .collect();
        let mut out = serializer.serialize_struct("Node", 10)?;
        out.serialize_field("id", &node)?;
        out.serialize_field("name", &graph.describe(node))?;
        out.serialize_field("address", &graph.nodes[node].key.2)?;
        out.serialize_field("admin", &admin)?;
        out.serialize_field("power", &power.map(|p| p.description.as_str()))?;
        out.serialize_field("can_become_admin", &becomes_admin)?;
        out.serialize_field("edges", &edges)?;
        out.serialize_field("reaches", &reaches)?;
        out.serialize_field("reads", &reads)?;
        out.serialize_field("can_read_more", &gains)?;
        out.end()
    }
}

/// The node an edge leads to, and how: its permissions are gained (`assume`) or can be
/// changed (`modify`).
fn target(target: Target) -> (usize, &'static str) {
    match target {
        Target::Principal(to) => (to, "assume"),
        Target::Modify(to) => (to, "modify"),
    }
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

fn text(locations: &Locations<'_>, graph: &Graph<'_, '_>, out: &mut String) {
    for start in 0..graph.nodes.len() {
        // An administrator has everything already.
        if graph.power(start).is_some_and(|p| p.admin) {
            continue;
        }
        let walk = graph.walk(start);
        if walk.order().len() < 2 {
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
        for &node in walk.order().iter().skip(1) {
            let power = graph
                .power(node)
                .map(|p| format!(" ({})", p.description))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  reaches {}{power}{}",
                graph.describe(node),
                reads(node)
            );
            for (step, hop) in walk.hops(node).into_iter().enumerate() {
                let at = locations.of(hop);
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
        match graph.search(&walk) {
            Some(found) if found.power.admin => {
                let _ = writeln!(out, "  can become admin");
            }
            Some(_) => {}
            None => {
                if let Some(gain) = graph.data_gain(&walk) {
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
