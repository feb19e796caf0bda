"""The help in Japanese: every help text of the command tree has its Japanese, none is
left over, a Japanese run shows it, and an English run is as it was."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
import typer.main
import typer.rich_utils
from clirun import run
from typer import _click as click
from typer.core import TyperGroup

from cpstrust.cli.app import COMMANDS, app, load_command
from cpstrust.cli.help_ja import HELP_JA, RICH_LABELS, help_key
from cpstrust.messages import Lang

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # kana and kanji
KEPT_AS_IS = re.compile(r"`[^`]+`|--[a-z][a-z-]*")  # code spans and option names


def _help_texts(command: click.Command, path: str, *, help_option: bool = True,
                ) -> Iterator[tuple[str, str]]:
    """(where, text) for every help text under ``command``: its help, short help and
    epilog, each option's and argument's (with --help's), and its subcommands'."""
    for attribute in ("help", "short_help", "epilog"):
        text = getattr(command, attribute, None)
        if text:
            yield f"{path} ({attribute})", text
    params = list(command.params)
    if help_option and (option := command.get_help_option(click.Context(command))):
        params.append(option)
    for param in params:
        text = getattr(param, "help", None)
        if text:
            yield f"{path} {'/'.join(param.opts) or param.name}", text
    if isinstance(command, TyperGroup):
        for name, subcommand in command.commands.items():
            yield from _help_texts(subcommand, f"{path} {name}", help_option=help_option)


def _english_texts() -> dict[str, list[str]]:
    """Every English help text of the whole tree (normalised) -> where it is used: the
    root, its listing of COMMANDS, and every command loaded as it is when run."""
    found = list(_help_texts(typer.main.get_command(app), "cpstrust"))
    for name, entry in COMMANDS.items():
        found.append((f"cpstrust {name} (the root's listing)", entry.short_help))
        found.extend(_help_texts(load_command(name), f"cpstrust {name}"))
    places: dict[str, list[str]] = {}
    for place, text in found:
        places.setdefault(help_key(text), []).append(place)
    return places


def test_every_help_text_of_the_tree_has_its_japanese() -> None:
    missing = {text: places for text, places in _english_texts().items()
               if text not in HELP_JA}
    assert not missing, "no Japanese in cpstrust.cli.help_ja.HELP_JA for:\n" + "\n".join(
        f"  {places[0]}: {text!r}" for text, places in missing.items())


def test_no_japanese_entry_is_left_over() -> None:
    stale = set(HELP_JA) - set(_english_texts())
    assert not stale, "entries of HELP_JA no help text uses any more:\n" + "\n".join(
        f"  {text!r}" for text in sorted(stale))


@pytest.mark.parametrize("english", sorted(HELP_JA))
def test_the_japanese_is_japanese_and_keeps_code_and_options_as_they_are(
        english: str) -> None:
    japanese = HELP_JA[english]
    assert JAPANESE.search(japanese), japanese
    assert sorted(KEPT_AS_IS.findall(japanese)) == sorted(KEPT_AS_IS.findall(english))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_loaded_for_a_japanese_run_has_no_english_help_left(name: str) -> None:
    # --help's own text is put on when a help page is rendered (the subprocess tests).
    translated = set(HELP_JA.values())
    command = load_command(name, Lang.JA)
    english = [(place, text) for place, text in _help_texts(command, name, help_option=False)
               if text not in translated]
    assert not english, english
    # The root's listing says in Japanese what the command says of itself first.
    summary = (command.help or "").split("\n\n")[0]
    assert summary == HELP_JA[help_key(COMMANDS[name].short_help)]


def test_the_labels_are_typers_own() -> None:
    # A renamed label in a new Typer would silently stay English.
    for name in [*RICH_LABELS, "highlighter"]:
        assert hasattr(typer.rich_utils, name), name


def test_a_japanese_help_page_leaves_typers_labels_english_for_the_next_run() -> None:
    code, out, _ = run("--lang", "ja", "--help")
    assert code == 0 and "オプション" in out
    code, out, _ = run("--help")
    assert code == 0 and "Options" in out and not JAPANESE.search(out)


def _cpstrust(*args: str, lang: str) -> str:
    """``cpstrust ARGS`` in its own process (the in-process runner shares the modules a
    run imports), with LANG set and no CPSTRUST_LANG."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"CPSTRUST_LANG", "FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS"}}
    env.update(LANG=lang, COLUMNS="200")
    done = subprocess.run([sys.executable, "-m", "cpstrust", *args], env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.parametrize(("args", "lang", "expected"), [
    (["--lang", "ja", "--help"], "C.UTF-8",
     ["使い方: ", "産業サプライチェーン全体にわたって信頼の連鎖を築き", "オプション", "コマンド",
      "SBOM ファイルまたは保存済みリリースに含まれる既知の脆弱性を検出します。",
      "このヘルプを表示して終了します。"]),
    (["--lang=ja", "scan", "--help"], "C.UTF-8",
     ["使い方: ", "`cpstrust scan bom.json` はファイルを読み込み", "引数", "オプション",
      "table、json、sarif (SARIF 2.1.0。ファイルの検査のみ", "[既定値: table]"]),
    (["release", "sign", "--help"], "ja_JP.UTF-8",
     ["ARTIFACT... に PRODUCT のリリース VERSION として署名します。",
      "DSSE エンベロープの書き出し先。 [必須]", "[既定値: CPSTRUST_KEY_PASSPHRASE]"]),
])
def test_a_japanese_run_shows_japanese_help(args: list[str], lang: str,
                                            expected: list[str]) -> None:
    out = _cpstrust(*args, lang=lang)
    assert [text for text in expected if text not in out] == [], out
    assert "Usage:" not in out and "Show this message" not in out


@pytest.mark.parametrize(("args", "lang"), [
    (["--help"], "C.UTF-8"),
    (["release", "sign", "--help"], "C.UTF-8"),
    (["--lang", "en", "scan", "--help"], "ja_JP.UTF-8"),  # --lang wins over LANG
])
def test_an_english_run_shows_english_help(args: list[str], lang: str) -> None:
    out = _cpstrust(*args, lang=lang)
    assert "Usage:" in out and "Options" in out and "Show this message and exit." in out
    assert not JAPANESE.search(out), out


def test_japanese_help_imports_no_command() -> None:
    # Translating the root's listing must not load the commands it lists.
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "cpstrust",
                           "--lang", "ja", "--help"], capture_output=True, text=True,
                          check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "cpstrust.cli.help_ja" in imported  # the probe saw the imports
    commands = {entry.module for entry in COMMANDS.values()}
    assert commands & imported == set()
