#!/usr/bin/env python3
"""Speed, memory and peer comparison of iamlint over reproducible Terraform, CloudFormation
and raw JSON corpora, plus an optional mixed directory tree of a given size.

    python3 bench/suite.py                              # corpora, peers found on PATH
    python3 bench/suite.py --peers-venv /work/peers     # peers installed in a venv
    python3 bench/suite.py --big-tree 1                 # also a 1 GB mixed tree
    python3 bench/suite.py --skip-corpora --big-tree 1  # only the tree
    python3 bench/suite.py --peers-venv /work/peers --managed-policies ../shared/data/aws-managed-policies

What it does (deterministic: every generator is seeded, see --seed):

1. Builds the release binary (`cargo build --release`, skip with --no-build; --binary to
   point at another one; --target TRIPLE builds and measures that target, e.g. the static
   `x86_64-unknown-linux-musl` build the Linux release archives ship).
2. Generates three corpora in a temporary directory with the project's generators:
   - raw JSON: bench.py's generator in `policies/` (--json-files policies, wrappers and
     non-policy JSON; files with the same name in one directory overwrite each other, so a
     few hundred fewer end up on disk), plus `large/` with three policies of 1,000, 3,000
     and 5,000 statements;
   - Terraform: gen_terraform.py (--tf-files .tf files in modules of five, every 100th
     module with a ~60 KB iam.tf, and `large/main.tf` of --tf-large-mb MB, thousands of
     statements);
   - CloudFormation: gen_cloudformation.py (--cfn-files YAML/SAM/CDK-JSON templates,
     --cfn-noise Kubernetes/CI YAML files, and `large.yaml` of --cfn-large-mb MB).
3. Runs `iamlint check --format compact --fail-on never DIR` on each corpus (output to
   /dev/null; one warm-up run for the page cache, then the best of --runs) and on all three
   at once; prints files, MB, best wall time (and the CPU time, user + system, of that
   run), files/s, MB/s and peak RSS. Peak RSS is
   ru_maxrss of the command, measured in a fresh Python child per run so earlier runs
   cannot mask it; the wall time is measured inside that child, so its start-up is not
   counted.
4. Start-to-exit time of checking one small file of each format: the median of
   --single-runs runs with hyperfine (-N, no shell) when it is installed, else a loop.
5. Peers, when found (in --peers-venv DIR/bin first, then on PATH), run once each on the
   SAME inputs, output to /dev/null, exit codes ignored except to tell a crash:
   - parliament: `--directory` over the whole raw JSON corpus and over `policies/` alone,
     `--files` on the small file
     and on the 5,000-statement file (`--file` refuses to run when standard input is not a
     terminal, `--files` takes the same code path);
   - checkov: `-d SUBSET --framework terraform|cloudformation --quiet --compact
     --skip-download` on a peer-sized subset (the first --peer-files files: the first
     modules, the first templates by index), and `-f FILE` on the small and the large file;
   - cfn-lint: the subset's templates as a list of files, the small and the large template;
   - with --managed-policies DIR, parliament `--directory DIR` on a directory of AWS managed
     policies, and iamlint's CPU time per policy.
   iamlint is timed (best of --runs) on exactly the same subset or file, and the ratio is
   peer time / iamlint time. A peer that exceeds --peer-timeout seconds is killed and the
   ratio is printed as a lower bound (">"); a peer that exits with a code that is neither
   success nor "found problems" is reported as an error with the last line of its stderr.
6. Prints a markdown table: corpus | files | MB | iamlint time | files/s | MB/s | peak RSS |
   peer | peer time | ratio | peer RSS | iamlint CPU | peer CPU | CPU ratio; then the peer
   rows again as a table of ratios (wall and CPU) with whether each reaches 100x; then, unless
   --no-scaling, each corpus with --jobs 1 and --jobs 2 (wall, CPU, speed-up).
7. With --big-tree GB: generates a mixed tree of about GB gigabytes (repositories holding
   Terraform modules, CloudFormation YAML/JSON templates and raw policy JSON, varied from the
   generators' output, plus package.json, README.md, binary blobs, large non-policy YAML
   and JSON data, and every 50th repository a 20 MB blob over the 16 MiB read limit), runs
   `iamlint check --format json -o REPORT` on it once, and prints wall time, files on disk,
   files scanned, documents, findings and skipped files (from the report), GB, MB/s (over all
   bytes, and over the bytes of files with the extensions iamlint reads), peak RSS and CPU
   time; then deletes the tree.

Standard-library Python only. Numbers depend on the machine and its load; the script only
prints them. Generated data lives in a temporary directory (--keep to print it and keep
it) and is deleted afterwards.
"""

import argparse
import json
import os
import random
import shlex
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import bench  # noqa: E402  (bench.py: raw JSON generator and helpers)
import gen_cloudformation  # noqa: E402
import gen_terraform  # noqa: E402

ROOT = bench.ROOT
SEED = 20261123

# Runs a command in a fresh child, so RUSAGE_CHILDREN is that command's alone; prints the
# wall time measured around it, its peak RSS (KiB), exit code and the tail of its stderr.
WRAPPER = r"""
import json, os, resource, signal, subprocess, sys, tempfile, time
timeout = float(sys.argv[1]) or None
command = sys.argv[2:]
with tempfile.TemporaryFile() as err:
    start = time.perf_counter()
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=err, start_new_session=True)
    try:
        code, timed_out = child.wait(timeout), False
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        code, timed_out = None, True
    elapsed = time.perf_counter() - start
    err.seek(0)
    tail = [l for l in err.read().decode("utf-8", "replace").splitlines() if l.strip()][-1:]
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"elapsed": elapsed, "rss": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                  "code": code, "timed_out": timed_out, "stderr": tail[0][:200] if tail else ""}))
"""


def run(command, timeout=0):
    """One run of command: dict with elapsed (s), rss (KiB), cpu (user + system s), code,
    timed_out, stderr."""
    output = subprocess.run([sys.executable, "-c", WRAPPER, str(timeout), *command],
                            capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def best_of(command, runs):
    """Warm-up run, then the best run (wall time, its CPU time) and the largest peak RSS of
    `runs` runs."""
    run(command)
    results = [run(command) for _ in range(runs)]
    best = min(results, key=lambda r: r["elapsed"])
    return best["elapsed"], best["cpu"], max(r["rss"] for r in results), best["code"]


def single_median(command, runs):
    """Median start-to-exit wall time of command, with hyperfine when installed."""
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        with tempfile.NamedTemporaryFile(suffix=".json") as export:
            subprocess.run([hyperfine, "-N", "--warmup", "10", "--runs", str(runs), "--style", "none",
                            "-i", "--export-json", export.name, shlex.join(command)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            result = json.load(open(export.name))["results"][0]
        return result["median"], result["min"], "hyperfine"
    times = sorted(bench.timed(command)[0] for _ in range(runs))
    return statistics.median(times), times[0], "loop"


def files_and_bytes(paths):
    files = size = 0
    for path in paths:
        if os.path.isfile(path):
            files, size = files + 1, size + os.path.getsize(path)
            continue
        for directory, _, names in os.walk(path):
            files += len(names)
            size += sum(os.path.getsize(os.path.join(directory, n)) for n in names)
    return files, size


# ---------------------------------------------------------------------------------------
# corpora


def generate_json(directory, count, seed):
    """bench.py's corpus in policies/, plus three policies of thousands of statements in large/."""
    bench.generate(os.path.join(directory, "policies"), count, seed=seed)
    rng = random.Random(seed + 1)
    large = os.path.join(directory, "large")
    os.makedirs(large, exist_ok=True)
    paths = []
    for statements in (1000, 3000, 5000):
        path = os.path.join(large, f"policy-{statements}-statements.json")
        with open(path, "w") as handle:
            json.dump({"Version": "2012-10-17",
                       "Statement": [bench.statement(rng, i) for i in range(statements)]}, handle, indent=2)
        paths.append(path)
    return paths[-1]


def copy_subset(sources, base, destination):
    """Copies files or directories (paths under base) to destination, keeping relative paths."""
    for source in sources:
        target = os.path.join(destination, os.path.relpath(source, base))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.isdir(source):
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    return destination


def terraform_subset(corpus, files, destination):
    """The first modules, whole (with their policy.json), up to `files` .tf files."""
    modules = sorted(d for d in os.listdir(corpus) if d.startswith("module"))[: max(1, files // 5)]
    return copy_subset([os.path.join(corpus, m) for m in modules], corpus, destination)


def cloudformation_subset(corpus, files, destination):
    """The first templates by generation index (the fixed mix of YAML, SAM and CDK JSON)."""
    templates = os.path.join(corpus, "templates")
    chosen = sorted((n for n in os.listdir(templates) if int(n.split("-")[1][:5]) < files),
                    key=lambda n: n.split("-")[1])
    copy_subset([os.path.join(templates, n) for n in chosen], corpus, destination)
    return [os.path.join(destination, "templates", n) for n in chosen]


# ---------------------------------------------------------------------------------------
# peers


class Peers:
    OK_CODES = {"parliament": {0, 1}, "checkov": {0, 1}, "cfn-lint": set(range(2, 16, 2)) | {0}}

    def __init__(self, venv, timeout, enabled):
        self.timeout = timeout
        self.paths = {}
        for name in ("parliament", "checkov", "cfn-lint") if enabled else ():
            candidate = os.path.join(venv, "bin", name) if venv else None
            path = candidate if candidate and os.access(candidate, os.X_OK) else shutil.which(name)
            if path:
                self.paths[name] = path

    def versions(self):
        for name, path in self.paths.items():
            output = subprocess.run([path, "--version"], capture_output=True, text=True)
            version = (output.stdout or output.stderr).strip().splitlines()
            print(f"peer {name}: {path} ({version[-1] if version else 'unknown version'})")
        for name in ("parliament", "checkov", "cfn-lint"):
            if name not in self.paths:
                print(f"peer {name}: not found (pip install {name}; or --peers-venv DIR) - skipped")

    def run(self, name, arguments):
        """One run; returns (seconds or None, text for the time column, rss KiB, CPU seconds,
        error)."""
        result = run([self.paths[name], *arguments], self.timeout)
        if result["timed_out"]:
            return result["elapsed"], f"timeout > {self.timeout:.0f} s", None, result["cpu"], None
        if result["code"] not in self.OK_CODES[name]:
            return None, "error", None, None, f"exit {result['code']}: {result['stderr']}"
        return result["elapsed"], seconds(result["elapsed"]), result["rss"], result["cpu"], None


def seconds(value):
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def mebibytes(kib):
    return f"{kib / 1024:.1f} MiB" if kib else "-"


# ---------------------------------------------------------------------------------------
# the table


def markdown(header, rows):
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


# What issue 19 asks of every peer comparison: iamlint at least this many times faster.
TARGET_RATIO = 100


class Table:
    HEADER = ["corpus", "files", "MB", "iamlint time", "files/s", "MB/s", "peak RSS",
              "peer", "peer time", "ratio", "peer RSS", "iamlint CPU", "peer CPU", "CPU ratio"]
    PEER_HEADER = ["corpus", "peer", "iamlint time", "peer time", "ratio", "iamlint CPU", "peer CPU",
                   "CPU ratio", f">= {TARGET_RATIO}x"]

    def __init__(self):
        self.rows = []
        self.peer_rows = []

    def add(self, corpus, files, size, elapsed, cpu, rss, peer="-", peer_text="-", peer_seconds=None,
            peer_rss=None, peer_cpu=None, error=None, note=""):
        bound = ">" if peer_text.startswith("timeout") else ""
        if error:
            ratio = f"error ({error})"
        elif peer_seconds is None:
            ratio = "-"
        else:
            ratio = bound + f"{peer_seconds / elapsed:,.0f}x"
        # On a shared machine the wall time of either side depends on the load; CPU time less so.
        cpu_ratio = bound + f"{peer_cpu / cpu:,.0f}x" if peer_cpu and cpu else "-"
        row = [corpus, f"{files:,}", f"{size / 1e6:.2f}", seconds(elapsed) + note,
               f"{files / elapsed:,.0f}", f"{size / 1e6 / elapsed:.1f}", mebibytes(rss),
               peer, peer_text, ratio, mebibytes(peer_rss), seconds(cpu) if cpu is not None else "-",
               seconds(peer_cpu) if peer_cpu is not None else "-", cpu_ratio]
        self.rows.append(row)
        if peer_seconds is not None or error:
            met = "-" if error else ("yes" if peer_seconds / elapsed >= TARGET_RATIO else "no")
            self.peer_rows.append([corpus, peer, seconds(elapsed) + note, peer_text, ratio,
                                   row[11], row[12], cpu_ratio, met])
        print("  " + " | ".join(row), flush=True)

    def print(self):
        markdown(self.HEADER, self.rows)
        if self.peer_rows:
            print("\npeers, one row per corpus and peer (ratio = peer time / iamlint time on the same input):")
            markdown(self.PEER_HEADER, self.peer_rows)


def linkage(binary):
    """"static" or "dynamic" for a little-endian 64-bit ELF binary (whether a program header
    names a dynamic loader), else "": a static binary starts in about half a millisecond less."""
    with open(binary, "rb") as handle:
        head = handle.read(64)
        if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2 or head[5] != 1:
            return ""
        (table_offset,) = struct.unpack_from("<Q", head, 0x20)
        entry_size, entries = struct.unpack_from("<HH", head, 0x36)
        handle.seek(table_offset)
        table = handle.read(entry_size * entries)
    interpreter = 3  # PT_INTERP
    kinds = [struct.unpack_from("<I", table, i * entry_size)[0] for i in range(entries)]
    return "dynamic" if interpreter in kinds else "static"


def measure(table, peers, args, check, corpus, paths, peer_runs=(), single=False):
    """iamlint on paths (best of --runs, or the median start-to-exit time of one small file),
    then each peer (name, label, arguments) once on the same paths."""
    files, size = files_and_bytes(paths)
    if single:
        elapsed, _, how = single_median(check + paths, args.single_runs)
        one = run(check + paths)
        rss, cpu = one["rss"], one["cpu"]
        note = f" (median of {args.single_runs}, {how})"
    else:
        elapsed, cpu, rss, code = best_of(check + paths, args.runs)
        note = "" if code in (0, 1) else f" (exit {code})"
    available = [p for p in peer_runs if p[0] in peers.paths]
    if not available:
        table.add(corpus, files, size, elapsed, cpu, rss, note=note)
    for name, label, arguments in available:
        peer_seconds, text, peer_rss, peer_cpu, error = peers.run(name, arguments)
        table.add(corpus, files, size, elapsed, cpu, rss, label, text, peer_seconds, peer_rss, peer_cpu,
                  error, note)
    return files, cpu


def corpora(args, binary, peers, work):
    check = [binary, "check", "--fail-on", "never", "--format", "compact"]
    table = Table()
    started = time.perf_counter()

    json_dir = os.path.join(work, "json")
    tf_dir = os.path.join(work, "terraform")
    cfn_dir = os.path.join(work, "cloudformation")
    json_large = generate_json(json_dir, args.json_files, args.seed)
    gen_terraform.generate(tf_dir, args.tf_files, args.tf_large_mb, seed=args.seed, quiet=True)
    gen_cloudformation.generate(cfn_dir, args.cfn_files, args.cfn_noise, args.cfn_large_mb,
                                seed=args.seed, quiet=True)
    subsets = os.path.join(work, "subsets")
    tf_subset = terraform_subset(tf_dir, args.peer_files, os.path.join(subsets, "terraform"))
    cfn_subset_files = cloudformation_subset(cfn_dir, args.peer_files, os.path.join(subsets, "cloudformation"))
    cfn_subset = os.path.join(subsets, "cloudformation")
    print(f"generated the corpora in {time.perf_counter() - started:.1f} s under {work}")

    small = {}
    small["json"] = os.path.join(work, "one-policy.json")
    with open(small["json"], "w") as handle:
        json.dump({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}, handle, indent=2)
    small["tf"] = os.path.join(tf_dir, "module00000", "main.tf")
    small["cfn"] = os.path.join(cfn_dir, "templates", "stack-00000.yaml")
    tf_large = os.path.join(tf_dir, "large", "main.tf")
    cfn_large = os.path.join(cfn_dir, "large.yaml")

    def checkov(framework, target, flag="-d"):
        return ["--framework", framework, "--quiet", "--compact", "--skip-download", flag, target]

    print("\nrows as they are measured (the table is repeated at the end):")
    measure(table, peers, args, check, "raw JSON", [json_dir],
            [("parliament", "parliament --directory", ["--directory", json_dir])])
    measure(table, peers, args, check, "raw JSON, policies/ only (no large files)", [os.path.join(json_dir, "policies")],
            [("parliament", "parliament --directory", ["--directory", os.path.join(json_dir, "policies")])])
    measure(table, peers, args, check, "raw JSON, one small file", [small["json"]],
            [("parliament", "parliament --files", ["--files", small["json"]])], single=True)
    measure(table, peers, args, check, "raw JSON, one 5,000-statement file", [json_large],
            [("parliament", "parliament --files", ["--files", json_large])])
    per_policy = None
    if args.managed_policies:
        managed = os.path.abspath(args.managed_policies)
        _, cpu = measure(table, peers, args, check, "AWS managed policies", [managed],
                         [("parliament", "parliament --directory", ["--directory", managed])])
        policies = sum(name.endswith(".json") for _, _, names in os.walk(managed) for name in names)
        per_policy = (policies, cpu / max(policies, 1))

    measure(table, peers, args, check, "Terraform", [tf_dir])
    measure(table, peers, args, check, f"Terraform, first {args.peer_files} .tf files", [tf_subset],
            [("checkov", "checkov -d (terraform)", checkov("terraform", tf_subset))])
    measure(table, peers, args, check, "Terraform, one small file", [small["tf"]],
            [("checkov", "checkov -f (terraform)", checkov("terraform", small["tf"], "-f"))], single=True)
    measure(table, peers, args, check, f"Terraform, large main.tf ({args.tf_large_mb:g} MB)", [tf_large],
            [("checkov", "checkov -f (terraform)", checkov("terraform", tf_large, "-f"))])

    measure(table, peers, args, check, "CloudFormation", [cfn_dir])
    measure(table, peers, args, check, f"CloudFormation, first {args.peer_files} templates", [cfn_subset],
            [("checkov", "checkov -d (cloudformation)", checkov("cloudformation", cfn_subset)),
             ("cfn-lint", "cfn-lint FILES", cfn_subset_files)])
    measure(table, peers, args, check, "CloudFormation, one small template", [small["cfn"]],
            [("checkov", "checkov -f (cloudformation)", checkov("cloudformation", small["cfn"], "-f")),
             ("cfn-lint", "cfn-lint FILE", [small["cfn"]])], single=True)
    measure(table, peers, args, check, f"CloudFormation, large.yaml ({args.cfn_large_mb:g} MB)", [cfn_large],
            [("checkov", "checkov -f (cloudformation)", checkov("cloudformation", cfn_large, "-f")),
             ("cfn-lint", "cfn-lint FILE", [cfn_large])])

    measure(table, peers, args, check, "all three corpora, one run", [json_dir, tf_dir, cfn_dir])
    measure(table, peers, args, check + ["--jobs", "1"], "all three corpora, --jobs 1",
            [json_dir, tf_dir, cfn_dir])
    table.print()
    print(f"\niamlint time: best of {args.runs} runs after a warm-up (one small file: median start-to-exit "
          f"of {args.single_runs}); iamlint CPU: user + system time of that run; peers: one run each, "
          f"timeout {args.peer_timeout:.0f} s; ratio = peer time / iamlint time on the same input, CPU "
          f"ratio the same with CPU times; load average now {os.getloadavg()[0]:.2f}.")
    if per_policy:
        policies, cpu = per_policy
        print(f"\nAWS managed policies: {policies:,} policies, iamlint CPU per policy "
              f"{cpu * 1e6:,.0f} us (user + system time of the run / policies, start-up included)")
    if not args.no_scaling:
        scaling(args, check, [("raw JSON", json_dir), ("Terraform", tf_dir), ("CloudFormation", cfn_dir)]
                + ([("AWS managed policies", os.path.abspath(args.managed_policies))] if args.managed_policies else []))


def scaling(args, check, corpora):
    """Each corpus with one and two threads: how close a 2-core CI runner gets to 2x."""
    rows = []
    for name, path in corpora:
        one, one_cpu, _, _ = best_of(check + ["--jobs", "1", path], args.runs)
        two, two_cpu, _, _ = best_of(check + ["--jobs", "2", path], args.runs)
        rows.append([name, seconds(one), seconds(one_cpu), seconds(two), seconds(two_cpu), f"{one / two:.2f}x"])
        print("  " + " | ".join(rows[-1]), flush=True)
    print("\nthreads: best of --runs with --jobs 1 and --jobs 2 (CPU: user + system of that run):")
    markdown(["corpus", "--jobs 1", "CPU", "--jobs 2", "CPU", "speed-up"], rows)


# ---------------------------------------------------------------------------------------
# --big-tree


def pool(work, seed):
    """Policy-bearing files to vary and copy into the big tree: (relative path, text) lists."""
    staging = os.path.join(work, "pool")
    gen_terraform.generate(os.path.join(staging, "tf"), 2000, seed=seed, quiet=True)
    gen_cloudformation.generate(os.path.join(staging, "cfn"), 1000, noise=200, seed=seed, quiet=True)
    bench.generate(os.path.join(staging, "json"), 2000, seed=seed)

    def read(base):
        out = []
        for directory, _, names in sorted(os.walk(base)):
            for name in sorted(names):
                path = os.path.join(directory, name)
                out.append((os.path.relpath(path, base), open(path).read()))
        return out

    tf_files = read(os.path.join(staging, "tf"))
    modules = {}
    for path, text in tf_files:
        modules.setdefault(path.split(os.sep)[0], []).append((path.split(os.sep, 1)[1], text))
    result = {"tf": [modules[m] for m in sorted(modules)],
              "cfn": read(os.path.join(staging, "cfn", "templates")),
              "noise": read(os.path.join(staging, "cfn", "noise")),
              "json": [(p.replace(os.sep, "-"), t) for p, t in read(os.path.join(staging, "json"))]}
    shutil.rmtree(staging)
    return result


def big_yaml(rng, noise, megabytes):
    """A large multi-document Kubernetes-style YAML stream: no template, no policy."""
    parts, size = [], 0
    while size < megabytes * 1e6:
        _, text = rng.choice(noise)
        text = text.replace("app", f"app{rng.randrange(10**6)}")
        parts.append(text)
        size += len(text) + 4
    return "---\n".join(parts)


def big_json_data(rng, megabytes):
    """A large JSON data file (an array of records): read as JSON, holds no policy."""
    records, size = [], 0
    while size < megabytes * 1e6:
        record = {"id": rng.randrange(10**9), "name": f"item-{rng.randrange(10**6)}",
                  "tags": [f"t{rng.randrange(100)}" for _ in range(3)], "price": rng.randrange(10**5) / 100}
        records.append(record)
        size += 90
    return json.dumps(records)


README = """# service {k}

Infrastructure and policies for service {k}. Run `make deploy`.

## Layout

- `infra/terraform`: Terraform modules
- `infra/cloudformation`: CloudFormation and SAM templates
- `policies`: IAM policies as JSON
"""


# Extensions iamlint reads when walking (README, "Which files"); other files are not opened.
LOOKED_AT = (".tf", ".json", ".yaml", ".yml", ".template")


def generate_big_tree(root, gigabytes, seed, work):
    """Repositories of about 4 MB each until the tree holds `gigabytes` GB; returns (files, bytes)."""
    rng = random.Random(seed)
    source = pool(work, seed)
    blobs = [rng.randbytes(1 << 20) for _ in range(4)]
    huge_blob = rng.randbytes(20 << 20)
    target = gigabytes * 1e9
    files = written = readable = 0
    repo = 0

    def write(path, data):
        nonlocal files, written, readable
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(path, mode) as handle:
            handle.write(data)
        files += 1
        written += len(data)
        if path.endswith(LOOKED_AT) and len(data) <= 16 << 20:
            readable += len(data)

    while written < target:
        base = os.path.join(root, f"repo{repo:04d}")
        tag = f"r{repo}"
        # Terraform: 40 modules, a rotating window over the pool, names varied per repository.
        for m in range(40):
            module = source["tf"][(repo * 37 + m) % len(source["tf"])]
            for name, text in module:
                text = f"# {tag}\n" + text.replace("svc", f"{tag}svc")
                write(os.path.join(base, "infra", "terraform", f"mod{m:02d}", name), text)
        # CloudFormation: 200 templates (YAML, SAM, CDK JSON).
        for t in range(200):
            name, text = source["cfn"][(repo * 53 + t) % len(source["cfn"])]
            if name.endswith(".yaml"):
                text = f"# {tag}\n" + text.replace("generated stack", f"generated stack {tag}")
            else:
                text = text.replace("HandlerServiceRole", f"Handler{tag}ServiceRole")
            write(os.path.join(base, "infra", "cloudformation", name), text)
        # Raw policy JSON: 400 files.
        for p in range(400):
            name, text = source["json"][(repo * 101 + p) % len(source["json"])]
            write(os.path.join(base, "policies", name), text.replace("bucket-", f"bucket-{tag}-"))
        # Files that hold no policy.
        write(os.path.join(base, "package.json"), json.dumps(
            {"name": f"service-{repo}", "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}, indent=2))
        write(os.path.join(base, "README.md"), README.format(k=repo) * 20)
        write(os.path.join(base, "deploy", "manifests.yaml"), big_yaml(rng, source["noise"], 0.6))
        for n in range(10):
            name, text = source["noise"][(repo * 7 + n) % len(source["noise"])]
            write(os.path.join(base, ".github" if n == 0 else "ci", f"{n}-{name}"), text)
        write(os.path.join(base, "data", "catalog.json"), big_json_data(rng, 0.4))
        blob = blobs[repo % len(blobs)]
        write(os.path.join(base, "assets", "logo.png"), blob[: 200_000])
        write(os.path.join(base, "assets", "model.bin"), blob)
        write(os.path.join(base, "dist", "bundle.zip"), blobs[(repo + 1) % len(blobs)][: 300_000] + tag.encode())
        if repo % 50 == 49:
            write(os.path.join(base, "data", "huge-export.json"), huge_blob)
        repo += 1
    return files, written, readable, repo


def big_tree(args, binary, work):
    root = os.path.join(work, "big-tree")
    started = time.perf_counter()
    files, size, readable, repos = generate_big_tree(root, args.big_tree, args.seed, work)
    generated = time.perf_counter() - started
    print(f"\nbig tree: {files:,} files, {size / 1e9:.2f} GB in {repos} repositories under {root}, "
          f"generated in {generated:.0f} s; {readable / 1e6:,.0f} MB in files with the extensions iamlint reads "
          f"({', '.join(LOOKED_AT)}, at most 16 MiB)")
    report = os.path.join(work, "big-tree-report.json")
    result = run([binary, "check", "--fail-on", "never", "--format", "json", "-o", report, root])
    with open(report) as handle:
        data = json.load(handle)
    findings = len(data.get("findings", []))
    elapsed = result["elapsed"]
    print(f"big tree: iamlint check --format json -o REPORT, one run, exit {result['code']}")
    print()
    print("| tree | files on disk | files scanned | policy documents | findings | skipped | GB "
          "| wall time | files/s (on disk) | MB/s | MB/s (read) | peak RSS | CPU |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| mixed, {args.big_tree:g} GB | {files:,} | {data.get('files_scanned', 0):,} | "
          f"{data.get('documents_analyzed', 0):,} | {findings:,} | {len(data.get('skipped', [])):,} | "
          f"{size / 1e9:.2f} | {seconds(elapsed)} | {files / elapsed:,.0f} | {size / 1e6 / elapsed:,.0f} | "
          f"{readable / 1e6 / elapsed:,.0f} | {mebibytes(result['rss'])} | {seconds(result['cpu'])} |")
    print(f"MB/s (read): MB in files with the extensions iamlint reads / wall time; load average now "
          f"{os.getloadavg()[0]:.2f}")
    os.remove(report)
    started = time.perf_counter()
    shutil.rmtree(root)
    print(f"big tree: deleted in {time.perf_counter() - started:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json-files", type=int, default=10_000)
    parser.add_argument("--tf-files", type=int, default=5_000)
    parser.add_argument("--tf-large-mb", type=float, default=2)
    parser.add_argument("--cfn-files", type=int, default=5_000)
    parser.add_argument("--cfn-noise", type=int, default=1_000)
    parser.add_argument("--cfn-large-mb", type=float, default=5)
    parser.add_argument("--runs", type=int, default=5, help="iamlint runs per measurement (best is kept)")
    parser.add_argument("--single-runs", type=int, default=200, help="runs for the one-small-file median")
    parser.add_argument("--peer-files", type=int, default=200, help="size of the peers' subsets")
    parser.add_argument("--peer-timeout", type=float, default=300, help="seconds before a peer run is killed")
    parser.add_argument("--peers-venv", help="a virtualenv holding parliament, checkov, cfn-lint")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--managed-policies", metavar="DIR",
                        help="also a directory of AWS managed policies (../shared/data/aws-managed-policies), "
                             "against parliament, with the CPU time per policy")
    parser.add_argument("--no-scaling", action="store_true", help="skip the --jobs 1 / --jobs 2 table")
    parser.add_argument("--big-tree", type=float, metavar="GB", help="also check a mixed tree of this size")
    parser.add_argument("--skip-corpora", action="store_true", help="only the --big-tree measurement")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--target", metavar="TRIPLE",
                        help="build and measure this target (cargo build --release --target TRIPLE); a musl "
                             "target needs its C compiler, e.g. CC_x86_64_unknown_linux_musl=musl-gcc")
    parser.add_argument("--binary", help="the iamlint to measure (default: the release build of --target, "
                                         "else of the host, under $CARGO_TARGET_DIR or target/)")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--workdir", help="where to generate (default: a new temporary directory)")
    parser.add_argument("--keep", action="store_true", help="do not delete the generated data")
    args = parser.parse_args()

    target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    target = ["--target", args.target] if args.target else []
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", *target], cwd=ROOT, check=True)
    binary = os.path.abspath(args.binary or os.path.join(target_dir, *([args.target] if args.target else []),
                                                         "release", "iamlint"))
    if not os.access(binary, os.X_OK):
        sys.exit(f"no iamlint binary at {binary}: build it, set CARGO_TARGET_DIR, or pass --binary")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    linked = linkage(binary)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; {version}, "
          f"binary {binary} ({os.path.getsize(binary) / 1e6:.1f} MB{', ' + linked if linked else ''})")
    peers = Peers(args.peers_venv, args.peer_timeout, not args.no_peers and not args.skip_corpora)
    if not args.skip_corpora:
        peers.versions()

    work = tempfile.mkdtemp(prefix="iamlint-suite-", dir=args.workdir)
    try:
        if not args.skip_corpora:
            corpora(args, binary, peers, work)
        if args.big_tree:
            big_tree(args, binary, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
