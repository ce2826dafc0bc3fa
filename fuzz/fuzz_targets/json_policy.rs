//! A raw JSON policy file, named on the command line (so nothing is skipped as "not a
//! policy"): JSON parser, document finder, JSON-string documents, policy model and rules.
#![no_main]

use iamlint::extract::raw_policy::{self, Intent};
use iamlint::source::SourceMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = SourceMap::new();
    let (file, source) = sources.add("policy.json".into(), text.to_string());
    let extraction = raw_policy::extract(file, &source, Intent::Explicit);
    iamlint_fuzz::check_extraction(&sources, extraction);
});
