//! The integration tests, in one test executable (one link of the library and its
//! dependencies instead of one per file): each file of this directory is a module.

mod architecture;
mod cli;
mod cli_conventions;
mod cloudformation;
mod cloudformation_cli;
mod diff;
mod formats;
mod fuzz_regressions;
mod graph_modules;
mod graph_paths;
mod integrations;
mod limits;
mod packaging;
mod plan;
mod properties;
mod repositories;
mod root_causes;
mod rule_docs;
mod rules;
mod sarif;
mod security;
mod support;
mod terraform;
mod terraform_cli;
mod terraform_values;
mod untrusted_faults;
mod untrusted_output;
mod untrusted_reads;
