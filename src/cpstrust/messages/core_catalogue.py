"""Messages of cpstrust's core (the error family): code -> (English, Japanese). See
cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # An error as one line: its file, its place in it and its problem.
    "told_at": ("{source}: at {location}: {problem}", "{source}: {location}: {problem}"),
    "told_in": ("{source}: {problem}", "{source}: {problem}"),
    "told_located": ("at {location}: {problem}", "{location}: {problem}"),
    # Settings read from the environment.
    "settings_not_a_count": (
        "{variable} must be a whole number of at least 1, not {value!r}",
        "{variable} には 1 以上の整数を指定してください({value!r} は使えません)",
    ),
}
