//! The whole `check` pipeline on arbitrary bytes under an arbitrary file name, as
//! `iamlint check --stdin-filename NAME -` runs it: recognition by name and content,
//! suppression comments, every extractor, every rule, the per-principal pass, and every
//! output format. The input is the file name, a newline, then the file's bytes.
#![no_main]

use iamlint::engine::{CheckOptions, run_with_stdin};
use iamlint_fuzz::every_report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let name = String::from_utf8_lossy(&data[..split]);
    // A name that reaches outside the working directory would make a run read real files.
    if name.is_empty() || name.starts_with('/') || name.contains("..") || name.contains('\0') {
        return;
    }
    let bytes = data.get(split + 1..).unwrap_or_default().to_vec();
    let options = CheckOptions {
        paths: vec!["-".into()],
        stdin_filename: Some(name.into_owned()),
        ..CheckOptions::default()
    };
    every_report(&run_with_stdin(&options, bytes));
});
