//! One Terraform file as a module on its own: HCL parser, expression lowering, heredocs,
//! jsonencode, aws_iam_policy_document, attachments, rules. The first byte picks HCL or
//! `.tf.json`; `file()` reads nothing, so a run never depends on the disk.
#![no_main]

use iamlint::extract::terraform;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let name = if selector & 1 == 0 {
        "module/main.tf"
    } else {
        "module/main.tf.json"
    };
    iamlint_fuzz::check_text(name, rest, |file, source| {
        let files = [(file, Arc::clone(source))];
        Some(terraform::extract_module(Path::new("module"), &files, &terraform::NoFiles).extraction)
    });
});
