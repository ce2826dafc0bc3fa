#!/usr/bin/env bash
# Seeds each target's corpus from testdata/ and fuzzes every target (or those named) for
# SECONDS each:  fuzz/run.sh SECONDS [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`); `-s none` builds on stable Rust. A crash
# leaves its input in fuzz/artifacts/TARGET/ and makes the script fail.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:?usage: fuzz/run.sh SECONDS [TARGET...]}"
shift
# libFuzzer reads a total time of 0 as "run forever".
if ! [ "$seconds" -gt 0 ] 2>/dev/null; then
    echo "SECONDS must be a positive number of seconds" >&2
    exit 2
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(json_policy terraform cloudformation_yaml cloudformation_json check repository)
fi
testdata=../testdata

# Copies every file under testdata/ whose name matches one of the patterns into a corpus.
seed() {
    local corpus=$1 prefix=$2
    shift 2
    mkdir -p "$corpus"
    local pattern file
    for pattern in "$@"; do
        find "$testdata" -type f -name "$pattern" -size -64k -print0 |
            while IFS= read -r -d '' file; do
                local seed
                seed="$corpus/seed-$(printf '%s' "$file" | cksum | cut -d' ' -f1)"
                [ -e "$seed" ] && continue
                { printf '%s' "$prefix"; cat "$file"; } >"$seed"
            done
    done
}

# The `check` target reads "NAME\nBYTES": each seed keeps its file's own name.
seed_check() {
    local corpus=corpus/check file
    mkdir -p "$corpus"
    find "$testdata" -type f ! -name '*.snap' -size -64k -print0 |
        while IFS= read -r -d '' file; do
            local seed
            seed="$corpus/seed-$(printf '%s' "$file" | cksum | cut -d' ' -f1)"
            [ -e "$seed" ] && continue
            { printf '%s\n' "$(basename "$file")"; cat "$file"; } >"$seed"
        done
}

# The `repository` target reads files introduced by `--- PATH` lines: each seed is one
# directory of testdata/ holding Terraform (its files and those of its subdirectories).
seed_repository() {
    local corpus=corpus/repository dir
    mkdir -p "$corpus"
    find "$testdata" -type f -name '*.tf' -printf '%h\n' | sort -u |
        while IFS= read -r dir; do
            local seed file
            seed="$corpus/seed-$(printf '%s' "$dir" | cksum | cut -d' ' -f1)"
            [ -e "$seed" ] && continue
            # `sed` reads to the end: `head` would leave `sort` writing into a closed pipe,
            # which `pipefail` turns into a failure once a directory lists more than a buffer.
            find "$dir" -type f ! -name '*.snap' -size -16k | sort | sed -n '1,16p' |
                while IFS= read -r file; do
                    printf -- '--- %s\n' "${file#"$dir"/}"
                    cat "$file"
                    printf '\n'
                done >"$seed"
        done
}

for target in "${targets[@]}"; do
    case $target in
        json_policy) seed corpus/json_policy "" '*.json' ;;
        terraform)
            seed corpus/terraform $'\x00' '*.tf'
            seed corpus/terraform $'\x01' '*.tf.json'
            ;;
        cloudformation_yaml) seed corpus/cloudformation_yaml "" '*.yaml' '*.yml' '*.template' ;;
        cloudformation_json) seed corpus/cloudformation_json "" '*.json' '*.template' ;;
        check) seed_check ;;
        repository) seed_repository ;;
        *)
            echo "unknown target: $target" >&2
            exit 2
            ;;
    esac
done

cargo fuzz build -s none
mkdir -p logs
for target in "${targets[@]}"; do
    echo "== fuzz $target for ${seconds}s"
    status=0
    cargo fuzz run -s none "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 >"logs/$target.log" 2>&1 || status=$?
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|^#[0-9]+ +DONE' \
        "logs/$target.log" || true
    if [ "$status" -ne 0 ]; then
        tail -n 40 "logs/$target.log" >&2
        echo "fuzz target $target failed (exit $status); its input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
