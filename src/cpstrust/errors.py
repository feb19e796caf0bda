"""One error family. Every error names the file, the place in it and the problem."""

from __future__ import annotations


class CpstrustError(Exception):
    """Base of every error cpstrust raises on purpose.

    ``source`` is the file (or URL, or "-" for stdin), ``location`` the place inside it
    (a JSON pointer, a line number, an XML path), ``problem`` what is wrong, and ``hint``
    what the user can do about it.
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        location: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.location = location
        self.hint = hint
        super().__init__(self.diagnostics())

    def diagnostics(self) -> str:
        """One line a person can act on: ``file: at location: problem (hint)``."""
        parts = [p for p in (self.source, f"at {self.location}" if self.location else None) if p]
        text = ": ".join([*parts, self.problem])
        return f"{text} ({self.hint})" if self.hint else text

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
