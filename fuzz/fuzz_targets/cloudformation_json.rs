//! A CloudFormation or SAM template in JSON, recognised by content as under `.json`.
#![no_main]

use iamlint::extract::Intent;
use iamlint::extract::cloudformation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    iamlint_fuzz::check_text("template.json", data, |file, source| {
        cloudformation::extract(file, source, Intent::Explicit)
    });
});
