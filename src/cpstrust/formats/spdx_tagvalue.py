"""spdx-tools' tag-value parser, with its two scaling faults worked around.

As shipped (spdx-tools 0.8), the parser rebuilds the whole SPDX licence index for every
licence field (~37 ms each: 12 minutes for 10,000 packages here) and checks each
file's implied CONTAINS relationship against a list (quadratic in files; spdx-tools
issue #891). The subclass below keeps the grammar and replaces only those two steps.
"""

from __future__ import annotations

import re
from typing import Any

from license_expression import ExpressionError
from ply import yacc  # type: ignore[import-untyped]
from spdx_tools.common.spdx_licensing import spdx_licensing
from spdx_tools.spdx.model.document import Document
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.parser.error import SPDXParsingError
from spdx_tools.spdx.parser.tagvalue.parser import Parser

from cpstrust.errors import InputError
from cpstrust.formats.sbomfields import summarise

_LINE = re.compile(r"[Ll]ine:? (\d+)")


class _Parser(Parser):
    # PLY takes the first rule by source line as the start symbol unless told: our
    # override of p_license sits in another file, so name it.
    start = "start"

    def __init__(self) -> None:
        self._contained: set[tuple[str, str]] = set()
        # No parse tables written beside the module, no debug file, no grammar warnings.
        super().__init__(  # type: ignore[no-untyped-call]
            write_tables=False, debug=False, errorlog=yacc.NullLogger())

    def p_license(self, p: Any) -> None:
        try:
            p[0] = spdx_licensing.parse(p[1])
        except ExpressionError as err:
            message = f"Error while parsing license expression: {p[1]}"
            if err.args:
                message += f": {err.args[0]}"
            self.current_element["logger"].append(message)

    p_license.__doc__ = Parser.p_license.__doc__

    def check_for_preceding_package_and_build_contains_relationship(self) -> None:
        packages = self.elements_built.get("packages")
        if not packages:
            super().check_for_preceding_package_and_build_contains_relationship()  # type: ignore[no-untyped-call]
            return
        pair = (packages[-1].spdx_id, self.current_element["spdx_id"])
        if pair not in self._contained:
            self._contained.add(pair)
            self.elements_built.setdefault("relationships", []).append(
                Relationship(pair[0], RelationshipType.CONTAINS, pair[1]))


def parse_tagvalue(text: str) -> Document:
    """Parse SPDX tag-value text; ``InputError`` (with the first line it names) if refused."""
    try:
        document: Document = _Parser().parse(text)  # type: ignore[no-untyped-call]
    except SPDXParsingError as exc:
        messages = [str(m) for m in exc.messages]
        raise InputError("spdx_tagvalue_not_valid", problem=summarise(messages),
                         location=_first_line(messages)) from None
    except Exception as exc:  # spdx-tools raises assorted types on hostile input
        raise InputError("spdx_tagvalue_not_valid", problem=str(exc), location="line 1") \
            from None
    return document


def _first_line(messages: list[str]) -> str:
    for message in messages:
        found = _LINE.search(message)
        if found:
            return f"line {found.group(1)}"
    return "line 1"
