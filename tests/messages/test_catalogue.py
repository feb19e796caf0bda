"""Every message a user can meet exists in English and Japanese: the catalogue is
complete, and every message the code raises, returns or prints names an entry of it with
the facts its texts speak of."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpstrust.messages import catalogue

SRC = Path(__file__).resolve().parents[2] / "src" / "cpstrust"
# Hiragana, katakana or kanji: a Japanese text that is only English copied is no text.
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Keyword arguments of an error that are not facts.
_NOT_FACTS = {"source", "location"}
_FIELD = re.compile(r"\{[^{}]*\}")
# Words that are the same in every language (JSON's own literal).
_SAME_IN_EVERY_LANGUAGE = {"json_kind_null"}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(catalogue()))
def test_every_entry_has_japanese_speaking_of_the_same_facts(code: str) -> None:
    english, japanese = catalogue()[code]
    assert english.strip() and japanese.strip()
    assert _fields(english) == _fields(japanese)
    if re.search("[A-Za-z]{3}", _FIELD.sub("", english)) and code not in _SAME_IN_EVERY_LANGUAGE:
        assert _JAPANESE.search(japanese), f"{code}: the Japanese text is not Japanese"


def test_every_hint_belongs_to_a_message() -> None:
    orphans = [c for c in catalogue() if c.startswith("hint.") and c[5:] not in catalogue()]
    assert orphans == []


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """Every class of the error family, found by following base classes."""
    family = {"CpstrustError"}
    grew = True
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in family and any(
                        isinstance(b, ast.Name) and b.id in family for b in node.bases):
                    family.add(node.name)
                    grew = True
    return family


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(), str(path))) for path in sorted(SRC.rglob("*.py"))]


def _calls(errors: set[str]) -> Iterator[tuple[Path, ast.Call, str, ast.expr | None]]:
    """(file, call, kind, code argument) of every error, refusal and message built."""
    for path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else None)
            if name in errors:
                yield path, node, "error", node.args[0] if node.args else None
            elif name == "Refused":
                yield path, node, "refusal", node.args[1] if len(node.args) > 1 else None
            elif name in ("Message", "message", "t"):
                yield path, node, "message", node.args[0] if node.args else None


def _codes(code: ast.expr | None) -> list[str] | None:
    """The code a call names: a literal, or either literal of a conditional; None when
    it is computed (a variable: checked where its value is made)."""
    if isinstance(code, ast.Constant) and isinstance(code.value, str):
        return [code.value]
    if isinstance(code, ast.IfExp):
        body, orelse = _codes(code.body), _codes(code.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _fact_problems(call: ast.Call, kind: str, code: str) -> list[str]:
    if code not in catalogue():
        return [f"{kind} code {code!r} is not in the catalogue"]
    if any(k.arg is None for k in call.keywords):
        return []  # **facts passed on: checked where they are made
    if isinstance(call.func, ast.Name) and call.func.id == "Message" and call.args[1:]:
        return []  # Message(code, facts): checked where the facts are made
    facts = {k.arg for k in call.keywords if k.arg is not None}
    if kind == "error":
        facts -= _NOT_FACTS
    problems = []
    expected = _fields(catalogue()[code][0])
    hinted = _fields(catalogue().get(f"hint.{code}", ("", ""))[0])
    if not expected <= facts <= expected | hinted:  # a fact may be the hint's alone
        problems.append(f"{code!r} takes {sorted(expected)}, given {sorted(facts)}")
    if any(k.arg == "hint" for k in call.keywords):
        problems.append("a hint belongs to the CLI's catalogue (hint.<code>)")
    return problems


def test_every_message_built_names_a_catalogue_entry_with_its_facts() -> None:
    trees = [tree for _, tree in _sources()]
    problems = []
    for path, call, kind, code in _calls(_error_classes(trees)):
        where = f"{path.relative_to(SRC)}:{call.lineno}"
        codes = _codes(code)
        if codes is None:
            if kind != "message" and not isinstance(code, ast.Name | ast.Attribute):
                problems.append(f"{where}: {kind} without a catalogue code")
            continue
        problems += [f"{where}: {p}" for c in codes for p in _fact_problems(call, kind, c)]
    assert problems == []
