//! iamlint: a static analyzer and linter for AWS IAM policies written in infrastructure as
//! code. See README.md for the pipeline: discover, extract, parse, rules, report.

pub mod actions;
pub mod baseline;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod document;
pub mod engine;
pub mod extract;
pub mod finding;
pub mod policy;
pub mod principal;
pub mod report;
pub mod rules;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod value;
