//! A CloudFormation or SAM template in YAML: the YAML event parser and tree builder (aliases,
//! tags, duplicate keys), intrinsic functions, JSON-string policies, SAM policy templates.
#![no_main]

use iamlint::extract::cloudformation;
use iamlint::extract::raw_policy::Intent;
use iamlint::source::SourceMap;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = SourceMap::new();
    let (file, source) = sources.add("template.yaml".into(), text.to_string());
    if let Some(extraction) = cloudformation::extract(file, &source, Intent::Explicit) {
        iamlint_fuzz::check_extraction(&sources, extraction);
    }
});
