"""Set, change and clear the stored licence policy over N stored releases x M components.

The releases are stored as `chain load` stores them (without matching: licence findings
need no advisories), from the realistic SBOMs of bench_ingest (each component declares
one of ten licences: MIT, Apache-2.0, BSD, ISC, MPL-2.0, LGPL-3.0-or-later,
GPL-3.0-only, PSF-2.0, Unlicense). Then, each one transaction as the command runs it:

1. set a policy denying copyleft, reviewing weak copyleft, with a conflict rule between
   copyleft and Apache-2.0: every flagged component a new finding, every finding an
   ``introduced`` event;
2. set a changed policy (weak copyleft now allowed, MIT to review): some findings
   resolved, some introduced, the rest seen again;
3. set it again with an override for one product and one for each organisation
   (issue 12 §4 scopes): only that product's findings move, every release is read again
   under the overrides of its product and supplier;
4. clear it: every standing licence finding resolved.

Each is reported in wall time and in this process's CPU time (the machine is shared);
the reference in the same run is reading every kept SBOM again at the detail licences
need (what `licenses check --product` does for each release), which each step must do.

    .venv/bin/python bench/bench_licence_policy.py                 # 1,000 x 1,000
    .venv/bin/python bench/bench_licence_policy.py --sboms 100     # quicker
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select

from bench_ingest import _services, load, supply_chain, write_sboms
from cpstrust.app.licence_policy import clear_licence_policy, set_licence_policy
from cpstrust.app.sbom_batch import SbomToImport
from cpstrust.app.sboms import import_sboms
from cpstrust.model.sbom import SbomDetail
from cpstrust.store.db import Store
from cpstrust.store.graph import load_supply_chain
from cpstrust.store.licence_findings import current_sboms, releases_with_sboms
from cpstrust.store.sboms import sbom_with_digest
from cpstrust.store.tables import EventRow, FindingRow

STRICT = """\
version: 1
default: allow
missing: review
categories: {copyleft: deny, copyleft-limited: review}
conflicts:
  - between: ["category:copyleft", Apache-2.0]
    decision: deny
"""
CHANGED = STRICT.replace("copyleft-limited: review", "copyleft-limited: allow") + \
    "licenses: {MIT: review}\n"

T = TypeVar("T")


def timed(step: Callable[[], T]) -> tuple[T, float, float]:
    """The result, wall seconds and this process's CPU seconds of ``step``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = step()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def reread_all(store: Store) -> int:
    """The reference: every kept SBOM read again at quality detail; components read."""
    with store.transaction() as session:
        digests = current_sboms(session, releases_with_sboms(session))
        return sum(len(s.components) for sha256 in digests.values()
                   if (s := sbom_with_digest(session, sha256, SbomDetail.QUALITY)) is not None)


def scoped(policy: str, product: str, organisations: Iterable[str]) -> str:
    """``policy`` with MIT allowed for ``product``, and an override for every
    organisation that changes nothing its products hold (one judge each)."""
    orgs = "".join(f"  {json.dumps(o)}: {{licenses: {{0BSD: deny}}}}\n"
                   for o in sorted(organisations))
    return (f"{policy}organisations:\n{orgs}"
            f"products:\n  {json.dumps(product)}: {{licenses: {{MIT: allow}}}}\n")


def counts(store: Store) -> str:
    with store.transaction() as session:
        standing = session.scalar(select(func.count()).select_from(FindingRow).where(
            FindingRow.kind == "licence", FindingRow.status.in_(["open", "accepted"])))
        events = session.scalar(select(func.count()).select_from(EventRow))
    return f"{standing:,} licence findings standing, {events:,} events in all"


def main() -> int:
    gc.disable()  # as the cpstrust command does
    parser = argparse.ArgumentParser()
    parser.add_argument("--sboms", type=int, default=1000)
    parser.add_argument("--components", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cpstrust-bench-"))
    paths = write_sboms(work, args.sboms, args.components)
    chain = supply_chain(args.sboms)
    store = Store.open(f"sqlite:///{work / 'store.db'}")
    services = _services(store)
    with store.transaction() as session:
        load_supply_chain(session, chain)
    import_sboms(services, [SbomToImport(p, r.product, r.version)
                            for p, r in zip(paths, chain.releases, strict=True)],
                 evaluate=False)
    policies = work / "strict.yaml", work / "changed.yaml", work / "scoped.yaml"
    policies[0].write_text(STRICT)
    policies[1].write_text(CHANGED)
    policies[2].write_text(scoped(CHANGED, chain.releases[0].product,
                                  {o.name for o in chain.organizations}))
    print(f"stored {args.sboms} x {args.components}: {load()}", flush=True)

    components, ref_wall, ref_cpu = timed(lambda: reread_all(store))
    print(f"reference: read {components:,} components again: {ref_wall:.1f} s "
          f"(CPU {ref_cpu:.1f} s)", flush=True)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("set", lambda: set_licence_policy(services, policies[0])),
        ("change", lambda: set_licence_policy(services, policies[1])),
        ("scoped", lambda: set_licence_policy(services, policies[2])),
        ("clear", lambda: clear_licence_policy(services)),
    ]
    for name, step in steps:
        change, wall, cpu = timed(step)
        print(f"{name:7s} {wall:6.1f} s (CPU {cpu:5.1f} s; {cpu / ref_cpu:.2f}x the re-read), "
              f"{components / wall:9,.0f} components/s: {change}; {counts(store)}; {load()}",
              flush=True)
    store.close()
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
