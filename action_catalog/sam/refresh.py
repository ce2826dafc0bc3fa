#!/usr/bin/env python3
"""Refreshes SAM's policy template definitions from a pinned aws-sam-translator wheel.

Downloads the wheel with `pip download --no-deps`, checks its sha256, and writes the
templates to policy_templates.json in a compact form (one template per line, so updates
diff well): {"source", "version", "templates": {Name: {"parameters": [...], "statement": [...]}}}.

CI never runs this; the output is committed. To update: change VERSION and SHA256 (from
https://pypi.org/project/aws-sam-translator/#files), run it, review the diff, commit.
Uses only the standard library and pip.
"""

import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

VERSION = "1.115.0"
SHA256 = "9be2d7b04041a64e89ed3fb1186f948377ecc118033a8a7538f271d4bcab0afa"
MEMBER = "samtranslator/policy_templates_data/policy_templates.json"
OUTPUT = pathlib.Path(__file__).resolve().parent / "policy_templates.json"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                "--dest", tmp, f"aws-sam-translator=={VERSION}",
            ],
            check=True,
        )
        wheels = list(pathlib.Path(tmp).glob("aws_sam_translator-*.whl"))
        if len(wheels) != 1:
            print(f"expected one wheel, found {wheels}", file=sys.stderr)
            return 1
        digest = hashlib.sha256(wheels[0].read_bytes()).hexdigest()
        if digest != SHA256:
            print(f"sha256 mismatch: expected {SHA256}, got {digest}", file=sys.stderr)
            return 1
        with zipfile.ZipFile(wheels[0]) as wheel:
            data = json.loads(wheel.read(MEMBER))
    templates = {}
    for name, template in sorted(data["Templates"].items()):
        templates[name] = {
            "parameters": sorted(template.get("Parameters", {})),
            "statement": template["Definition"]["Statement"],
        }
    lines = [
        "{",
        f'"source": "aws-sam-translator {VERSION}, {MEMBER} (Apache-2.0)",',
        f'"version": "{VERSION}",',
        '"templates": {',
    ]
    entries = [
        json.dumps(name) + ": " + json.dumps(body, separators=(",", ":"), sort_keys=True)
        for name, body in templates.items()
    ]
    lines.append(",\n".join(entries))
    lines.append("}")
    lines.append("}")
    OUTPUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {len(templates)} templates to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
