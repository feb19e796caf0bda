"""The console script: the cyclic collector is off before the first import of a command
and a read document is left for the exit to drop (the entry point decides process-wide
state, ADR 0008), and importing the entry point alone changes nothing."""

from __future__ import annotations

import subprocess
import sys
import weakref
from collections.abc import Iterator
from importlib.metadata import entry_points

import pytest

from cpstrust.lifetime import keep_until_exit, keep_values_until_exit

CHECK = """
import gc, sys
import cpstrust.cli.entry
assert gc.isenabled(), "importing the entry point turned the collector off"
assert "cpstrust.cli.app" not in sys.modules and "typer" not in sys.modules, "imported early"
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "cpstrust.cli.app":
            print("collector on at the command's first import:", gc.isenabled(), flush=True)
        return None
sys.meta_path.insert(0, Watch())
import cpstrust.lifetime
assert not cpstrust.lifetime._KEPT.on, "importing turned keeping on"
sys.argv = ["cpstrust", "--help"]
import atexit
atexit.register(lambda: print("unreached"))  # os._exit skips it
import os
real_exit = os._exit
def leave(code):
    print("keeping at exit:", cpstrust.lifetime._KEPT.on, flush=True)
    real_exit(code)
os._exit = leave
cpstrust.cli.entry.main()  # leaves by os._exit, as every command does
"""


def test_the_console_script_is_the_entry_point() -> None:
    (script,) = entry_points(group="console_scripts", name="cpstrust")
    assert script.value == "cpstrust.cli.entry:main"


def test_the_collector_is_off_before_the_commands_are_imported() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "collector on at the command's first import: False" in done.stdout


def test_the_console_script_keeps_a_read_document_for_its_exit_to_drop() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "keeping at exit: True" in done.stdout
    assert "unreached" not in done.stdout


class _Tree(dict[str, object]):
    """A parsed document that a weak reference can follow."""


@pytest.fixture
def keeping() -> Iterator[None]:
    keep_values_until_exit()
    yield
    keep_values_until_exit(False)


def test_keeping_is_off_unless_an_entry_point_turns_it_on() -> None:
    tree = _Tree()
    gone = weakref.ref(tree)
    keep_until_exit(tree)
    del tree
    assert gone() is None


@pytest.mark.usefixtures("keeping")
def test_kept_values_stay_one_at_a_time_and_go_when_keeping_stops() -> None:
    first, second = _Tree(), _Tree()
    first_gone, second_gone = weakref.ref(first), weakref.ref(second)
    keep_until_exit(first)
    keep_until_exit(second)
    del first, second
    assert first_gone() is None  # only the last is held: many documents, one kept
    assert second_gone() is not None
    keep_values_until_exit(False)
    assert second_gone() is None
