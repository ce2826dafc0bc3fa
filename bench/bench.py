#!/usr/bin/env python3
"""Speed and memory benchmark for iamlint over a generated, reproducible corpus.

Generates N raw JSON policy files (default 10,000; a deterministic mix of clean policies,
policies with findings, wrappers and non-policy JSON), then measures with a release build:
  - files per second and MB per second for `iamlint check DIR` (best of R runs),
  - peak resident memory of that run,
  - the wall time of `iamlint check one-small-file.json`, process start included
    (median of many runs),
  - the time to render 2,000 findings of one file in the human format,
  - optionally the same for a directory given with --corpus (e.g. the AWS managed policies),
  - when installed, parliament on the same single file and directory, for comparison.

Usage: python3 bench/bench.py [--files N] [--runs R] [--corpus DIR] [--binary PATH]
Nothing here is a test: numbers depend on the machine; the script only prints them.
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SERVICES = {
    "s3": ["GetObject", "PutObject", "ListBucket", "DeleteObject", "GetBucketPolicy"],
    "ec2": ["DescribeInstances", "StartInstances", "StopInstances", "TerminateInstances", "CreateTags"],
    "iam": ["PassRole", "GetRole", "ListRoles", "CreateAccessKey", "AttachRolePolicy"],
    "dynamodb": ["GetItem", "PutItem", "Query", "Scan", "UpdateItem"],
    "sqs": ["SendMessage", "ReceiveMessage", "DeleteMessage", "GetQueueAttributes"],
    "kms": ["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey"],
    "logs": ["CreateLogGroup", "CreateLogStream", "PutLogEvents"],
    "lambda": ["InvokeFunction", "CreateFunction", "UpdateFunctionCode"],
}


def resource_for(rng, service):
    account = "".join(rng.choice("0123456789") for _ in range(12))
    return {
        "s3": f"arn:aws:s3:::bucket-{rng.randrange(1000)}/*",
        "ec2": f"arn:aws:ec2:us-east-1:{account}:instance/*",
        "iam": f"arn:aws:iam::{account}:role/app-{rng.randrange(100)}",
        "dynamodb": f"arn:aws:dynamodb:eu-west-1:{account}:table/t{rng.randrange(100)}",
        "sqs": f"arn:aws:sqs:us-east-2:{account}:queue-{rng.randrange(100)}",
        "kms": f"arn:aws:kms:us-east-1:{account}:key/{rng.randrange(10**8):08d}",
        "logs": f"arn:aws:logs:us-east-1:{account}:log-group:/app/{rng.randrange(100)}:*",
        "lambda": f"arn:aws:lambda:us-east-1:{account}:function:f{rng.randrange(100)}",
    }[service]


def statement(rng, index):
    service = rng.choice(sorted(SERVICES))
    actions = rng.sample(SERVICES[service], k=rng.randint(1, 3))
    result = {
        "Sid": f"Statement{index}",
        "Effect": "Allow" if rng.random() < 0.9 else "Deny",
        "Action": [f"{service}:{a}" for a in actions],
        "Resource": resource_for(rng, service) if rng.random() < 0.85 else "*",
    }
    if rng.random() < 0.2:
        result["Condition"] = {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}
    return result


def policy(rng):
    document = {"Version": "2012-10-17", "Statement": [statement(rng, i) for i in range(rng.randint(1, 8))]}
    roll = rng.random()
    if roll < 0.05:
        del document["Version"]
    elif roll < 0.08:
        document["Statement"][0]["Effect"] = "allow"
    elif roll < 0.10:
        document = {"PolicyDocument": document}
    elif roll < 0.12:
        document = {"PolicyVersion": {"Document": json.dumps(document), "VersionId": "v1"}}
    return document


def generate(directory, count, seed=20261123):
    rng = random.Random(seed)
    total = 0
    for index in range(count):
        subdir = os.path.join(directory, f"team{index % 50:02d}", f"svc{index % 7}")
        os.makedirs(subdir, exist_ok=True)
        if index % 20 == 19:
            content = {"name": f"package-{index}", "version": "1.0.0", "dependencies": {}}
            name = "package.json" if index % 40 == 39 else f"config{index}.json"
        else:
            content = policy(rng)
            name = f"policy{index}.json"
        text = json.dumps(content, indent=2)
        with open(os.path.join(subdir, name), "w") as handle:
            handle.write(text)
        total += len(text)
    return total


def timed(command):
    """Wall time and peak RSS (KiB) of one run of command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, after if after > before else None


def peak_rss(command):
    """Peak RSS of one run, measured in a fresh Python child so earlier runs do not mask it."""
    code = (
        "import resource,subprocess,sys;"
        "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    output = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True)
    return int(output.stdout.strip() or 0)


def directory_bytes(directory):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(directory) for f in files)


def measure_directory(label, command, files, size, runs):
    times = [timed(command)[0] for _ in range(runs)]
    best = min(times)
    rss = peak_rss(command)
    print(f"{label}: {files} files, {size / 1e6:.1f} MB: best {best * 1000:.0f} ms of {runs} "
          f"({files / best:,.0f} files/s, {size / 1e6 / best:.1f} MB/s), peak RSS {rss / 1024:.1f} MiB")
    return best


def measure_single(label, command, runs):
    times = sorted(timed(command)[0] for _ in range(runs))
    median = statistics.median(times)
    print(f"{label}: median {median * 1000:.2f} ms, min {times[0] * 1000:.2f} ms over {runs} runs")
    return median


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--single-runs", type=int, default=200)
    parser.add_argument("--corpus", help="an extra directory to measure, e.g. ../shared/data/aws-managed-policies/policies")
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "iamlint"))
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = args.binary
    print(f"machine: {os.cpu_count()} cores; binary {os.path.getsize(binary) / 1e6:.1f} MB")

    with tempfile.TemporaryDirectory(prefix="iamlint-bench-") as work:
        corpus = os.path.join(work, "corpus")
        size = generate(corpus, args.files)
        check = [binary, "check", "--fail-on", "never", "--format", "compact"]
        subprocess.run(check + [corpus], stdout=subprocess.DEVNULL, check=False)  # warm the page cache
        measure_directory("iamlint, generated corpus", check + [corpus], args.files, size, args.runs)
        measure_directory("iamlint, generated corpus, --jobs 1", check + ["--jobs", "1", corpus], args.files, size, args.runs)

        single = os.path.join(work, "one-policy.json")
        with open(single, "w") as handle:
            json.dump({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}, handle, indent=2)
        ours = measure_single("iamlint check one-policy.json", check + [single], args.single_runs)

        # Rendering must stay linear: one file with thousands of findings, in the human format.
        many = os.path.join(work, "many-findings.json")
        with open(many, "w") as handle:
            json.dump({"Version": "2012-10-17", "Statement": [
                {"Sid": f"S{i}", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
                for i in range(2000)]}, handle, indent=2)
        human = [binary, "check", "--fail-on", "never", "--color", "always", "--max-findings-per-file", "0"]
        measure_single("iamlint check many-findings.json (2,000 findings, human)", human + [many], 10)

        if args.corpus:
            files = sum(len(f) for _, _, f in os.walk(args.corpus))
            measure_directory(f"iamlint, {args.corpus}", check + [args.corpus], files,
                              directory_bytes(args.corpus), args.runs)

        parliament = shutil.which("parliament")
        if parliament:
            theirs = measure_single("parliament --file one-policy.json", [parliament, "--file", single], 10)
            print(f"  ratio: iamlint is {theirs / ours:,.0f}x faster on one file")
            subset = os.path.join(corpus, "team00")
            files = sum(len(f) for _, _, f in os.walk(subset))
            t_ours = measure_directory("iamlint, team00 subset", check + [subset], files, directory_bytes(subset), 3)
            t_theirs = measure_directory("parliament, team00 subset", [parliament, "--directory", subset],
                                         files, directory_bytes(subset), 1)
            print(f"  ratio: iamlint is {t_theirs / t_ours:,.0f}x faster on {files} files")
        else:
            print("parliament not installed (pip install parliament) - skipped the comparison")


if __name__ == "__main__":
    main()
