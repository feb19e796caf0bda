"""One error family. Every error names the file, the place in it and the problem.

An error carries a message code and its facts (``cpstrust.messages``), never a sentence
or a hint fit for one front end: the CLI and the service render the problem in the
user's language and add their own hints.
"""

from __future__ import annotations

from cpstrust.messages import Lang, coded, localized_location


class CpstrustError(Exception):
    """Base of every error cpstrust raises on purpose.

    ``CpstrustError(code, source=..., location=..., **facts)``: ``source`` is the file
    (or URL, or "-" for stdin), ``location`` the place inside it (a JSON pointer, a line
    number, an XML path), ``message`` what is wrong.
    """

    def __init__(
        self,
        code: str,
        /,
        *,
        source: str | None = None,
        location: str | None = None,
        **facts: object,
    ) -> None:
        self.message = coded(code, facts)
        self.source = source
        self.location = location
        super().__init__(self.diagnostics())

    @property
    def code(self) -> str:
        return self.message.code

    @property
    def problem(self) -> str:
        """What is wrong, in English."""
        return self.message.text()

    def diagnostics(self, lang: Lang = Lang.EN) -> str:
        """One line a person can act on: ``file: at location: problem``."""
        where = localized_location(self.location, lang) if self.location else None
        at = ("" if lang is Lang.JA else "at ") + where if where else None
        return ": ".join(p for p in (self.source, at, self.message.text(lang)) if p)

    def with_source(self, source: str) -> CpstrustError:
        """Return this error with the file name filled in, keeping its type."""
        if self.source is None:
            self.source = source
            self.args = (self.diagnostics(),)
        return self


class InputError(CpstrustError):
    """Input that cannot be read: malformed, oversized, hostile or invalid against a schema."""


class LimitExceededError(InputError):
    """Input larger or deeper than the reader accepts."""


class NotFoundError(CpstrustError):
    """A named thing (product, release, advisory) is not in the store."""


class StoreError(CpstrustError):
    """The database refused an operation or is in an unexpected state."""
