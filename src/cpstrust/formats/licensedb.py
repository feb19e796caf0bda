"""The ScanCode LicenseDB index that license-expression ships (CC BY 4.0, from
aboutcode-org/scancode-licensedb): each licence's category, by every SPDX id it goes by.
Read once per process from the installed package; nothing of it is bundled here."""

from __future__ import annotations

from functools import cache
from importlib import resources

import orjson

from cpstrust.model.licence import LicenceCategory

_CATEGORIES = {c.value.replace("-", " "): c for c in LicenceCategory}


@cache
def licence_categories() -> dict[str, LicenceCategory]:
    """SPDX id (and every other SPDX key the index lists for the licence) -> category."""
    index = orjson.loads(resources.files("license_expression").joinpath(
        "data", "scancode-licensedb-index.json").read_bytes())
    found: dict[str, LicenceCategory] = {}
    for entry in index:
        category = _CATEGORIES.get(str(entry.get("category", "")).lower())
        if category is None:
            continue
        for key in (entry.get("spdx_license_key"), *entry.get("other_spdx_license_keys", ())):
            if key:
                found.setdefault(key, category)
    return found
