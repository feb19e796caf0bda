"""CSAF 2.0 VEX (``document.category`` ``csaf_vex``) to ``VexDocument``.

The fields read are checked here, each naming its place: the CSAF JSON schema is
published under the OASIS IPR policy, not an open licence, so it is not bundled.

Products come from the product tree: a ``product_identification_helper`` names one by
purl or CPE; otherwise the branches above it give its name (``product_name``) and
version (``product_version``, or a ``product_version_range`` written as ``vers``; a range
in free text names no version cpstrust can compare, so the product is compared with
nothing). A relationship (``default_component_of``, ...) names a component inside a
product. Product statuses map to VEX statuses: ``known_not_affected`` to not_affected,
``fixed`` and ``first_fixed`` to fixed, ``known_affected``, ``first_affected`` and
``last_affected`` to affected, ``under_investigation`` to under_investigation. As the
CSAF conformance tests require, a product id that the tree does not define, or one
product under two statuses of one vulnerability, is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from cpstrust.formats.jsonread import pointer
from cpstrust.formats.vers import parse_vers
from cpstrust.formats.vexfields import Fields, Path
from cpstrust.model.vex import ProductId, VexDocument, VexFormat, VexStatement, VexStatus

_STATUS = {
    "known_not_affected": VexStatus.NOT_AFFECTED, "fixed": VexStatus.FIXED,
    "first_fixed": VexStatus.FIXED, "known_affected": VexStatus.AFFECTED,
    "first_affected": VexStatus.AFFECTED, "last_affected": VexStatus.AFFECTED,
    "under_investigation": VexStatus.UNDER_INVESTIGATION,
}
_MAX_BRANCH_DEPTH = 30


def is_csaf(document: object) -> bool:
    head = document.get("document") if isinstance(document, dict) else None
    return isinstance(head, dict) and "csaf_version" in head


def read_csaf_vex(document: dict[str, Any], *, source: str, sha256: str) -> VexDocument:
    """A CSAF document already parsed (duplicate keys refused, limits checked)."""
    fields = Fields(source)
    head = fields.required(document, "document", dict, ())
    if fields.required(head, "csaf_version", str, ("document",)) != "2.0":
        raise fields.error("vex_csaf_version", ("document", "csaf_version"),
                           version=str(head["csaf_version"])[:20])
    if fields.required(head, "category", str, ("document",)) != "csaf_vex":
        raise fields.error("vex_csaf_not_vex", ("document", "category"),
                           category=head["category"][:60])
    tracking = fields.required(head, "tracking", dict, ("document",))
    issued = fields.timestamp(tracking, "current_release_date", ("document", "tracking"))
    publisher = fields.required(head, "publisher", dict, ("document",))
    products = _ProductTree(fields, fields.optional(document, "product_tree", dict, ()) or {})
    statements = [statement
                  for at, node in fields.objects(document, "vulnerabilities", ())
                  for statement in _statements(fields, node, at, products, issued)]
    if not statements:
        raise fields.error("vex_no_statement", ("vulnerabilities",), format="CSAF")
    return VexDocument(VexFormat.CSAF, source,
                       fields.required(tracking, "id", str, ("document", "tracking")),
                       fields.required(publisher, "name", str, ("document", "publisher")),
                       issued, tuple(statements), sha256)


class _ProductTree:
    """Product ids to the products they name, and product groups to their ids."""

    def __init__(self, fields: Fields, tree: Mapping[str, Any]) -> None:
        self.fields = fields
        self.products: dict[str, ProductId] = {}
        at: Path = ("product_tree",)
        for b_at, branch in fields.objects(tree, "branches", at):
            self._branch(branch, b_at, {}, 1)
        for p_at, full in fields.objects(tree, "full_product_names", at):
            self._define(full, p_at, {})
        for r_at, relation in fields.objects(tree, "relationships", at):
            self._relationship(relation, r_at)
        self.groups = {
            fields.required(g, "group_id", str, g_at): fields.strings(g, "product_ids", g_at)
            for g_at, g in fields.objects(tree, "product_groups", at)}

    def _branch(self, node: dict[str, Any], at: Path, above: dict[str, str], depth: int) -> None:
        if depth > _MAX_BRANCH_DEPTH:
            raise self.fields.error("input_nesting_too_deep", at, limit=_MAX_BRANCH_DEPTH)
        category = self.fields.required(node, "category", str, at)
        here = {**above, category: self.fields.required(node, "name", str, at)}
        product = self.fields.optional(node, "product", dict, at)
        if product is not None:
            self._define(product, (*at, "product"), here)
        for b_at, branch in self.fields.objects(node, "branches", at):
            self._branch(branch, b_at, here, depth + 1)

    def _define(self, full: dict[str, Any], at: Path, branches: dict[str, str]) -> None:
        self.fields.required(full, "product_id", str, at)
        self._define_as(full, at, self._product(full, at, branches))

    def _product(self, full: dict[str, Any], at: Path, branches: dict[str, str]) -> ProductId:
        label = f"{full['product_id']} ({self.fields.required(full, 'name', str, at)})"
        helper = self.fields.optional(full, "product_identification_helper", dict, at) or {}
        purl = self.fields.optional(helper, "purl", str, (*at, "product_identification_helper"))
        cpe = self.fields.optional(helper, "cpe", str, (*at, "product_identification_helper"))
        if purl or cpe:
            return ProductId(label=label, purl=purl, cpe=cpe)
        name = branches.get("product_name")
        written_range = branches.get("product_version_range")
        if written_range is None:
            return ProductId(label=label, name=name, version=branches.get("product_version"))
        if not written_range.startswith("vers:"):
            return ProductId(label=label)  # a free-text range: nothing to compare
        return ProductId(label=label, name=name, ranges=(parse_vers(
            written_range, source=self.fields.source, location=pointer(at)),))

    def _relationship(self, relation: dict[str, Any], at: Path) -> None:
        component = self.named(self.fields.required(relation, "product_reference", str, at),
                               (*at, "product_reference"))
        product = self.named(
            self.fields.required(relation, "relates_to_product_reference", str, at),
            (*at, "relates_to_product_reference"))
        full = self.fields.required(relation, "full_product_name", dict, at)
        self._define_as(full, (*at, "full_product_name"), ProductId(
            label=f"{full.get('product_id')} ({component.label} in {product.label})",
            purl=product.purl, cpe=product.cpe, name=product.name, version=product.version,
            ranges=product.ranges, subcomponents=(component,)))

    def _define_as(self, full: dict[str, Any], at: Path, product: ProductId) -> None:
        product_id = self.fields.required(full, "product_id", str, at)
        if product_id in self.products:
            raise self.fields.error("vex_csaf_product_twice", (*at, "product_id"),
                                    product=product_id)
        self.products[product_id] = product

    def named(self, product_id: str, at: Path) -> ProductId:
        product = self.products.get(product_id)
        if product is None:
            raise self.fields.error("vex_csaf_unknown_product", at, product=product_id)
        return product

    def ids(self, node: Mapping[str, Any], at: Path) -> Iterator[str]:
        """The product ids a flag, threat or remediation names, groups expanded."""
        yield from self.fields.strings(node, "product_ids", at)
        for i, group in enumerate(self.fields.strings(node, "group_ids", at)):
            if group not in self.groups:
                raise self.fields.error("vex_csaf_unknown_group", (*at, "group_ids", i),
                                        group=group)
            yield from self.groups[group]


def _statements(fields: Fields, node: dict[str, Any], at: Path, tree: _ProductTree,
                issued: datetime | None) -> Iterator[VexStatement]:
    name = fields.optional(node, "cve", str, at)
    ids = [fields.required(i, "text", str, i_at) for i_at, i in fields.objects(node, "ids", at)]
    if name is None and not ids:
        raise fields.error("vex_csaf_unnamed_vulnerability", at)
    vulnerability, *aliases = [name, *ids] if name else ids
    justification = _per_product(fields, tree, node, "flags", "label", at)
    impact = _per_product(fields, tree, node, "threats", "details", at, category="impact")
    action = _per_product(fields, tree, node, "remediations", "details", at)
    statuses = fields.optional(node, "product_status", dict, at) or {}
    seen: dict[str, str] = {}
    for key, status in _STATUS.items():
        for i, product_id in enumerate(fields.strings(statuses, key, (*at, "product_status"))):
            place = (*at, "product_status", key, i)
            if product_id in seen and seen[product_id] != key:
                raise fields.error("vex_csaf_status_twice", place, product=product_id,
                                   first=seen[product_id], second=key)
            seen[product_id] = key
            yield VexStatement(vulnerability, tuple(aliases), status,
                               justification.get(product_id), impact.get(product_id),
                               action.get(product_id), (tree.named(product_id, place),),
                               issued, pointer(place))


def _per_product(fields: Fields, tree: _ProductTree, node: dict[str, Any], key: str,
                 text: str, at: Path, category: str | None = None) -> dict[str, str]:
    """``node[key][*][text]`` by the product ids each entry names (texts joined)."""
    found: dict[str, list[str]] = {}
    for e_at, entry in fields.objects(node, key, at):
        if category is not None and entry.get("category") != category:
            continue
        value = fields.required(entry, text, str, e_at)
        for product_id in tree.ids(entry, e_at):
            tree.named(product_id, e_at)
            found.setdefault(product_id, []).append(value)
    return {product_id: "; ".join(values) for product_id, values in found.items()}
