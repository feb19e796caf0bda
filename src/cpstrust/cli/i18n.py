"""Messages in English and Japanese. The language comes from --lang, CPSTRUST_LANG or LANG."""

from __future__ import annotations

import os

from cpstrust.errors import CpstrustError
from cpstrust.messages import Lang, Message, catalogue, render


def detect_lang(explicit: str | None = None) -> Lang:
    value = explicit or os.environ.get("CPSTRUST_LANG") or os.environ.get("LANG", "")
    return Lang.JA if value.lower().startswith("ja") else Lang.EN


def t(key: str, lang: Lang, **values: object) -> str:
    """The catalogue's text for ``key`` in ``lang``."""
    return render(Message(key, values), lang)


def hint(code: str, lang: Lang, facts: dict[str, object] | None = None) -> str | None:
    """The CLI's hint for a message of ``code`` (catalogue entry "hint.<code>"), if any."""
    if f"hint.{code}" not in catalogue():
        return None
    return render(Message(f"hint.{code}", facts or {}), lang)


def error_line(error: CpstrustError, lang: Lang) -> str:
    """``file: place: problem (hint)`` in ``lang``."""
    line = error.diagnostics(lang)
    advice = hint(error.code, lang, dict(error.message.facts))
    return f"{line} ({advice})" if advice else line
