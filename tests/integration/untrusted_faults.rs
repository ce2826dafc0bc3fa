//! Faults a hostile or unlucky environment causes around a run (issue "the repository is
//! untrusted input", item 9): files iamlint writes are replaced whole and never written
//! through a symbolic link, a closed standard output does not turn findings into a pass, and
//! a closed standard error does not turn a run into a crash.

use std::path::Path;
use std::process::Stdio;

const ADMIN_POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;

fn repository_with_a_finding() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("admin.json"), ADMIN_POLICY).unwrap();
    dir
}

fn exit_code(dir: &Path, args: &[&str], stdout: Stdio, stderr: Stdio) -> i32 {
    std::process::Command::new(env!("CARGO_BIN_EXE_iamlint"))
        .current_dir(dir)
        .args(args)
        .stdout(stdout)
        .stderr(stderr)
        .status()
        .unwrap()
        .code()
        .unwrap_or(-1)
}

/// A pipe whose reading end is already closed: every write to it fails with `EPIPE`.
fn closed_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer.into()
}

#[test]
fn a_closed_stdout_still_fails_the_gate() {
    let dir = repository_with_a_finding();
    for format in ["human", "compact", "json", "sarif", "github"] {
        let code = exit_code(
            dir.path(),
            &["check", ".", "--format", format],
            closed_pipe(),
            Stdio::null(),
        );
        assert_eq!(
            code, 1,
            "{format}: findings exist, so `| head` must not pass a gate"
        );
    }
}

#[test]
fn a_closed_stderr_does_not_crash_the_run() {
    let dir = repository_with_a_finding();
    // A missing path writes an error line, and `-o` a summary line, to standard error.
    let code = exit_code(
        dir.path(),
        &[
            "check",
            "admin.json",
            "missing.json",
            "--format",
            "json",
            "-o",
            "out.json",
        ],
        Stdio::null(),
        closed_pipe(),
    );
    assert_eq!(code, 2, "an unreadable path is exit 2, not a panic (101)");
    assert!(dir.path().join("out.json").is_file());
}

#[cfg(unix)]
#[test]
fn the_report_replaces_a_symlink_instead_of_writing_through_it() {
    let dir = repository_with_a_finding();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "left alone").unwrap();
    for (flag, name) in [
        ("-o", "report.sarif"),
        ("--write-baseline", "baseline.json"),
    ] {
        std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
        let args = ["check", "admin.json", "--format", "sarif", flag, name];
        exit_code(dir.path(), &args, Stdio::null(), Stdio::null());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "left alone");
        let written = std::fs::symlink_metadata(dir.path().join(name)).unwrap();
        assert!(
            written.is_file(),
            "{flag}: the link is replaced by the file"
        );
    }
}

#[test]
fn a_baseline_write_that_fails_leaves_the_old_baseline_intact() {
    let dir = repository_with_a_finding();
    let baseline = dir.path().join("baseline.json");
    let code = exit_code(
        dir.path(),
        &["check", "admin.json", "--write-baseline", "baseline.json"],
        Stdio::null(),
        Stdio::null(),
    );
    assert_eq!(code, 0);
    let old = std::fs::read_to_string(&baseline).unwrap();
    // The new baseline cannot be written where it is asked for (its directory is a file):
    // the run fails and nothing half-written is left behind.
    std::fs::write(dir.path().join("not-a-directory"), "").unwrap();
    let code = exit_code(
        dir.path(),
        &[
            "check",
            "admin.json",
            "--write-baseline",
            "not-a-directory/baseline.json",
        ],
        Stdio::null(),
        Stdio::null(),
    );
    assert_eq!(code, 2);
    assert_eq!(std::fs::read_to_string(&baseline).unwrap(), old);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        !names.iter().any(|name| name.ends_with(".tmp")),
        "{names:?}"
    );
}
