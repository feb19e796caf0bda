"""The console script: the cyclic collector is off before the first import of a command
(the entry point decides process-wide state, ADR 0008), and importing the entry point
alone changes nothing."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

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
sys.argv = ["cpstrust", "--help"]
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
