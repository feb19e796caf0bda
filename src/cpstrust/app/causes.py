"""An error told inside another message (a file refused among many, evidence that
cannot be read): its file, its place and its problem, rendered in the reader's language
with the message that names it."""

from __future__ import annotations

import re

from cpstrust.errors import CpstrustError
from cpstrust.messages import Message, message

_LINE_COLUMN = re.compile(r"line (\d+)(?: column (\d+))?")


def cause(error: CpstrustError) -> Message:
    """``error`` as its ``diagnostics()`` tell it (``file: at place: problem``), as a
    message."""
    if error.source is None:
        return error.message
    if error.location is None:
        return message("app_cause_in_source", source=error.source, problem=error.message)
    return message("app_cause_at_place", source=error.source, location=_place(error.location),
                   problem=error.message)


def _place(location: str) -> Message | str:
    """A line (and column) in the reader's words; other places (pointers, paths) are the
    same in every language."""
    found = _LINE_COLUMN.fullmatch(location)
    if found is None:
        return location
    line, column = found.groups()
    return (message("app_place_line", line=line) if column is None
            else message("app_place_line_column", line=line, column=column))
