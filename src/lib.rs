//! iamlint: a static analyzer and linter for AWS IAM policies written in infrastructure as
//! code. Each module below is a layer and imports only the layers declared before it
//! (ARCHITECTURE.md has the map; `tests/integration/architecture.rs` checks it).

/// Shared vocabulary: source text and spans, the value tree, findings, rule identities.
pub mod base;

/// AWS knowledge: services, actions, resource types, condition keys.
pub mod catalog;

/// Discover and read: walking paths, recognising files, reading them within limits.
pub(crate) mod input;

/// Extract: the policy documents each file holds, as spanned value trees.
pub mod extract;

/// The policy model: statements, principals, effective permissions, escalation paths.
pub(crate) mod policy;

/// Rules: one file per rule, the registry, the per-document and per-principal passes.
pub mod rules;

/// Suppressions and baselines applied to the findings of a run.
pub(crate) mod suppress;

/// `iamlint.toml`.
pub mod config;

/// Orchestration: one run of the pipeline, in parallel, in a deterministic order.
pub mod engine;

/// `iamlint diff`: the access one revision adds to another, per principal.
pub mod diff;

/// Output formats: the only code that prints findings.
pub mod report;

/// The command line.
pub mod cli;
