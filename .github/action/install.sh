#!/usr/bin/env bash
# Installs iamlint for the GitHub Action (action.yml), in two steps around actions/cache:
#
#   install.sh resolve   which iamlint to use: writes `dir`, `key` and `ready` to $GITHUB_OUTPUT
#   install.sh install   puts it in `dir` (unless a cache restored it) and adds `dir/bin` to $GITHUB_PATH
#
# `install` downloads the release archive for the runner's OS and architecture from GitHub
# releases, with the SHA-256 file the release workflow (.github/workflows/release.yml) writes
# beside it, and verifies it; a checksum that does not match fails the step. Only when there
# is no release archive to download (the version was never released, an unknown platform) or
# with `build-from-source: true` is iamlint built from the action's own source with cargo.
#
# Environment: INPUT_VERSION, INPUT_BUILD_FROM_SOURCE (the action's inputs, for `resolve`);
# IAMLINT_DIR, IAMLINT_VERSION, IAMLINT_TARGET (the outputs of `resolve`, for `install`: no
# version means a build from source); GITHUB_ACTION_PATH, RUNNER_OS, RUNNER_ARCH,
# RUNNER_TOOL_CACHE, GITHUB_OUTPUT, GITHUB_PATH (set by the runner), and IAMLINT_RELEASE_URL
# (optional: a mirror of the releases, `<url>/v<version>/<asset>`).
set -euo pipefail

action_dir="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}"

# The version in the action's Cargo.toml: the release workflow builds tag v<version> only
# from a Cargo.toml that says <version>, so `uses: iamlint/iamlint@v0.1.0` gets 0.1.0.
manifest_value() {
    sed -n "s/^$1 = \"\\(.*\\)\"\$/\\1/p" "$action_dir/Cargo.toml" | head -n 1
}

# The release target of this runner, empty when no release binary runs on it.
release_target() {
    local os="${RUNNER_OS:-$(uname -s)}" arch="${RUNNER_ARCH:-$(uname -m)}"
    case "$os/$arch" in
        Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
        Linux/ARM64 | Linux/aarch64 | Linux/arm64) echo aarch64-unknown-linux-musl ;;
        macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
        macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
        # Windows on Arm runs x86_64 programs.
        Windows/X64 | Windows/ARM64 | MINGW*/* | MSYS*/*) echo x86_64-pc-windows-msvc ;;
        *) echo "" ;;
    esac
}

want_source() {
    [ "${INPUT_BUILD_FROM_SOURCE:-false}" = true ]
}

resolve() {
    local version target="" key dir
    version="${INPUT_VERSION:-}"
    version="${version#v}"
    # An iamlint installed by an earlier step is used as it is, unless a version is asked for.
    if [ -z "$version" ] && ! want_source && command -v iamlint >/dev/null 2>&1; then
        echo "using $(iamlint --version) from $(command -v iamlint)"
        echo "ready=true" >>"$GITHUB_OUTPUT"
        return
    fi
    want_source || target="$(release_target)"
    if [ -z "$target" ]; then
        # Built from the action's source: the cache key is what the build reads.
        version=""
        key="iamlint-source-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$(source_digest)"
    else
        [ -n "$version" ] || version="$(manifest_value version)"
        key="iamlint-$version-$target"
    fi
    dir="${RUNNER_TOOL_CACHE:-${HOME}/.cache}/iamlint/$key"
    {
        echo "dir=$dir"
        echo "key=$key"
        echo "version=$version"
        echo "target=$target"
        echo "ready=false"
    } >>"$GITHUB_OUTPUT"
}

source_digest() {
    (
        cd "$action_dir"
        find Cargo.toml Cargo.lock build.rs src action_catalog rules/data -type f -print0 |
            LC_ALL=C sort -z | xargs -0 cat | sha256
    ) | cut -c1-16
}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi
}

# Checks `<asset>.sha256` (`<hex>  <asset>`, as sha256sum writes it) in the current directory.
verify_checksum() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum -c "$1.sha256"
    else
        shasum -a 256 -c "$1.sha256"
    fi
}

# Downloads, verifies and unpacks the release into $work; returns 3 when there is no archive
# to download. Called in a condition, where `set -e` does not apply: every step checks itself.
download_release() {
    local dir="$1" version="$2" target="$3" work="$4"
    local base="${IAMLINT_RELEASE_URL:-$(manifest_value repository)/releases/download}"
    local name="iamlint-v$version-$target" extension=tar.gz binary=iamlint
    case "$target" in *windows*) extension=zip binary=iamlint.exe ;; esac
    local asset="$name.$extension"
    curl -fsSL --retry 3 -o "$work/$asset" "$base/v$version/$asset" || return 3
    # From here on a failure is an error, never a reason to build: a release whose checksum
    # is missing or wrong was tampered with or broken, and must not run.
    curl -fsSL --retry 3 -o "$work/$asset.sha256" "$base/v$version/$asset.sha256" || {
        echo "::error::$asset has no checksum file $asset.sha256 in the release"
        return 1
    }
    (cd "$work" && verify_checksum "$asset") || {
        echo "::error::$asset does not match its published SHA-256 checksum"
        return 1
    }
    case "$extension" in
        tar.gz) tar -xzf "$work/$asset" -C "$work" || return 1 ;;
        zip)
            if command -v unzip >/dev/null 2>&1; then
                unzip -q "$work/$asset" -d "$work" || return 1
            else
                7z x -y -o"$work" "$work/$asset" >/dev/null || return 1
            fi
            ;;
    esac
    mkdir -p "$dir/bin" && cp "$work/$name/$binary" "$dir/bin/$binary" && chmod +x "$dir/bin/$binary"
}

build_from_source() {
    local dir="$1"
    if ! command -v cargo >/dev/null 2>&1; then
        echo "::error::building iamlint from source needs cargo; add dtolnay/rust-toolchain@stable before this action"
        exit 2
    fi
    cargo install --locked --quiet --root "$dir" --path "$action_dir"
}

install() {
    local dir="${IAMLINT_DIR:?}" version="${IAMLINT_VERSION:-}" target="${IAMLINT_TARGET:-}" status=0 work
    # On Windows `dir` is a Windows path (actions/cache reads it too); bash works on its own form.
    if command -v cygpath >/dev/null 2>&1; then dir="$(cygpath -u "$dir")"; fi
    if [ -x "$dir/bin/iamlint" ] || [ -x "$dir/bin/iamlint.exe" ]; then
        echo "iamlint restored from the cache in $dir"
    elif [ -z "$version" ]; then
        build_from_source "$dir"
    else
        work="$(mktemp -d)"
        download_release "$dir" "$version" "$target" "$work" || status=$?
        rm -rf "$work"
        if [ "$status" -eq 3 ]; then
            echo "::warning::no release archive of iamlint v$version for $target could be downloaded; building from source (a few minutes)"
            build_from_source "$dir"
        elif [ "$status" -ne 0 ]; then
            exit "$status"
        fi
    fi
    local bin="$dir/bin"
    if command -v cygpath >/dev/null 2>&1; then bin="$(cygpath -w "$bin")"; fi
    echo "$bin" >>"$GITHUB_PATH"
    echo "installed $("$dir/bin/iamlint" --version) in $dir/bin"
}

case "${1:-}" in
    resolve) resolve ;;
    install) install ;;
    *)
        echo "usage: $0 resolve|install" >&2
        exit 2
        ;;
esac
