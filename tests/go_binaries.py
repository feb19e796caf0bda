"""Real Go executables built for the tests with the installed toolchain (scripts/test.sh
installs golang-go), offline: a main module whose dependency is a local module through a
``replace`` directive, built three ways (plain, ``-trimpath``, stripped with
``-ldflags=-s -w``). ``go version -m`` on each is the reference the reader is compared with.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

MAIN_MODULE = "example.com/hello"
LOCAL_DEPENDENCY = "example.com/greeting"
BUILDS = {"plain": [], "trimpath": ["-trimpath"], "stripped": ["-ldflags=-s -w"]}


@dataclass(frozen=True)
class GoBinaries:
    directory: Path
    binaries: dict[str, Path]  # build name -> executable

    def reference(self, build: str) -> str:
        """``go version -m`` of one binary: what Go itself reads from it."""
        return go("version", "-m", str(self.binaries[build]), cwd=self.directory)


def offline_environment(home: Path) -> dict[str, str]:
    return {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOTOOLCHAIN": "local",
            "GOPATH": str(home / "gopath"), "GOCACHE": str(home / "gocache"),
            "GOSUMDB": "off", "CGO_ENABLED": "0", "HOME": str(home)}


def go(*arguments: str, cwd: Path) -> str:
    home = cwd.parent
    done = subprocess.run(["go", *arguments], cwd=cwd, env=offline_environment(home),
                          capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"go {' '.join(arguments)} failed: {done.stderr}")
    return done.stdout


def build_go_binaries(workspace: Path) -> GoBinaries:
    greeting = workspace / "greeting"
    greeting.mkdir(parents=True)
    (greeting / "go.mod").write_text(f"module {LOCAL_DEPENDENCY}\n\ngo 1.18\n")
    (greeting / "greeting.go").write_text(
        'package greeting\n\nfunc Hello() string { return "hello" }\n')
    hello = workspace / "hello"
    hello.mkdir()
    (hello / "go.mod").write_text(
        f"module {MAIN_MODULE}\n\ngo 1.18\n\nrequire {LOCAL_DEPENDENCY} v0.1.0\n\n"
        f"replace {LOCAL_DEPENDENCY} => ../greeting\n")
    (hello / "main.go").write_text(
        'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/greeting"\n)\n\n'
        "func main() { fmt.Println(greeting.Hello()) }\n")
    binaries = {}
    for name, flags in BUILDS.items():
        out = workspace / "out" / name / "hello"
        go("build", "-buildvcs=false", *flags, "-o", str(out), ".", cwd=hello)
        binaries[name] = out
    return GoBinaries(hello, binaries)
