"""Large values a one-shot command leaves for its exit to drop, not freed piece by piece.

A command-line run ends with ``os._exit`` (ADR 0008): what is still referenced then is
never freed, one object at a time, by anyone. The parsed tree of a large JSON document
is dropped as soon as it has been read, and freeing its nodes one by one cost a cold
scan of 10,000 components ~57 M instructions (~10 ms), for memory the process hands
back a moment later. So a reader offers such a tree to ``keep_until_exit``, and the
entry point decides whether it is kept: the console script (``cli.entry``) turns
keeping on; the servers and the job worker, which run for days, turn it off again; any
other process (the tests, library use) never has it on. One value is kept at a time: a
process that reads many documents holds only the last.
"""

from __future__ import annotations


class _Kept:
    """Whether values are kept, and the one kept."""

    __slots__ = ("on", "value")

    def __init__(self) -> None:
        self.on = False
        self.value: object = None


_KEPT = _Kept()


def keep_values_until_exit(on: bool = True) -> None:
    """For an entry point: whether ``keep_until_exit`` keeps what it is given (off: the
    value kept so far is released)."""
    _KEPT.on = on
    _KEPT.value = None


def keep_until_exit(value: object) -> None:
    """Hold ``value`` until the next one, or the process's exit, when keeping is on."""
    if _KEPT.on:
        _KEPT.value = value
