"""Secure update check: an update is installed only if its signed release verifies under
a key in scope for the product, neither revoked nor expired, its artifacts are the
signed subjects, and its version is not older than the installed one (no rollback).

This is the ShadowHammer lesson: the update server can be the attacker, so nothing it
says counts unless the signature and the version rules hold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cpstrust.errors import InputError
from cpstrust.model.evidence import Envelope, VerifiedRelease
from cpstrust.model.trust import Refusal, Refused, TrustStore
from cpstrust.packages.versions import try_key
from cpstrust.trust.release import verify_release

# Firmware versions are mostly SemVer-like; PEP 440 also orders four-part versions.
_SCHEMES = ("semver", "pypi")


@dataclass(frozen=True, slots=True)
class AcceptedUpdate:
    release: VerifiedRelease
    installed: str
    offered: str


def is_older(offered: str, installed: str) -> bool:
    """True when ``offered`` sorts before ``installed`` in the first scheme that reads
    both; versions no scheme can order are refused rather than guessed."""
    for scheme in _SCHEMES:
        a = try_key(scheme, offered.removeprefix("v").removeprefix("V"))
        b = try_key(scheme, installed.removeprefix("v").removeprefix("V"))
        if a is not None and b is not None:
            return bool(a < b)
    raise InputError("update_check_unordered_versions", offered=offered, installed=installed)


def check_update(
    envelope: Envelope,
    store: TrustStore,
    *,
    product: str,
    installed: str,
    at: datetime,
    artifacts: Mapping[str, str] | None = None,
    source: str = "<update>",
) -> AcceptedUpdate | Refused:
    release = verify_release(envelope, store, at=at, product=product, artifacts=artifacts,
                             source=source)
    if isinstance(release, Refused):
        return release
    offered = release.provenance.version
    if offered is None:
        return Refused(Refusal.MALFORMED, "release_without_version")
    try:
        older = is_older(offered, installed)
    except InputError:
        return Refused(Refusal.MALFORMED, "update_check_unordered_versions", offered=offered,
                       installed=installed)
    if older:
        return Refused(Refusal.ROLLBACK, "update_check_rollback", offered=offered,
                       installed=installed)
    return AcceptedUpdate(release=release, installed=installed, offered=offered)
