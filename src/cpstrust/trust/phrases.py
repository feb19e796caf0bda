"""Messages the trust engines compose from others: a list is said one way in English
("a, b, c") and another in Japanese ("a、b、c"), so it is a message too."""

from __future__ import annotations

from collections.abc import Sequence

from cpstrust.messages import Message


def listed(items: Sequence[Message], *, semicolons: bool = False) -> Message:
    """``items`` as one message, in order: "a, b, c" (or "a; b; c"), "a、b、c" in Japanese."""
    if not items:
        raise ValueError("a list names at least one item")
    joined = items[-1]
    for item in reversed(items[:-1]):
        joined = Message("trust_list_semicolon" if semicolons else "trust_list",
                         {"first": item, "rest": joined})
    return joined
