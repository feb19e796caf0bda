"""The `cpstrust` console script and `python -m cpstrust`.

A command is one short process that builds large acyclic structures (an SBOM's model,
tens of thousands of matches and rows): the cyclic collector's passes over them cost
35-200 ms of a 10,000-component scan and free nothing (ADR 0001), so a command runs
without it, from before its first import: the passes over the objects the imports
create cost another ~20 ms of every command. The long-running `verifier serve` turns it
back on. Kept apart from ``cli.app`` so that nothing is imported before the collector
is off.
"""

from __future__ import annotations

import gc


def main() -> None:
    gc.disable()
    from cpstrust.lifetime import keep_values_until_exit

    keep_values_until_exit()
    from cpstrust.cli.app import main as run_command

    run_command()
