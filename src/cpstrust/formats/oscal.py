"""OSCAL catalogs, profiles and mapping collections (JSON, or YAML) into the model.

A document is checked by compliance-trestle's models (OSCAL 1.1 and 1.2), imported only
here, when a document is read: pydantic and trestle cost ~0.4 s to import, which no
other command pays. Trestle's first complaint becomes one message with the JSON pointer
of the place. What trestle leaves to OSCAL's constraints and cpstrust relies on is
checked while the domain objects are built: control ids unique in a catalogue, map ids
and relationships known. A key written twice in an object is refused before anything
else (``formats.jsonread``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from cpstrust.errors import InputError
from cpstrust.formats.jsonread import check_tree, parse_json_strict, pointer
from cpstrust.formats.safe_yaml import load_yaml
from cpstrust.limits import ReadLimits
from cpstrust.model.catalog import (
    CatalogDocument,
    DocumentKind,
    Header,
    MapEntry,
    MappingDocument,
    MaturityScale,
    OscalDocument,
    ProfileDocument,
    ProfileImport,
    Provisional,
    Relationship,
    Requirement,
    Selection,
    check_target,
)

NS = "https://cpstrust.dev/ns/oscal"  # our props: title-ja, status, level, scheme, framework
MATURITY_PARAM = "maturity-level"


@dataclass(frozen=True, slots=True)
class CatalogLimits:
    """Bounds on one OSCAL document (NIST's full SP 800-53 catalogue is ~10 MB, 1,189
    controls)."""

    read: ReadLimits = field(default_factory=lambda: ReadLimits(max_bytes=32 * 1024**2))
    max_controls: int = 20_000
    max_maps: int = 50_000


DEFAULT_CATALOG_LIMITS = CatalogLimits()

Tree = dict[str, Any]
Path = tuple[str | int, ...]


def read_oscal(data: bytes, *, source: str, yaml: bool = False,
               limits: CatalogLimits = DEFAULT_CATALOG_LIMITS) -> OscalDocument:
    """The catalog, profile or mapping collection in ``data``; ``InputError`` naming
    ``source`` and the place for anything malformed, invalid or ambiguous."""
    try:
        tree = (load_yaml(data, limits.read) if yaml
                else parse_json_strict(data, source))
        check_tree(tree, limits.read)
        kind, body = _root(tree)
        _validate(kind, body)
        return _build(kind, body, limits)
    except InputError as exc:
        raise exc.with_source(source) from None


def _root(tree: object) -> tuple[DocumentKind, Tree]:
    kinds = {k.value: k for k in DocumentKind}
    if not isinstance(tree, dict) or len(tree) != 1 or next(iter(tree)) not in kinds:
        found = sorted(tree)[:5] if isinstance(tree, dict) else type(tree).__name__
        raise InputError("oscal_not_oscal", found=str(found), location="/")
    key, body = next(iter(tree.items()))
    if not isinstance(body, dict):
        raise InputError("oscal_not_oscal", found=type(body).__name__, location="/" + key)
    return kinds[key], body


def _validate(kind: DocumentKind, body: Tree) -> None:
    """Trestle's model of ``kind`` over ``body``; its first error, with its place."""
    from pydantic import ValidationError

    model = _model(kind)
    try:
        model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise InputError("oscal_schema_invalid", kind=kind.value, detail=first["msg"],
                         count=exc.error_count(),
                         location=pointer((kind.value, *first["loc"]))) from None


def _model(kind: DocumentKind) -> Any:
    if kind is DocumentKind.CATALOG:
        from trestle.oscal.catalog import Catalog

        return Catalog
    if kind is DocumentKind.PROFILE:
        from trestle.oscal.profile import Profile

        return Profile
    from trestle.oscal.mapping import MappingCollection

    return MappingCollection


def _build(kind: DocumentKind, body: Tree, limits: CatalogLimits) -> OscalDocument:
    root: Path = (kind.value,)
    provisional: list[Provisional] = []
    metadata = body["metadata"]
    note = _status(metadata.get("props"))
    if note:
        provisional.append(Provisional("document", body["uuid"], note))
    if kind is DocumentKind.CATALOG:
        requirements = _requirements(body, root, provisional, limits)
        maturity = _maturity(body, provisional)
        return CatalogDocument(_header(body, provisional), requirements, maturity)
    if kind is DocumentKind.PROFILE:
        imports = tuple(_import(body, i, imp, root) for i, imp in enumerate(body["imports"]))
        level = _prop(metadata.get("props"), "level")
        return ProfileDocument(_header(body, provisional), imports,
                               _prop(metadata.get("props"), "scheme"),
                               int(level) if level and level.isdigit() else None)
    return _mapping(body, root, provisional, limits)


def _header(body: Tree, provisional: list[Provisional]) -> Header:
    m = body["metadata"]
    return Header(body["uuid"], m["title"], _prop(m.get("props"), "title-ja"), m["version"],
                  m["oscal-version"], tuple(provisional))


def _requirements(body: Tree, root: Path, provisional: list[Provisional],
                  limits: CatalogLimits) -> tuple[Requirement, ...]:
    found: list[Requirement] = []
    seen: dict[str, str] = {}
    for control, path, group, parent in _controls(body, root, provisional):
        where = pointer(path)
        if control["id"] in seen:
            raise InputError("oscal_duplicate_control", control=control["id"],
                             first=seen[control["id"]], location=where)
        seen[control["id"]] = where
        if len(found) == limits.max_controls:
            raise InputError("oscal_too_many_controls", limit=limits.max_controls,
                             location=where)
        note = _status(control.get("props"))
        if note:
            provisional.append(Provisional("control", control["id"], note))
        props = control.get("props")
        found.append(Requirement(
            control["id"], _prop(props, "label", ns=None) or control["id"], control["title"],
            _prop(props, "title-ja"), _prose(control, "statement", None),
            _prose(control, "statement-ja", NS), group, parent, note))
    return tuple(found)


def _controls(node: Tree, path: Path, provisional: list[Provisional], group: str | None = None,
              parent: str | None = None) -> Iterator[tuple[Tree, Path, str | None, str | None]]:
    """Every control under ``node`` (groups and enhancements walked), in document order."""
    for i, g in enumerate(node.get("groups") or ()):
        note = _status(g.get("props"))
        if note:
            provisional.append(Provisional("group", g.get("id") or g["title"], note))
        yield from _controls(g, (*path, "groups", i), provisional, g.get("id"), None)
    for i, c in enumerate(node.get("controls") or ()):
        here = (*path, "controls", i)
        yield c, here, group, parent
        yield from _controls(c, here, provisional, group, c["id"])


def _maturity(body: Tree, provisional: list[Provisional]) -> MaturityScale | None:
    for param in body.get("params") or ():
        if param["id"] == MATURITY_PARAM:
            choices = (param.get("select") or {}).get("choice") or ()
            if not choices or not all(c.isdigit() for c in choices):
                raise InputError("oscal_bad_maturity_scale", location="/catalog/params")
            note = _status(param.get("props"))
            if note:
                provisional.append(Provisional("param", MATURITY_PARAM, note))
            return MaturityScale(tuple(int(c) for c in choices), note)
    return None


def _import(body: Tree, index: int, imported: Tree, root: Path) -> ProfileImport:
    href = imported["href"]
    return ProfileImport(
        href, _names(body, href), "include-all" in imported,
        tuple(_selection(s) for s in imported.get("include-controls") or ()),
        tuple(_selection(s) for s in imported.get("exclude-controls") or ()),
        pointer((*root, "imports", index)))


def _selection(selection: Tree) -> Selection:
    return Selection(tuple(selection.get("with-ids") or ()),
                     tuple(m["pattern"] for m in selection.get("matching") or ()
                           if "pattern" in m),
                     selection.get("with-child-controls") == "yes")


def _names(body: Tree, href: str) -> tuple[str, ...]:
    """Stored names ``href`` may stand for: a file's name without its extension; for a
    ``#uuid`` back-matter reference, the names of the resource's links."""
    if href.startswith("#"):
        for resource in (body.get("back-matter") or {}).get("resources") or ():
            if resource["uuid"] == href[1:]:
                return tuple(dict.fromkeys(
                    _stem(link["href"]) for link in resource.get("rlinks") or ()))
        return ()
    return (_stem(href),)


def _stem(href: str) -> str:
    name = PurePosixPath(href.split("#")[0].split("?")[0]).name
    for extension in (".json", ".yaml", ".yml", ".xml"):
        if name.endswith(extension):
            return name[: -len(extension)]
    return name


def _mapping(body: Tree, root: Path, provisional: list[Provisional],
             limits: CatalogLimits) -> MappingDocument:
    mappings = body["mappings"] if isinstance(body["mappings"], list) else [body["mappings"]]
    if len(mappings) != 1:  # one source and one target per stored collection
        raise InputError("oscal_one_mapping", count=len(mappings), location=pointer(
            (*root, "mappings")))
    mapping = mappings[0]
    here = (*root, "mappings", 0) if isinstance(body["mappings"], list) else (*root, "mappings")
    framework = (_prop(mapping["target-resource"].get("props"), "framework")
                 or _prop(body["metadata"].get("props"), "framework"))
    entries: list[MapEntry] = []
    seen: set[str] = set()
    for i, m in enumerate(mapping["maps"]):
        where = pointer((*here, "maps", i))
        if len(entries) == limits.max_maps:
            raise InputError("oscal_too_many_maps", limit=limits.max_maps, location=where)
        if m["uuid"] in seen:
            raise InputError("oscal_duplicate_map", uuid=m["uuid"], location=where)
        seen.add(m["uuid"])
        entries.extend(_map_entries(m, framework, where, provisional))
    return MappingDocument(_header(body, provisional),
                           (_stem(mapping["source-resource"]["href"]),), framework,
                           tuple(entries))


def _map_entries(m: Tree, framework: str | None, where: str,
                 provisional: list[Provisional]) -> Iterator[MapEntry]:
    try:
        relationship = Relationship(m["relationship"])
    except ValueError:
        raise InputError("oscal_bad_relationship", relationship=m["relationship"],
                         allowed=", ".join(r.value for r in Relationship),
                         location=where + "/relationship") from None
    note = _status(m.get("props"))
    if note:
        provisional.append(Provisional("map", m["uuid"], note))
    for target in m["targets"]:
        check_target(framework, target["id-ref"], where + "/targets")
    for source in m["sources"]:
        for target in m["targets"]:
            yield MapEntry(source["id-ref"], target["id-ref"], relationship, m.get("remarks"),
                           note, where)


def _prop(props: list[Tree] | None, name: str, ns: str | None = NS) -> str | None:
    for p in props or ():
        if p["name"] == name and p.get("ns") == ns:
            return str(p["value"])
    return None


def _status(props: list[Tree] | None) -> str | None:
    """The note of an ``unconfirmed`` status prop (its remarks), or None."""
    for p in props or ():
        if p["name"] == "status" and p.get("ns") == NS and p["value"] == "unconfirmed":
            return str(p.get("remarks") or "unconfirmed")
    return None


def _prose(control: Tree, name: str, ns: str | None) -> str | None:
    for part in control.get("parts") or ():
        if part["name"] == name and part.get("ns") == ns and part.get("prose"):
            return str(part["prose"])
    return None
