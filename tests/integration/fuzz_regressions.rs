//! Inputs the fuzz targets (fuzz/) once failed on, kept in testdata/fuzz/: each must be
//! checked to the end, in every format, within seconds, without a panic. The file's name
//! says which form of input it is (`.yaml` template, `.tf` module, `.json` policy).

use crate::support;

use std::time::Duration;

#[test]
fn every_input_that_once_failed_is_checked() {
    let dir = support::root().join("testdata/fuzz");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    for input in &inputs {
        for format in ["human", "compact", "json", "sarif", "github"] {
            let output = support::iamlint()
                .args(["check", "--no-config", "--format", format])
                .arg(input)
                .timeout(Duration::from_secs(20))
                .output()
                .unwrap();
            let code = output.status.code();
            assert!(
                matches!(code, Some(0 | 1)),
                "{} ({format}) ended with {:?}: {}",
                input.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}
