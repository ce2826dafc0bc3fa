//! A raw JSON policy file, named on the command line (so nothing is skipped as "not a
//! policy"): JSON parser, document finder, JSON-string documents, policy model and rules.
#![no_main]

use iamlint::extract::{Intent, raw_policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    iamlint_fuzz::check_text("policy.json", data, |file, source| {
        Some(raw_policy::extract(file, source, Intent::Explicit))
    });
});
