//! A CloudFormation or SAM template in YAML: the YAML event parser and tree builder (aliases,
//! tags, duplicate keys), intrinsic functions, JSON-string policies, SAM policy templates.
#![no_main]

use iamlint::extract::Intent;
use iamlint::extract::cloudformation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    iamlint_fuzz::check_text("template.yaml", data, |file, source| {
        cloudformation::extract(file, source, Intent::Explicit)
    });
});
