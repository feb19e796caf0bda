"""The steps of one cold file scan, cumulatively, for counting instructions by stage
(issue 11, ADR 0008): run it once per stage under callgrind, in a directory prepared by
``bench_scan.py --prepare DIR --components 10000``, and take differences.

    cd DIR && for n in 0 1 2 3 4 5 6; do
      CPSTRUST_HOME=DIR/home CPSTRUST_DATABASE_URL=sqlite:///DIR/scan.db \\
      valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench/cli_scan_stages.py $n bom-7.json
    done

Stages: 0 the scan command's imports; 1 reading and validating the SBOM; 2 purl
disagreements; 3 opening the store and resolving purls; 4 reading the records; 5
matching; 6 the JSON report (written to /dev/null). Instructions, unlike wall time, do
not move with the other core's load.
"""

from __future__ import annotations

import gc
import os
import sys

gc.disable()  # as the console script does (cli.entry)
STAGE, SBOM = int(sys.argv[1]), sys.argv[2]

from pathlib import Path  # noqa: E402

import cpstrust.cli.scan  # noqa: E402,F401  the command's imports, as the CLI loads them
from cpstrust.app.advisory_lookup import StoredAdvisoryLookup  # noqa: E402
from cpstrust.app.services import Services  # noqa: E402
from cpstrust.cli.output import ReportFormat  # noqa: E402
from cpstrust.cli.scan import _render  # noqa: E402
from cpstrust.formats.sbom import read_sbom_file  # noqa: E402
from cpstrust.limits import DEFAULT_LIMITS  # noqa: E402
from cpstrust.model.sbom import SbomDetail  # noqa: E402
from cpstrust.packages.purls import resolve_purl  # noqa: E402
from cpstrust.sbom.consistency import purl_disagreements  # noqa: E402
from cpstrust.settings import Settings  # noqa: E402
from cpstrust.vulndb.matching import _Scan  # noqa: E402


def main() -> None:
    if STAGE < 1:
        return
    sbom, _raw = read_sbom_file(Path(SBOM), DEFAULT_LIMITS, SbomDetail.IDENTITY)
    if STAGE < 2:
        return
    tuple(purl_disagreements(sbom.components))
    if STAGE < 3:
        return
    services = Services(Settings.from_env())
    with services.advisory_reads() as reads:
        scan = _Scan(StoredAdvisoryLookup(reads, services.advisory_cache))
        purls = {c.purl for c in sbom.components if c.purl}
        keys = {r.key for p in purls if (r := resolve_purl(p)) is not None}
        if STAGE < 4:
            return
        scan.found = scan.lookup.affected_for(keys)
        if STAGE < 5:
            return
        scan.scan(sbom.components)
    if STAGE < 6:
        return
    sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115  the process ends right after
    _render(None, list(scan.matches), {"components": len(sbom.components)},  # type: ignore[arg-type]
            ReportFormat.JSON, {}, {})


main()
os._exit(0)  # as the console script leaves: no teardown
