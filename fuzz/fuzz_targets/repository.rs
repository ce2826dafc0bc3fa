//! A whole small repository, as `iamlint check DIR` walks it: several files in folders,
//! Terraform modules calling each other, `file()` and `templatefile()`, ignore files and
//! symbolic links, all written into a fresh temporary directory and checked with every
//! output format. The input is a list of files, each introduced by a line `--- PATH`
//! (`--- PATH -> TARGET` makes a symbolic link instead), e.g.
//!
//! ```text
//! --- main.tf
//! resource "aws_iam_policy" "p" { policy = file("${path.module}/p.json") }
//! --- p.json
//! {"Statement": []}
//! ```
//!
//! Beyond not crashing, two properties of untrusted input are checked: no output byte is a
//! control character a format does not emit itself, and nothing outside the repository is
//! read (a canary file beside it never shows up in any output).
#![no_main]

use iamlint::engine::{CheckOptions, run};
use iamlint_fuzz::every_report;
use libfuzzer_sys::fuzz_target;
use std::path::{Component, Path, PathBuf};

/// Written beside the repository; a run that prints it has read outside the repository.
const CANARY: &str = "CANARY-OUTSIDE-THE-REPOSITORY";
const MAX_FILES: usize = 16;

/// A relative path without `..`, so the files stay inside the repository (links may point
/// anywhere: that is what is being tested).
fn inside(name: &str) -> Option<PathBuf> {
    let path = Path::new(name.trim());
    let normal = path
        .components()
        .all(|component| matches!(component, Component::Normal(_)));
    (normal && !name.contains('\0') && !name.trim().is_empty()).then(|| path.to_path_buf())
}

fn build(repository: &Path, data: &str) {
    for record in data.split("--- ").skip(1).take(MAX_FILES) {
        let (header, content) = record.split_once('\n').unwrap_or((record, ""));
        let (name, target) = match header.split_once(" -> ") {
            Some((name, target)) => (name, Some(target)),
            None => (header, None),
        };
        let Some(path) = inside(name) else { continue };
        // `.git` would make the fuzzer write git's own files; the index has its own tests.
        if path.starts_with(".git") {
            continue;
        }
        let path = repository.join(path);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = match target {
            #[cfg(unix)]
            Some(target) => std::os::unix::fs::symlink(target, &path),
            #[cfg(not(unix))]
            Some(_) => Ok(()),
            None => std::fs::write(&path, content),
        };
    }
}

/// Control characters are allowed only where the format itself writes them: newlines and
/// tabs, and ESC for colours (off here).
fn control_character(output: &[u8]) -> Option<u8> {
    output
        .iter()
        .copied()
        .find(|&b| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f)
}

fuzz_target!(|data: &[u8]| {
    let Ok(data) = std::str::from_utf8(data) else {
        return;
    };
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("outside.json"), CANARY).unwrap();
    let repository = outer.path().join("repository");
    std::fs::create_dir(&repository).unwrap();
    build(&repository, data);
    let options = CheckOptions {
        paths: vec![repository.clone()],
        jobs: Some(1),
        ..CheckOptions::default()
    };
    for (format, output) in every_report(&run(&options)) {
        if let Some(byte) = control_character(&output) {
            panic!("{format:?} output holds the control character {byte:#04x}");
        }
        let text = String::from_utf8_lossy(&output);
        assert!(
            !text.contains(CANARY),
            "{format:?} output shows a file outside the repository"
        );
    }
});
