"""Control catalogues, profiles and mappings: import (OSCAL JSON or YAML), list, export,
and the lookups other parts build on (a requirement by id, the items of a profile, the
management guideline's ten items with their maturity scale, the ★ level sets).

The catalogues shipped with cpstrust (``cpstrust/catalogs``) are stored on first use, in
the transaction of whichever use case comes first, and again when a newer cpstrust ships
them changed. A profile resolves, when imported, against the stored catalogues and
profiles its imports name; a mapping's sources against its stored source catalogue. Each
import is one transaction: a bad document stores nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust.app.services import Services
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.files import read_limited
from cpstrust.formats.oscal import DEFAULT_CATALOG_LIMITS, CatalogLimits, read_oscal
from cpstrust.model.catalog import (
    CatalogDocument,
    DocumentKind,
    MappingDocument,
    MaturityScale,
    OscalDocument,
    ProfileDocument,
    ProfileImport,
    Requirement,
    check_levels,
    select,
)
from cpstrust.store.catalogs import (
    NewDocument,
    StoredDocument,
    document_content,
    profile_items,
    replace_document,
    requirements,
    requirements_by_key,
    save_document,
    save_map_entries,
    save_profile_items,
    save_requirements,
    stored_document,
    stored_documents,
)

SHIPPED_DIR = Path(__file__).resolve().parents[1] / "catalogs"
# Stored in this order: what a profile or mapping names comes before it.
SHIPPED = ("cpsf", "mgmt-guideline-v3", "jc-star-star1", "cpsf-star3", "cpsf-star4",
           "cpsf-star5", "cpsf-to-nist-csf-2.0", "cpsf-to-nist-sp800-171r2",
           "cpsf-to-iso27001-2022", "cpsf-to-iec62443-3-3")
MANAGEMENT_GUIDELINE = "mgmt-guideline-v3"
STAR_SCHEME = "supply-chain-security-rating"
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class CatalogImported:
    document: StoredDocument
    new: bool  # False: this very document was stored under this name before


@dataclass(frozen=True, slots=True)
class FoundRequirement:
    catalog: str
    requirement: Requirement


@dataclass(frozen=True, slots=True)
class ProfileRequirements:
    profile: StoredDocument
    items: tuple[FoundRequirement, ...]


@dataclass(frozen=True, slots=True)
class ControlSet:
    """A stored catalogue's requirements, or those a stored profile selects."""

    document: StoredDocument
    items: tuple[FoundRequirement, ...]


@dataclass(frozen=True, slots=True)
class ManagementItems:
    items: tuple[Requirement, ...]
    maturity: MaturityScale


def import_catalog(services: Services, path: Path, name: str | None = None,
                   limits: CatalogLimits = DEFAULT_CATALOG_LIMITS) -> CatalogImported:
    """Store an OSCAL catalog, profile or mapping collection under ``name`` (default: the
    file's name without extension). The same document again changes nothing; another
    document under a stored name is refused."""
    content = read_limited(path, limits.read)
    document = read_oscal(content, source=str(path),
                          yaml=path.suffix.lower() in _YAML_SUFFIXES, limits=limits)
    stored_name = name or path.stem
    with services.store.transaction() as session:
        _ensure_shipped(session)
        try:
            _, new = _store(session, stored_name, content, document, shipped=False)
        except InputError as exc:
            raise exc.with_source(str(path)) from None
        stored = stored_document(session, stored_name)
        assert stored is not None, "stored just now"
        return CatalogImported(stored, new)


def list_catalogs(services: Services) -> list[StoredDocument]:
    """Every stored catalogue, profile and mapping, the shipped ones included."""
    with services.store.transaction() as session:
        _ensure_shipped(session)
        return stored_documents(session)


def export_catalog(services: Services, name: str) -> bytes:
    """The stored document ``name``, as it was imported (valid OSCAL: it was checked)."""
    with services.store.transaction() as session:
        _ensure_shipped(session)
        return document_content(session, _named(session, name).id)


def find_requirement(services: Services, key: str, catalog: str | None = None,
                     ) -> FoundRequirement:
    """The requirement whose label or id is ``key`` (``CPS.AM-1``, ``cps.am-1``,
    ``S1.1-02``), in ``catalog`` or in the one catalogue that has it."""
    with services.store.transaction() as session:
        _ensure_shipped(session)
        found = [FoundRequirement(n, r) for n, r in requirements_by_key(session, key)
                 if catalog is None or n == catalog]
    if not found:
        raise NotFoundError("catalog_no_requirement", requirement=key)
    if len(found) > 1:
        raise InputError("catalog_requirement_ambiguous", requirement=key,
                         catalogs=", ".join(f.catalog for f in found))
    return found[0]


def profile_requirements(services: Services, name: str) -> ProfileRequirements:
    """The requirements a stored profile selects, in order, each with its catalogue."""
    with services.store.transaction() as session:
        _ensure_shipped(session)
        profile = _named(session, name)
        if profile.kind is not DocumentKind.PROFILE:
            raise InputError("catalog_not_a_profile", name=name, kind=profile.kind.value)
        return ProfileRequirements(profile, _profile_requirements(session, profile.id))


def control_set(services: Services, name: str) -> ControlSet:
    """Every requirement of the stored catalogue ``name``, or those the stored profile
    ``name`` selects, in order, each with its catalogue (a mapping is refused)."""
    with services.store.transaction() as session:
        _ensure_shipped(session)
        stored = _named(session, name)
        if stored.kind is DocumentKind.PROFILE:
            return ControlSet(stored, _profile_requirements(session, stored.id))
        if stored.kind is DocumentKind.CATALOG:
            return ControlSet(stored, tuple(FoundRequirement(stored.name, r)
                                            for r in requirements(session, stored.id)))
    raise InputError("catalog_not_a_control_set", name=name, kind=stored.kind.value)


def management_items(services: Services) -> ManagementItems:
    """The ten important items of the management guideline and their maturity scale."""
    with services.store.transaction() as session:
        _ensure_shipped(session)
        stored = _named(session, MANAGEMENT_GUIDELINE)
        document = read_oscal(document_content(session, stored.id), source=stored.name)
    assert isinstance(document, CatalogDocument) and document.maturity is not None, \
        "the shipped guideline has its scale"
    return ManagementItems(document.requirements, document.maturity)


def level_sets(services: Services, scheme: str = STAR_SCHEME) -> dict[int, frozenset[str]]:
    """The labels each ★ level of ``scheme`` requires, by level; refused unless each
    level holds every requirement of the level below it."""
    with services.store.transaction() as session:
        _ensure_shipped(session)
        levels = {p.level: frozenset(f.requirement.label
                                     for f in _profile_requirements(session, p.id))
                  for p in stored_documents(session)
                  if p.kind is DocumentKind.PROFILE and p.scheme == scheme
                  and p.level is not None}
    check_levels(levels, scheme)
    return levels


def _named(session: Session, name: str) -> StoredDocument:
    stored = stored_document(session, name)
    if stored is None:
        raise NotFoundError("catalog_not_stored", name=name)
    return stored


def _profile_requirements(session: Session, profile_id: int) -> tuple[FoundRequirement, ...]:
    names = {d.id: d.name for d in stored_documents(session)}
    return tuple(FoundRequirement(names[c], r) for c, r in _profile_pool(session, profile_id))


def _profile_pool(session: Session, profile_id: int) -> list[tuple[int, Requirement]]:
    """(catalogue id, requirement) of each control a stored profile selects, in order."""
    by_catalog: dict[int, dict[str, Requirement]] = {}
    pool = []
    for catalog_id, control_id in profile_items(session, profile_id):
        if catalog_id not in by_catalog:
            by_catalog[catalog_id] = {r.id: r for r in requirements(session, catalog_id)}
        pool.append((catalog_id, by_catalog[catalog_id][control_id]))
    return pool


def _ensure_shipped(session: Session) -> None:
    """Store each shipped document that is missing or was shipped changed since."""
    for name in SHIPPED:
        content = (SHIPPED_DIR / f"{name}.json").read_bytes()
        stored = stored_document(session, name)
        if stored is not None and (stored.sha256 == _sha256(content) or not stored.shipped):
            continue
        document = read_oscal(content, source=f"cpstrust/catalogs/{name}.json")
        _store(session, name, content, document, shipped=True)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _store(session: Session, name: str, content: bytes, document: OscalDocument,
           shipped: bool) -> tuple[int, bool]:
    """Store ``document`` as ``name``: its id, and whether anything was written."""
    existing = stored_document(session, name)
    digest = _sha256(content)
    if existing is not None and existing.sha256 == digest:
        return existing.id, False
    if existing is not None and not (shipped and existing.shipped):
        raise InputError("catalog_name_taken", name=name)
    items: list[tuple[int, str]] = []
    source_catalog = 0
    if isinstance(document, ProfileDocument):
        items = _resolve_profile(session, name, document)
    elif isinstance(document, MappingDocument):
        source_catalog = _resolve_mapping(session, name, document)
    new = _new_document(name, content, digest, document, shipped, len(items))
    if existing is None:
        document_id = save_document(session, new)
    else:
        document_id = existing.id
        replace_document(session, document_id, new)
    if isinstance(document, CatalogDocument):
        save_requirements(session, document_id, document.requirements)
    elif isinstance(document, ProfileDocument):
        save_profile_items(session, document_id, items)
    else:
        save_map_entries(session, document_id, source_catalog, document.framework,
                         document.entries)
    return document_id, True


def _new_document(name: str, content: bytes, digest: str, document: OscalDocument,
                  shipped: bool, profile_entries: int) -> NewDocument:
    header = document.header
    if isinstance(document, CatalogDocument):
        kind, entries, provisional = (DocumentKind.CATALOG, len(document.requirements),
                                      len(header.provisional))
        scheme, level = None, None
    elif isinstance(document, ProfileDocument):
        # A provisional profile makes every item it selects provisional.
        kind, entries = DocumentKind.PROFILE, profile_entries
        provisional = profile_entries if header.provisional else 0
        scheme, level = document.scheme, document.level
    else:
        kind, entries, provisional = (DocumentKind.MAPPING, len(document.entries),
                                      sum(1 for e in document.entries if e.provisional))
        scheme, level = None, None
    return NewDocument(name, kind, header.uuid, header.title, header.version,
                       header.oscal_version, digest, content, shipped, provisional, entries,
                       scheme, level, datetime.now(UTC))


def _resolve_profile(session: Session, name: str,
                     profile: ProfileDocument) -> list[tuple[int, str]]:
    """(catalogue id, control id) of every control the profile selects, each once."""
    items: dict[tuple[int, str], None] = {}
    for imported in profile.imports:
        base = _imported(session, name, imported.names, imported)
        if base.kind is DocumentKind.CATALOG:
            pool = [(base.id, r) for r in requirements(session, base.id)]
        elif base.kind is DocumentKind.PROFILE:
            pool = _profile_pool(session, base.id)
        else:
            raise InputError("catalog_import_not_control_set", href=imported.href,
                             location=imported.pointer)
        catalog_of = {r.id: c for c, r in pool}
        for control_id in select([r for _, r in pool], imported, base.name):
            items.setdefault((catalog_of[control_id], control_id), None)
    return list(items)


def _imported(session: Session, name: str, names: tuple[str, ...],
              imported: ProfileImport) -> StoredDocument:
    for candidate in names:
        if candidate == name:
            raise InputError("catalog_imports_itself", href=imported.href,
                             location=imported.pointer)
        stored = stored_document(session, candidate)
        if stored is not None:
            return stored
    raise InputError("catalog_unknown_import", href=imported.href,
                     names=", ".join(names) or "-", location=imported.pointer)


def _resolve_mapping(session: Session, name: str, mapping: MappingDocument) -> int:
    """The stored catalogue the mapping's sources come from; each source must be in it."""
    source = None
    for candidate in mapping.source_names:
        source = stored_document(session, candidate)
        if source is not None and candidate != name:
            break
    if source is None or source.kind is not DocumentKind.CATALOG:
        raise InputError("catalog_unknown_mapping_source",
                         names=", ".join(mapping.source_names), location="/mapping-collection")
    known = {r.id for r in requirements(session, source.id)}
    for entry in mapping.entries:
        if entry.source_id not in known:
            raise InputError("catalog_unknown_controls", controls=entry.source_id, count=1,
                             catalog=source.name, location=entry.pointer)
    return source.id
