"""Every message a user can meet, in English and Japanese, by code.

A message is a code and the facts it speaks of (``Message``); its text is rendered in the
user's language only where it is shown (the CLI, the service), from one catalogue. The
catalogue is kept in one module per area (``formats``, ``trust``, ...), merged here; a
test checks that every entry has its Japanese text with the same facts, and that every
message the code raises or returns names an entry.

A leaf: it imports nothing of cpstrust.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache


class Lang(StrEnum):
    EN = "en"
    JA = "ja"


Entry = tuple[str, str]  # (English, Japanese) templates, facts as {name}


def _merged(*parts: Mapping[str, Entry]) -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"message codes defined twice: {sorted(twice)}")
        merged.update(part)
    return merged


@cache
def catalogue() -> Mapping[str, Entry]:
    """Every entry, by code. The texts (~9 ms to import) load with the first message
    shown: a command that shows none, a JSON report, goes without them."""
    from cpstrust.messages import (
        app_catalogue,
        assess_catalogue,
        catalog_catalogue,
        cli_catalogue,
        core_catalogue,
        detect_catalogue,
        events_catalogue,
        evidence_catalogue,
        formats_catalogue,
        generation_catalogue,
        incident_catalogue,
        jobs_catalogue,
        ot_catalogue,
        pages_catalogue,
        report_catalogue,
        risk_catalogue,
        sbom_catalogue,
        scenario_catalogue,
        service_catalogue,
        store_catalogue,
        trust_catalogue,
        trustpolicy_catalogue,
        trustreport_catalogue,
        vex_catalogue,
        vulndb_catalogue,
        web_catalogue,
    )

    return _merged(
        core_catalogue.MESSAGES,
        formats_catalogue.MESSAGES,
        trust_catalogue.MESSAGES,
        vulndb_catalogue.MESSAGES,
        sbom_catalogue.MESSAGES,
        vex_catalogue.MESSAGES,
        generation_catalogue.MESSAGES,
        store_catalogue.MESSAGES,
        app_catalogue.MESSAGES,
        cli_catalogue.MESSAGES,
        report_catalogue.MESSAGES,
        events_catalogue.MESSAGES,
        catalog_catalogue.MESSAGES,
        evidence_catalogue.MESSAGES,
        assess_catalogue.MESSAGES,
        ot_catalogue.MESSAGES,
        incident_catalogue.MESSAGES,
        scenario_catalogue.MESSAGES,
        trustpolicy_catalogue.MESSAGES,
        detect_catalogue.MESSAGES,
        trustreport_catalogue.MESSAGES,
        risk_catalogue.MESSAGES,
        service_catalogue.MESSAGES,
        web_catalogue.MESSAGES,
        jobs_catalogue.MESSAGES,
        pages_catalogue.MESSAGES,
    )


# A text stored before messages had codes (an older database's reasons): shown as it was.
LEGACY = "text"


class Place(str):
    """A place in a document as readers write it ("line 3 column 5", a JSON pointer), as
    a fact: rendered in the reader's language (``localized_location``)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Message:
    """What to tell the user: a catalogue code and its facts. A fact may itself be a
    Message (a cause), rendered in the same language."""

    code: str
    facts: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: Lang = Lang.EN) -> str:
        return render(self, lang)

    def __str__(self) -> str:
        return render(self, Lang.EN)


def message(code: str, /, **facts: object) -> Message:
    return Message(code, facts)


def coded(code: str, facts: Mapping[str, object]) -> Message:
    """The message of a catalogue code; ValueError for a code the catalogue lacks, which
    is a bug (a test checks every code the source names)."""
    if code not in catalogue():
        raise ValueError(f"no message {code!r} in the catalogue")
    return Message(code, facts)


def render(msg: Message, lang: Lang = Lang.EN) -> str:
    """The message's text in ``lang``; KeyError for a code the catalogue lacks."""
    if msg.code == LEGACY:
        return str(msg.facts["text"])
    english, japanese = catalogue()[msg.code]
    facts = {name: _rendered(value, lang) for name, value in msg.facts.items()}
    return (japanese if lang is Lang.JA else english).format(**facts)


def _rendered(fact: object, lang: Lang) -> object:
    if isinstance(fact, Message):
        return render(fact, lang)
    if isinstance(fact, Place):
        return localized_location(fact, lang)
    return fact


_LINE_COLUMN = re.compile(r"line (\d+)(?: column (\d+))?")
_BYTE = re.compile(r"byte (\d+)")


def localized_location(location: str, lang: Lang) -> str:
    """A place as readers write it ("line 3 column 5"), in ``lang``; pointers, paths
    and other places are the same in every language."""
    if lang is not Lang.JA:
        return location
    located = _LINE_COLUMN.sub(
        lambda m: f"{m[1]} 行目" + (f" {m[2]} 列目" if m[2] else ""), location)
    return _BYTE.sub(lambda m: f"{m[1]} バイト目", located)
