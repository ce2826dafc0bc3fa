//! The repository is untrusted input (issue 20): a CI gate runs iamlint on pull requests
//! from anyone. What the checked code names is read only inside the repository, never
//! blocks, and whatever is not read or not fully evaluated is a visible finding, not a
//! silent "no findings". One test per way around the gate.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A string that appears in the output only if a file outside the repository was read.
const MARKER: &str = "OutsideContentMarker";

const FORMATS: &[&str] = &["human", "compact", "json", "sarif", "github"];

fn write(path: &Path, content: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// Runs the binary in `dir` with a timeout, so a read that blocks fails the test instead of
/// hanging it.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = support::iamlint()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    (
        output.status.code().unwrap_or(-1),
        format!("{stdout}{stderr}"),
    )
}

/// `git` with a configuration of its own only: the machine's must not matter.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .expect("git is installed");
    assert!(status.success(), "git {args:?}");
}

/// A git repository at `<temp>/work/repo`, so that `../../x` from it is still inside the
/// temporary directory.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path().join("work/repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    (temp, repo)
}

/// A policy no rule would let pass, holding the marker.
fn admin_policy() -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "{MARKER}", "Effect": "Allow", "Action": "*", "Resource": "*"}}]}}"#
    )
}

fn admin_policy_resource(name: &str, path: &str) -> String {
    format!("resource \"aws_iam_policy\" \"{name}\" {{\n  policy = file(\"{path}\")\n}}\n")
}

fn inline_admin_policy_resource(name: &str) -> String {
    format!(
        "resource \"aws_iam_policy\" \"{name}\" {{\n  policy = jsonencode({{ Statement = [{{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }}] }})\n}}\n"
    )
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn file_calls_outside_the_repository_or_on_fifos_are_reported_not_read() {
    let (temp, repo) = repository();
    write(&temp.path().join("work/outside.json"), admin_policy());
    write(&temp.path().join("outside.json"), admin_policy());
    std::os::unix::fs::symlink(
        temp.path().join("work/outside.json"),
        repo.join("link.json"),
    )
    .unwrap();
    mkfifo(&repo.join("pipe.json"));
    std::os::unix::fs::symlink("pipe.json", repo.join("fifo-link.json")).unwrap();
    let module = [
        admin_policy_resource("hostname", "/etc/hostname"),
        admin_policy_resource("up", "../../outside.json"),
        admin_policy_resource("link", "${path.module}/link.json"),
        admin_policy_resource("pipe", "pipe.json"),
        admin_policy_resource("stdin", "/dev/stdin"),
        admin_policy_resource("fifo_link", "fifo-link.json"),
    ]
    .concat();
    write(&repo.join("main.tf"), module);
    for format in FORMATS {
        let (code, output) = run_in(&repo, &["check", "--no-config", "-f", format, "."]);
        assert_eq!(code, 1, "{format}: {output}");
        assert!(!output.contains(MARKER), "{format}: {output}");
        for written in [
            "/etc/hostname",
            "../../outside.json",
            "link.json",
            "pipe.json",
            "/dev/stdin",
            "fifo-link.json",
        ] {
            assert!(
                output.contains(&format!("`{written}`")),
                "{format}: {written}: {output}"
            );
        }
    }
    let (_, compact) = run_in(&repo, &["check", "--no-config", "-f", "compact", "."]);
    let at_calls: Vec<&str> = compact
        .lines()
        .filter(|line| line.starts_with("main.tf:") && line.contains("[unread-file]"))
        .collect();
    assert_eq!(at_calls.len(), 6, "{compact}");
    assert!(
        compact.contains("`/etc/hostname` is outside the repository (`.`): not read"),
        "{compact}"
    );
    assert!(
        compact.contains("`pipe.json` is not a regular file"),
        "{compact}"
    );
    // The walk found the symlinks themselves: reported at the link, never followed out.
    assert!(
        compact.contains("link.json:1:1: warning[unread-file] `link.json` is outside"),
        "{compact}"
    );
    assert!(
        compact.contains(
            "fifo-link.json:1:1: warning[unread-file] `fifo-link.json` is not a regular file"
        ),
        "{compact}"
    );
    // Where the outside file resolves to is not said, and nothing it holds is checked.
    assert!(!compact.contains("work/outside.json"), "{compact}");
    assert!(!compact.contains("[admin-access]"), "{compact}");
}

#[cfg(unix)]
#[test]
fn a_local_module_outside_the_repository_is_reported_not_read() {
    let (temp, repo) = repository();
    write(
        &temp.path().join("shared/modules/admin/main.tf"),
        format!(
            "variable \"action\" {{}}\nresource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{ Statement = [{{ Sid = \"{MARKER}\", Effect = \"Allow\", Action = var.action, Resource = \"*\" }}] }})\n}}\n"
        ),
    );
    write(
        &repo.join("main.tf"),
        "module \"admin\" {\n  source = \"../../shared/modules/admin\"\n  action = \"*\"\n}\n",
    );
    let (code, output) = run_in(&repo, &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("main.tf:2:12: warning[unread-file] `../../shared/modules/admin` is outside the repository"),
        "{output}"
    );
    assert!(!output.contains(MARKER), "{output}");
    // `--root` widens what may be read, to a directory the user chooses.
    let (_, output) = run_in(
        &repo,
        &[
            "check",
            "--no-config",
            "-f",
            "compact",
            "--root",
            "../..",
            ".",
        ],
    );
    assert!(!output.contains("[unread-file]"), "{output}");
    assert!(output.contains("[admin-access]"), "{output}");
}

#[test]
fn a_missing_file_or_a_path_only_known_at_deploy_time_is_quiet() {
    let (_temp, repo) = repository();
    write(
        &repo.join("main.tf"),
        [
            admin_policy_resource("missing", "${path.module}/generated.json"),
            admin_policy_resource("unknown", "${var.dir}/policy.json"),
        ]
        .concat(),
    );
    let (code, output) = run_in(&repo, &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(code, 0, "{output}");
}

#[test]
fn a_file_inside_the_repository_is_read_through_a_symlink() {
    let (_temp, repo) = repository();
    write(&repo.join("policies/admin.json"), admin_policy());
    #[cfg(unix)]
    std::os::unix::fs::symlink("policies/admin.json", repo.join("admin-link.json")).unwrap();
    write(
        &repo.join("main.tf"),
        admin_policy_resource("p", "${path.module}/policies/admin.json"),
    );
    let (code, output) = run_in(&repo, &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(code, 1, "{output}");
    assert!(!output.contains("[unread-file]"), "{output}");
    assert!(output.contains("[admin-access]"), "{output}");
}

#[test]
fn a_tracked_file_that_gitignore_matches_is_checked() {
    let (_temp, repo) = repository();
    write(&repo.join(".gitignore"), "policies/\n*.tf\n");
    write(&repo.join("policies/admin.json"), admin_policy());
    write(&repo.join("main.tf"), inline_admin_policy_resource("p"));
    write(&repo.join("scratch.tf"), inline_admin_policy_resource("q"));
    git(
        &repo,
        &["add", "-f", "policies/admin.json", "main.tf", ".gitignore"],
    );
    git(&repo, &["commit", "-q", "-m", "ignored but tracked"]);
    let (code, output) = run_in(&repo, &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("policies/admin.json:") && output.contains("[admin-access]"),
        "{output}"
    );
    assert!(output.contains("main.tf:"), "{output}");
    // Untracked and ignored: still left out.
    assert!(!output.contains("scratch.tf"), "{output}");
}

#[test]
fn a_tracked_file_in_a_hidden_folder_is_checked() {
    let (_temp, repo) = repository();
    write(
        &repo.join(".deploy/main.tf"),
        inline_admin_policy_resource("p"),
    );
    write(&repo.join(".deploy/admin.json"), admin_policy());
    write(
        &repo.join(".terraform/modules/x/policy.json"),
        admin_policy(),
    );
    git(&repo, &["add", ".deploy"]);
    git(&repo, &["commit", "-q", "-m", "hidden"]);
    let (code, output) = run_in(&repo, &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains(".deploy/main.tf:"), "{output}");
    assert!(output.contains(".deploy/admin.json:"), "{output}");
    // `.terraform` is read only when tracked.
    assert!(!output.contains(".terraform"), "{output}");
}

#[test]
fn the_machine_s_git_excludes_do_not_change_the_result() {
    let (temp, repo) = repository();
    write(&repo.join("admin.json"), admin_policy());
    let excludes = temp.path().join("global-excludes");
    write(&excludes, "*.json\n");
    let config = temp.path().join("gitconfig");
    write(
        &config,
        format!("[core]\n\texcludesFile = {}\n", excludes.display()),
    );
    write(&repo.join(".git/info/exclude"), "*.json\n");
    let output = support::iamlint()
        .current_dir(&repo)
        .env("NO_COLOR", "1")
        .env("GIT_CONFIG_GLOBAL", &config)
        .env("HOME", temp.path())
        .env("XDG_CONFIG_HOME", temp.path())
        .args(["check", "--no-config", "-f", "compact", "."])
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("admin.json:"), "{stdout}");
}

#[test]
fn a_walked_file_over_the_size_limit_fails_the_gate() {
    let (_temp, repo) = repository();
    let padding = " ".repeat(200);
    write(
        &repo.join("main.tf"),
        format!(
            "{padding}resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{ Statement = [{{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }}] }})\n}}\n"
        ),
    );
    for format in FORMATS {
        let (code, output) = run_in(
            &repo,
            &[
                "check",
                "--no-config",
                "--max-file-size",
                "100",
                "-f",
                format,
                ".",
            ],
        );
        assert_eq!(code, 1, "{format}: {output}");
        assert!(output.contains("limit-exceeded"), "{format}: {output}");
        assert!(output.contains("main.tf"), "{format}: {output}");
    }
    let (_, compact) = run_in(
        &repo,
        &[
            "check",
            "--no-config",
            "--max-file-size",
            "100",
            "-f",
            "compact",
            ".",
        ],
    );
    assert!(
        compact.contains("main.tf:1:1: warning[limit-exceeded] `main.tf` is 3"),
        "{compact}"
    );
}

#[test]
fn a_long_chain_of_locals_is_reported_not_dropped() {
    let (_temp, repo) = repository();
    let mut module = String::from(
        "locals {\n  l0 = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }] })\n",
    );
    for i in 1..=20 {
        module.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    module.push_str("}\nresource \"aws_iam_policy\" \"p\" {\n  policy = local.l20\n}\n");
    write(&repo.join("main.tf"), module);
    let (code, output) = run_in(&repo, &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("[limit-exceeded]")
            && output.contains("was not fully evaluated (references nest more than 16 deep)"),
        "{output}"
    );

    // Locals that each use the one before twice: 2^15 references, within the depth limit
    // but over the reference budget of one document.
    let mut module = String::from("locals {\n  a0 = \"s3:GetObject\"\n");
    for i in 1..=15 {
        module.push_str(&format!("  a{i} = [local.a{0}, local.a{0}]\n", i - 1));
    }
    module.push_str("}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = local.a15, Resource = \"*\" }] })\n}\n");
    write(&repo.join("main.tf"), module);
    let (_, output) = run_in(&repo, &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(output.matches("[limit-exceeded]").count(), 1, "{output}");
    assert!(
        output
            .contains("was not fully evaluated (one document follows more than 20000 references)"),
        "{output}"
    );
}

#[test]
fn nested_foreach_loops_are_expanded() {
    let (_temp, repo) = repository();
    write(
        &repo.join("template.yaml"),
        r#"Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Teams:
    - Team
    - [a, b]
    - Fn::ForEach::Envs:
        - Env
        - [dev, prod]
        - ${Team}${Env}Policy:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              PolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: "*"
                    Resource: "*"
"#,
    );
    let (code, output) = run_in(&repo, &["check", "--no-config", "-f", "json", "."]);
    assert_eq!(code, 1, "{output}");
    let report: serde_json::Value = serde_json::from_str(&output).unwrap();
    // One policy per team and environment (their findings, at the same place, are one).
    assert_eq!(report["documents_analyzed"], 4, "{output}");
    assert!(output.contains("admin-access"), "{output}");
}

#[cfg(unix)]
#[test]
fn a_configuration_file_that_is_a_fifo_or_leads_outside_is_not_read() {
    let (temp, repo) = repository();
    write(&repo.join("admin.json"), admin_policy());
    mkfifo(&repo.join("pipe"));
    std::os::unix::fs::symlink("pipe", repo.join("iamlint.toml")).unwrap();
    // Not a configuration file: the defaults apply, and nothing blocks.
    let (code, output) = run_in(&repo, &["check", "-f", "compact", "."]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("[admin-access]"), "{output}");
    let (code, output) = run_in(&repo, &["check", "--config", "pipe", "-f", "compact", "."]);
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("pipe: cannot read the configuration: not a regular file"),
        "{output}"
    );
    write(
        &temp.path().join("outside.toml"),
        format!("[{MARKER}]\nx = 1\n"),
    );
    std::fs::remove_file(repo.join("iamlint.toml")).unwrap();
    std::os::unix::fs::symlink(temp.path().join("outside.toml"), repo.join("iamlint.toml"))
        .unwrap();
    let (code, output) = run_in(&repo, &["check", "-f", "compact", "."]);
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("cannot read the configuration: it leads outside the repository"),
        "{output}"
    );
    assert!(!output.contains(MARKER), "{output}");
}

#[cfg(unix)]
#[test]
fn a_gitignore_that_is_a_symlink_to_a_device_is_not_followed() {
    let (_temp, repo) = repository();
    write(&repo.join("admin.json"), admin_policy());
    std::os::unix::fs::symlink("/dev/zero", repo.join(".gitignore")).unwrap();
    std::fs::create_dir_all(repo.join("sub")).unwrap();
    std::os::unix::fs::symlink("/dev/stdin", repo.join("sub/.ignore")).unwrap();
    write(&repo.join("sub/admin.json"), admin_policy());
    let (code, output) = run_in(&repo, &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("admin.json:"), "{output}");
    assert!(output.contains("sub/admin.json:"), "{output}");
}

#[test]
fn git_s_own_files_are_not_read_by_file_calls() {
    // A CI checkout may keep its token in `.git/config`; a parse error would show its lines.
    let (_temp, repo) = repository();
    let config = std::fs::read_to_string(repo.join(".git/config")).unwrap();
    write(
        &repo.join(".git/config"),
        format!("{config}[http]\n\textraheader = AUTHORIZATION: basic {MARKER}\n"),
    );
    write(
        &repo.join("main.tf"),
        admin_policy_resource("p", "${path.module}/.git/config"),
    );
    for format in FORMATS {
        let (code, output) = run_in(&repo, &["check", "--no-config", "-f", format, "."]);
        assert_eq!(code, 1, "{format}: {output}");
        assert!(!output.contains(MARKER), "{format}: {output}");
        assert!(!output.contains("extraheader"), "{format}: {output}");
        assert!(
            output.contains("is inside a `.git` directory"),
            "{format}: {output}"
        );
    }
}
