"""Regenerate the bundled demo data in src/cpstrust/demo from ../shared/data.

The demo supply chain is made up. Its advisory snapshot carries facts from real OSV
records (ids, aliases, packages, ranges, severity vectors) but none of their prose:
summaries are written here and details are dropped (see shared/data/README.md).
Run: .venv/bin/python scripts/make_demo_data.py
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "advisories"
OUT = ROOT / "src" / "cpstrust" / "demo"

PYPI = [
    "urllib3",
    "requests",
    "pyyaml",
    "jinja2",
    "cryptography",
    "paramiko",
    "werkzeug",
    "flask",
    "lxml",
]
GO = {
    "github.com/gogo/protobuf",
    "golang.org/x/net",
    "golang.org/x/crypto",
    "github.com/gin-gonic/gin",
    "github.com/docker/docker",
    "golang.org/x/text",
}
KEEP = (
    "schema_version",
    "id",
    "modified",
    "published",
    "withdrawn",
    "aliases",
    "related",
    "affected",
    "severity",
    "database_specific",
)


def _iso(value: object) -> str:
    # PyYAML turns OSV timestamps into datetime objects; write them back as RFC 3339.
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, datetime) else str(value)


def _strip(record: dict[str, object], package: str) -> dict[str, object]:
    out = {k: record[k] for k in KEEP if k in record}
    cves = [a for a in record.get("aliases", []) or [] if str(a).startswith("CVE-")]  # type: ignore[union-attr]
    out["summary"] = f"Known vulnerability in {package}" + (f" ({cves[0]})" if cves else "")
    for affected in out.get("affected", []):  # type: ignore[union-attr]
        affected.pop("ecosystem_specific", None)  # type: ignore[union-attr]
    return out


def main() -> int:
    if not SHARED.is_dir():
        print(f"shared advisory data not found at {SHARED}", file=sys.stderr)
        return 2
    target = OUT / "advisories"
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.json"):
        old.unlink()
    count = 0
    for name in PYPI:
        for path in sorted((SHARED / "pypa" / "vulns" / name).glob("*.yaml")):
            record = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
            (target / f"{record['id']}.json").write_text(
                json.dumps(_strip(record, name), indent=1, default=_iso)
            )
            count += 1
    for path in sorted((SHARED / "go-vulndb" / "osv").glob("*.json")):
        record = json.loads(path.read_bytes())
        names = {a["package"]["name"] for a in record.get("affected", [])}
        if names & GO:
            (target / path.name).write_text(
                json.dumps(_strip(record, sorted(names & GO)[0]), indent=1, default=_iso)
            )
            count += 1
    print(f"wrote {count} advisories to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
