"""CycloneDX XML (1.1–1.7) to ``Sbom``: parsed safely, validated against the official XSD.

Document type declarations are refused outright: CycloneDX never needs one, and they
are how entity expansion (billion laughs) and external entities (XXE) get in. The
parser is also configured not to resolve entities or touch the network, as a second
line of defence.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.cyclonedx_facts import BSI_PROPERTY_PREFIX
from cpstrust.formats.cyclonedx_schema import XML_NAMESPACE_PREFIX, XML_VERSIONS, xml_schema
from cpstrust.formats.sbomfields import add_unique, check_purl, hash_algorithm, synthetic_ref
from cpstrust.limits import ReadLimits
from cpstrust.model.sbom import (
    ComponentFacts,
    Hash,
    Sbom,
    SbomComponent,
    SbomDetail,
    SbomFacts,
    SbomFormat,
    product_path,
)

Element = Any  # lxml.etree._Element: lxml ships no type information here

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def read_cyclonedx_xml(data: bytes, limits: ReadLimits, detail: SbomDetail = SbomDetail.FULL,
                       ) -> Sbom:
    """Parse, check and map a CycloneDX XML document (IDENTITY detail maps as FULL: XML is
    not the hot path; QUALITY adds ``Sbom.facts``).

    Raises ``InputError`` for a DTD or entity declaration, malformed XML, a namespace that
    is not CycloneDX, an unsupported version or an XSD violation (with its line), and
    ``LimitExceededError`` for nesting, strings or component counts over ``limits``.
    """
    _refuse_declarations(data)
    root = _parse(data)
    version = _version(root)
    _check_tree(root, limits)
    schema = xml_schema(version)
    if not schema.validate(root):
        error = schema.error_log[0]
        raise InputError("cyclonedx_xml_schema_mismatch", version=version, detail=error.message,
                         location=f"line {error.line}")
    return _Mapper(root, version, limits, detail is SbomDetail.QUALITY).sbom()


def _refuse_declarations(data: bytes) -> None:
    root_start = _ROOT_START.search(data)
    prolog_end = root_start.start() if root_start else len(data)
    found = _DECLARATION.search(data, 0, prolog_end)
    if found:
        line = data.count(b"\n", 0, found.start()) + 1
        raise InputError("xml_declarations_not_allowed", location=f"line {line}")


def _parse(data: bytes) -> Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError("xml_malformed", detail=exc.msg, location=f"line {exc.lineno}") \
            from None
    if root is None:
        raise InputError("xml_empty_document", location="line 1")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # Reached only when the prolog scan was bypassed, e.g. by a UTF-16 encoding.
        raise InputError("xml_dtd_not_allowed", location="line 1")
    return root


def _version(root: Element) -> str:
    qname = etree.QName(root)
    namespace = qname.namespace or ""
    if not namespace.startswith(XML_NAMESPACE_PREFIX) or qname.localname != "bom":
        raise InputError("cyclonedx_xml_wrong_root", tag=root.tag,
                         namespace=XML_NAMESPACE_PREFIX, location=f"line {root.sourceline}")
    version = namespace.removeprefix(XML_NAMESPACE_PREFIX)
    if version not in XML_VERSIONS:
        raise InputError("cyclonedx_xml_unsupported_version", version=version,
                         supported=", ".join(XML_VERSIONS), location=f"line {root.sourceline}")
    return version


def _check_tree(root: Element, limits: ReadLimits) -> None:
    # XPath runs in libxml2: ~5x faster than walking the elements from Python.
    too_deep = root.xpath(f"(/{'/'.join(['*'] * (limits.max_depth + 1))})[1]")
    if too_deep:
        raise LimitExceededError("input_nesting_too_deep", limit=limits.max_depth,
                                 location=f"line {too_deep[0].sourceline}")
    n = limits.max_string
    too_long = root.xpath(f"(//text()[string-length() > {n}] | //@*[string-length() > {n}])[1]")
    if too_long:
        raise LimitExceededError("xml_text_too_long", limit=n,
                                 location=f"line {too_long[0].getparent().sourceline}")


class _Mapper:
    """Walks one validated document; ``self.ns`` is its CycloneDX namespace."""

    def __init__(self, root: Element, version: str, limits: ReadLimits, facts: bool) -> None:
        self.root = root
        self.version = version
        self.limits = limits
        self.ns = XML_NAMESPACE_PREFIX + version
        self.components: list[SbomComponent] = []
        self.facts: dict[str, ComponentFacts] | None = {} if facts else None

    def tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def text(self, element: Element, *path: str) -> str | None:
        found = element.find("/".join(map(self.tag, path)))
        return found.text if found is not None and found.text is not None else None

    def children(self, element: Element, *path: str) -> list[Element]:
        return list(element.iterfind("/".join(map(self.tag, path))))

    def sbom(self) -> Sbom:
        metadata = self.root.find(self.tag("metadata"))
        self.walk(self.children(self.root, "components", "component"), None, ())
        subject = metadata.find(self.tag("component")) if metadata is not None else None
        return Sbom(
            format=SbomFormat.CYCLONEDX_XML,
            spec_version=self.version,
            serial=self.root.get("serialNumber"),
            subject_name=self.text(subject, "name") if subject is not None else None,
            subject_version=self.text(subject, "version") if subject is not None else None,
            components=tuple(self.components),
            dependencies=self.dependencies(),
            created=self.text(metadata, "timestamp") if metadata is not None else None,
            tools=self.tools(metadata) if metadata is not None else (),
            detail=SbomDetail.FULL if self.facts is None else SbomDetail.QUALITY,
            subject_ref=subject.get("bom-ref") if subject is not None else None,
            subject_purl=self.text(subject, "purl") if subject is not None else None,
            facts=None if self.facts is None else self.document_facts(metadata),
        )

    def walk(self, elements: list[Element], parent_ref: str | None,
             index_path: tuple[int, ...]) -> None:
        for index, element in enumerate(elements):
            if len(self.components) >= self.limits.max_components:
                raise LimitExceededError("sbom_too_many_components",
                                         limit=self.limits.max_components,
                                         location=f"line {element.sourceline}")
            path = (*index_path, index)
            component = self.component(element, parent_ref, path)
            self.components.append(component)
            if self.facts is not None:
                self.facts[component.ref] = self.component_facts(element)
            self.walk(self.children(element, "components", "component"), component.ref, path)

    def component(self, element: Element, parent_ref: str | None,
                  index_path: tuple[int, ...]) -> SbomComponent:
        name = self.text(element, "name") or ""
        purl = self.text(element, "purl")
        if purl:
            check_purl(purl, component=name, location=lambda: f"line {element.sourceline}")
        return SbomComponent(
            ref=element.get("bom-ref") or synthetic_ref(index_path),
            name=name,
            version=self.text(element, "version"),
            purl=purl,
            type=element.get("type", "library"),
            group=self.text(element, "group"),
            hashes=tuple(Hash(hash_algorithm(h.get("alg")), (h.text or "").strip().lower())
                         for h in self.children(element, "hashes", "hash")),
            licenses=self.licenses(element),
            supplier=self.text(element, "supplier", "name"),
            cpe=self.text(element, "cpe"),
            parent_ref=parent_ref,
            locations=self.locations(element),
        )

    def locations(self, element: Element) -> tuple[str, ...]:
        # CycloneDX 1.5+: evidence/occurrences/occurrence/location is where the file lies.
        occurrences = self.children(element, "evidence", "occurrences", "occurrence")
        paths = (product_path(self.text(o, "location") or "") for o in occurrences)
        return tuple(dict.fromkeys(p for p in paths if p))

    def licenses(self, element: Element) -> tuple[str, ...]:
        found: list[str] = []
        container = element.find(self.tag("licenses"))
        for entry in container if container is not None else ():
            if entry.tag == self.tag("license"):
                add_unique(found, self.text(entry, "id") or self.text(entry, "name"))
            elif entry.tag == self.tag("expression"):
                add_unique(found, entry.text)
        return tuple(found)

    def dependencies(self) -> tuple[tuple[str, str], ...]:
        return tuple((dependency.get("ref"), target.get("ref"))
                     for dependency in self.children(self.root, "dependencies", "dependency")
                     for target in self.children(dependency, "dependency"))

    def tools(self, metadata: Element) -> tuple[str, ...]:
        # Up to 1.4: tools/tool; from 1.5 also tools/components/component, tools/services/service.
        names: list[str] = []
        for path in (("tool",), ("components", "component"), ("services", "service")):
            for tool in self.children(metadata, "tools", *path):
                add_unique(names, self.text(tool, "name"))
        return tuple(names)

    # What a quality check asks besides (SbomDetail.QUALITY): as cyclonedx_facts reads it
    # from JSON, element for element.

    def component_facts(self, element: Element) -> ComponentFacts:
        manufacturer = element.find(self.tag("manufacturer"))
        contacts = self.entity_contacts(manufacturer)
        for email in self.children(element, "authors", "author", "email"):
            add_unique(contacts, email.text)
        concluded: list[str] = []
        declared: list[str] = []
        container = element.find(self.tag("licenses"))
        for entry in container if container is not None else ():
            value = entry.text if entry.tag == self.tag("expression") else \
                self.text(entry, "id") or self.text(entry, "name")
            found = {"concluded": concluded, "declared": declared}.get(
                entry.get("acknowledgement", ""))
            if found is not None:
                add_unique(found, value)
        distribution, source = self.references(element)
        swid = element.find(self.tag("swid"))
        return ComponentFacts(
            creator=(self.text(manufacturer, "name") if manufacturer is not None else None)
            or self.text(element, "author"),
            publisher=self.text(element, "publisher"),
            creator_contacts=tuple(contacts),
            properties=tuple((p.get("name"), p.text or "")
                             for p in self.children(element, "properties", "property")
                             if p.get("name", "").startswith(BSI_PROPERTY_PREFIX)),
            concluded_licences=tuple(concluded),
            declared_licences=tuple(declared),
            distribution_hashes=() if distribution is None else tuple(
                Hash(hash_algorithm(h.get("alg")), (h.text or "").strip().lower())
                for h in self.children(distribution, "hashes", "hash")),
            distribution_url=None if distribution is None else self.text(distribution, "url"),
            source_url=None if source is None else self.text(source, "url"),
            swid=None if swid is None else swid.get("tagId"),
        )

    def references(self, element: Element) -> tuple[Element | None, Element | None]:
        distribution = source = None
        for reference in self.children(element, "externalReferences", "reference"):
            kind = reference.get("type")
            if kind == "distribution" and distribution is None:
                distribution = reference
            elif kind in ("source-distribution", "vcs") and source is None:
                source = reference
        return distribution, source

    def entity_contacts(self, entity: Element | None) -> list[str]:
        contacts: list[str] = []
        if entity is not None:
            for url in self.children(entity, "url"):
                add_unique(contacts, url.text)
            for email in self.children(entity, "contact", "email"):
                add_unique(contacts, email.text)
        return contacts

    def document_facts(self, metadata: Element | None) -> SbomFacts:
        authors: list[str] = []
        contacts: list[str] = []
        if metadata is not None:
            for author in self.children(metadata, "authors", "author"):
                add_unique(authors, self.text(author, "name") or self.text(author, "email"))
                add_unique(contacts, self.text(author, "email"))
            manufacturer = metadata.find(self.tag("manufacturer"))
            if manufacturer is not None:
                add_unique(authors, self.text(manufacturer, "name"))
                for contact in self.entity_contacts(manufacturer):
                    add_unique(contacts, contact)
        graph: set[str] = set()
        for dependency in self.children(self.root, "dependencies", "dependency"):
            graph.add(dependency.get("ref"))
            graph.update(d.get("ref") for d in self.children(dependency, "dependency"))
        stated: set[str] = set()
        for composition in self.children(self.root, "compositions", "composition"):
            if (self.text(composition, "aggregate") or "not_specified") != "not_specified":
                stated.update(a.get("ref") for a in self.children(composition, "assemblies",
                                                                   "assembly"))
                stated.update(d.get("ref") for d in self.children(composition, "dependencies",
                                                                   "dependency"))
        return SbomFacts(tuple(authors), tuple(contacts), self.facts or {}, frozenset(graph),
                         frozenset(stated))
