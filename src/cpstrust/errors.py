"""One error family. Every error names the file, the place in it and the problem.

An error carries a message code and its facts (``cpstrust.messages``), never a sentence
or a hint fit for one front end: the CLI and the service render the problem in the
user's language and add their own hints.
"""

from __future__ import annotations

from cpstrust.messages import Lang, Message, Place, coded, message


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
        return self.told().text(lang)

    def told(self) -> Message:
        """The error as one message: its file, its place and its problem (the place in
        the reader's language), to be said alone or inside another message."""
        place = Place(self.location) if self.location else None
        if self.source and place:
            return message("told_at", source=self.source, location=place, problem=self.message)
        if self.source:
            return message("told_in", source=self.source, problem=self.message)
        if place:
            return message("told_located", location=place, problem=self.message)
        return self.message

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


class UnsupportedMediaTypeError(InputError):
    """A body of a type the receiver does not read (the service answers 415)."""


class NotFoundError(CpstrustError):
    """A named thing (product, release, advisory) is not in the store."""


class StoreError(CpstrustError):
    """The database refused an operation or is in an unexpected state."""


class AuthenticationError(CpstrustError):
    """No credentials, or credentials that are unknown, expired or revoked. Says which
    only to the server's log: a caller learns nothing about other keys."""


class PermissionDeniedError(CpstrustError):
    """The caller's role does not allow the operation."""


class ConflictError(CpstrustError):
    """The operation contradicts what is stored (a name another organisation holds)."""


class TooManyAttemptsError(CpstrustError):
    """Too many failed logins for a user or from a client in the window: refused before
    the password is even checked."""
