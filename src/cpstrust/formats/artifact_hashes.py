"""The digests lockfiles give of the files they install: pip's and poetry's and uv's
``sha256:<hex>``, npm's Subresource Integrity ``sha512-<base64>``; and where they go on a
package. A digest that does not parse is refused with its place: a lockfile's hashes are
what an installer checks, so one that reads as something else must not pass silently.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence

from cpstrust.errors import InputError
from cpstrust.model.inventory import Artifact
from cpstrust.model.sbom import Hash

_ALGORITHMS = {"md5": ("MD5", 16), "sha1": ("SHA-1", 20), "sha256": ("SHA-256", 32),
               "sha384": ("SHA-384", 48), "sha512": ("SHA-512", 64)}
_HEX = re.compile(r"[0-9a-fA-F]+")


def hex_hash(text: str, path: str, place: str) -> Hash:
    """``sha256:<hex>`` (pip ``--hash``, poetry, uv) as a hash."""
    name, _, value = text.partition(":")
    known = _ALGORITHMS.get(name.lower())
    if known is None or not _HEX.fullmatch(value) or len(value) != 2 * known[1]:
        raise InputError("lock_bad_hash", text=text[:100], source=path, location=place)
    return Hash(known[0], value.lower())


def sri_hashes(text: str, path: str, place: str) -> tuple[Hash, ...]:
    """An ``integrity`` value (``sha512-<base64>``, several separated by spaces) as hashes,
    one per algorithm (npm writes one; two of one algorithm would be two files)."""
    found: dict[str, Hash] = {}
    for item in text.split():
        name, _, value = item.partition("-")
        known = _ALGORITHMS.get(name.lower())
        try:
            digest = base64.b64decode(value.partition("?")[0], validate=True)
        except (binascii.Error, ValueError):
            digest = b""
        if known is None or len(digest) != known[1] or known[0] in found:
            raise InputError("lock_bad_hash", text=item[:100], source=path, location=place)
        found[known[0]] = Hash(known[0], digest.hex())
    if not found:
        raise InputError("lock_bad_hash", text=text[:100], source=path, location=place)
    return tuple(found.values())


def placed(artifacts: Sequence[Artifact]) -> tuple[tuple[Hash, ...], tuple[Artifact, ...]]:
    """(the package's own hashes, its artifacts): the digests of the one file a lock allows
    are the package's; of several (wheels for each platform, an sdist), each file's."""
    if len(artifacts) == 1:
        return artifacts[0].hashes, ()
    return (), tuple(artifacts)
