//! One Terraform file as a module on its own: HCL parser, expression lowering, heredocs,
//! jsonencode, aws_iam_policy_document, attachments, rules. The first byte picks HCL or
//! `.tf.json`; `file()` reads nothing, so a run never depends on the disk.
#![no_main]

use iamlint::extract::terraform;
use iamlint::source::SourceMap;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = if selector & 1 == 0 {
        "main.tf"
    } else {
        "main.tf.json"
    };
    let sources = SourceMap::new();
    let (file, source) = sources.add(Path::new("module").join(name), text.to_string());
    let read = |_: &Path| None;
    let extracted =
        terraform::extract_module(Path::new("module"), &[(file, Arc::clone(&source))], &read);
    iamlint_fuzz::check_extraction(&sources, extracted.extraction);
});
