//! The conventions of a command-line tool: completions, a manual page, `-f` on every command
//! that prints, the data date in `--version`, and the rough edges a first run meets.

use crate::support::{self, iamlint, run_in};

fn stdout_of(args: &[&str]) -> String {
    let output = iamlint().args(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn version_names_the_data_dates() {
    let date = iamlint::catalog::Catalog::get().data_day();
    let version = stdout_of(&["--version"]);
    let prefix = format!(
        "iamlint {} (AWS catalog {date}, managed policies ",
        env!("CARGO_PKG_VERSION")
    );
    let managed = version
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("{version}"));
    for day in [date, managed] {
        assert_eq!(day.len(), "2026-10-27".len(), "{version}");
    }
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _iamlint"),
        ("zsh", "#compdef iamlint"),
        ("fish", "complete -c iamlint"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script}");
        // The subcommands and their options complete.
        assert!(script.contains("write-baseline"), "{shell}");
    }
    iamlint().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_is_roff_with_the_commands() {
    let page = stdout_of(&["man"]);
    assert!(page.starts_with(".ie \\n(.g"), "{page}");
    assert!(page.contains(".TH iamlint 1"), "{page}");
    for command in [
        "check",
        "rules",
        "explain",
        "actions",
        "documents",
        "completions",
    ] {
        assert!(page.contains(command), "{command} missing: {page}");
    }
}

#[test]
fn every_command_that_prints_takes_dash_f() {
    assert_eq!(
        stdout_of(&["rules", "-f", "json"]),
        stdout_of(&["rules", "--format", "json"])
    );
    let actions = stdout_of(&["actions", "-f", "json", "iam:PassRole"]);
    assert!(actions.starts_with('{'), "{actions}");
    let documents = stdout_of(&["documents", "-f", "json", "testdata/cli/clean.json"]);
    assert!(documents.starts_with('['), "{documents}");
    let check = iamlint()
        .args(["check", "-f", "json", "testdata/cli/clean.json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&check.stdout).starts_with('{'));
    // Any command added later: its `--format` has `-f` too.
    let cli = <iamlint::cli::Cli as clap::CommandFactory>::command();
    for command in cli.get_subcommands() {
        if let Some(format) = command.get_arguments().find(|a| a.get_id() == "format") {
            assert_eq!(format.get_short(), Some('f'), "{}", command.get_name());
        }
    }
}

#[test]
fn every_configuration_error_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    support::write(
        dir.path(),
        "iamlint.toml",
        "fail-on = \"sometimes\"\n\
         [rules]\n\
         admin-acess = \"off\"\n\
         wildcard-action = \"of\"\n\
         [trust]\n\
         allowed-accounts = [\"123\"]\n\
         [[ignore]]\n\
         path = \"a.json\"\n\
         rule = \"x\"\n\
         [limits]\n\
         max-file-size = 0\n",
    );
    support::write(dir.path(), "a.json", "{}");
    let (code, stdout, stderr) = run_in(dir.path(), &["check", "a.json"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    insta::assert_snapshot!(stderr, @r"
    error: iamlint.toml:1:11: `fail-on` is `sometimes`; expected `error`, `warning`, `info` or `never`
    error: iamlint.toml:3:1: unknown rule `admin-acess` in [rules] (did you mean `admin-access`?)
    error: iamlint.toml:4:19: `of` for rule `wildcard-action`; expected `off`, `on`, `error`, `warning` or `info`
    error: iamlint.toml:6:21: `123` in `allowed-accounts` is not a 12-digit AWS account id
    error: iamlint.toml:7:1: an [[ignore]] entry needs a `reason`: say why the finding is accepted
    error: iamlint.toml:9:8: unknown rule `x` in [[ignore]]
    error: iamlint.toml:11:17: `max-file-size` must be at least 1
    ");
}

#[test]
fn a_directory_with_nothing_to_check_is_a_warning_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("infra")).unwrap();
    support::write(&dir.path().join("infra"), "README.md", "no policies here");
    let (code, stdout, stderr) = run_in(dir.path(), &["check", "infra"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    insta::assert_snapshot!(stderr, @"warning: no file to check in `infra`: iamlint reads *.tf, *.json, *.yaml, *.yml, *.template and *.tpl files (is the path right? does `exclude` in iamlint.toml cover everything?); --allow-empty makes this run pass");
    let (code, stdout, stderr) = run_in(dir.path(), &["check", "--allow-empty", "infra"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 files scanned"), "{stdout}");
    let (code, _, _) = run_in(dir.path(), &["documents", "infra"]);
    assert_eq!(code, 2);

    // An `exclude` that covers everything leaves nothing to check either.
    support::write(&dir.path().join("infra"), "policy.json", "{}");
    support::write(dir.path(), "iamlint.toml", "exclude = [\"infra\"]\n");
    let (code, _, stderr) = run_in(dir.path(), &["check", "."]);
    assert_eq!(code, 2, "{stderr}");
    std::fs::remove_file(dir.path().join("iamlint.toml")).unwrap();

    // A file found that holds no policy, or a named one, is a file checked.
    let (code, _, stderr) = run_in(dir.path(), &["check", "infra"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run_in(
        dir.path(),
        &["check", "--skip-unrecognized", "infra/README.md"],
    );
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn write_baseline_prints_no_report_and_never_scans_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    support::write(
        dir.path(),
        "policy.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}"#,
    );
    let (code, stdout, stderr) =
        run_in(dir.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(
        stderr,
        "wrote 1 finding(s) to the baseline baseline.json (1 file scanned)\n"
    );
    // Written again over itself: the baseline of the first run is not a file of the code.
    let (code, _, stderr) = run_in(dir.path(), &["check", "--write-baseline", "baseline.json"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("(1 file scanned)"), "{stderr}");
    let (code, stdout, _) = run_in(dir.path(), &["check", "--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("1 file scanned"), "{stdout}");
    // Named on the command line, it is checked like any file.
    let (_, stdout, _) = run_in(
        dir.path(),
        &["check", "--baseline", "baseline.json", ".", "baseline.json"],
    );
    assert!(stdout.contains("2 files scanned"), "{stdout}");
}

#[test]
fn terraform_on_stdin_without_a_name_gets_a_hint() {
    let terraform = "# the CI role\nresource \"aws_iam_policy\" \"p\" {\n  policy = \"{}\"\n}\n";
    let output = iamlint()
        .args(["check", "-f", "compact", "-"])
        .write_stdin(terraform)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "hint: standard input is read as JSON or YAML; for Terraform, name it: `--stdin-filename main.tf`\n"
    );
    // Named, or not Terraform: no hint.
    for (args, text) in [
        (
            &["check", "--stdin-filename", "main.tf", "-"][..],
            terraform,
        ),
        (&["check", "-"][..], "{\"Statement\": [}"),
    ] {
        let output = iamlint().args(args).write_stdin(text).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}

#[test]
fn each_snippet_is_headed_with_its_own_line_and_column() {
    let (code, stdout, _) = run_in(
        &support::root(),
        &["check", "testdata/cli/duplicate_sid_far_apart.json"],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout, @r#"
    error[duplicate-sid] (https://github.com/iamlint/iamlint/blob/main/rules/duplicate-sid.md)

      × statement id `Read` is already used
       ╭─[testdata/cli/duplicate_sid_far_apart.json:5:14]
     4 │     {
     5 │       "Sid": "Read",
       ·              ───┬──
       ·                 ╰── first used here
     6 │       "Effect": "Allow",
       ╰────
        ╭─[testdata/cli/duplicate_sid_far_apart.json:17:14]
     16 │     {
     17 │       "Sid": "Read",
        ·              ──────
     18 │       "Effect": "Allow",
        ╰────
      help: give every statement of a policy its own `Sid`

    found 1 error (1 file scanned, 1 policy document analyzed)
    "#);
}

#[test]
fn actions_of_an_unknown_service_say_so() {
    let output = iamlint()
        .args(["actions", "foo:*", "s4:Get*", "s3:Foo*"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let date = iamlint::catalog::Catalog::get().data_day();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "foo:*: unknown service `foo`: no such service prefix in the AWS catalog of {date}\n\n\
             s4:Get*: unknown service `s4`: no such service prefix in the AWS catalog of {date}; did you mean `s3`?\n\n\
             s3:Foo*: `s3:Foo*` matches no action\n\n"
        )
    );
}

#[test]
fn a_suppression_on_any_line_of_the_statement_covers_its_findings() {
    let (code, stdout, _) = run_in(
        &support::root(),
        &[
            "check",
            "-f",
            "compact",
            "--show-suppressed",
            "--select",
            "passrole-unscoped,unused-suppression",
            "testdata/suppressions/statement",
        ],
    );
    assert_eq!(code, 1);
    // No `unused-suppression`: each comment was used.
    insta::assert_snapshot!(stdout, @r"
    testdata/suppressions/statement/main.tf:18:20: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service
    testdata/suppressions/statement/main.tf:31:18: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service
    testdata/suppressions/statement/stack.yaml:17:23: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service
    testdata/suppressions/statement/main.tf:8:20: suppressed[passrole-unscoped] `iam:PassRole` allows passing any role to any service (reason: the statement's opening brace)
    testdata/suppressions/statement/main.tf:13:20: suppressed[passrole-unscoped] `iam:PassRole` allows passing any role to any service (reason: on the Action line)
    testdata/suppressions/statement/main.tf:27:18: suppressed[passrole-unscoped] `iam:PassRole` allows passing any role to any service (reason: in a policy document block)
    testdata/suppressions/statement/stack.yaml:11:23: suppressed[passrole-unscoped] `iam:PassRole` allows passing any role to any service (reason: roles are created by this stack only)
    testdata/suppressions/statement/stack.yaml:14:23: suppressed[passrole-unscoped] `iam:PassRole` allows passing any role to any service (reason: the opening line of the statement)
    ");
}
