"""Pausing the cyclic garbage collector around bulk, acyclic allocation."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause collection for the block, restoring the previous state afterwards.

    Reading an SBOM and matching it allocate hundreds of thousands of acyclic objects;
    the collector's passes over them cost 35 ms (read) and 100-200 ms (match) of a
    10,000-component scan and free nothing (bench/bench_scan.py, ADR 0001).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
