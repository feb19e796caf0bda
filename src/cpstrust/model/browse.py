"""What the web UI's pages show a tenant beyond the API's listings: its supply chain as
a graph, a product with its releases, a release with its components, findings, the
dependency path to each vulnerable component and the signature status of its artifacts.
Every view holds only what the viewer may see (``app.browse`` reads it so)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cpstrust.messages import Message
from cpstrust.model.product_report import PathStep
from cpstrust.model.reports import StoredFinding
from cpstrust.model.tenancy import Access, ProductView


class NodeKind(StrEnum):
    ORGANISATION = "organisation"
    PRODUCT = "product"
    RELEASE = "release"
    DEVICE = "device"
    SITE = "site"


@dataclass(frozen=True, slots=True)
class GraphNode:
    key: str  # unique in the graph: "<kind>-<id>"
    kind: NodeKind
    label: str
    parent: str | None  # the key of the node it hangs from in the nested list
    page: str | None  # the path of its page under /ui, when it has one


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str


@dataclass(frozen=True, slots=True)
class SupplyGraph:
    """Organisations → products → releases → devices → sites; ``truncated`` when the
    viewer sees more nodes of a kind than a page shows."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    truncated: bool

    def roots(self) -> list[GraphNode]:
        """The nodes no edge leads to: where the nested list starts."""
        targets = {e.target for e in self.edges}
        return [n for n in self.nodes if n.key not in targets]

    def children(self) -> dict[str, list[GraphNode]]:
        """Each node's key -> the nodes its edges lead to, in the graph's order."""
        by_key = {n.key: n for n in self.nodes}
        below: dict[str, list[GraphNode]] = {}
        for edge in self.edges:
            if edge.target in by_key:
                below.setdefault(edge.source, []).append(by_key[edge.target])
        return below


@dataclass(frozen=True, slots=True)
class ReleaseLine:
    id: int
    version: str
    components: int
    open_findings: int


@dataclass(frozen=True, slots=True)
class ProductDetail:
    product: ProductView
    releases: tuple[ReleaseLine, ...]  # by version
    truncated: bool  # more releases than shown


@dataclass(frozen=True, slots=True)
class ComponentLine:
    ref: str
    name: str
    version: str | None
    purl: str | None
    type: str


class SignatureState(StrEnum):
    VERIFIED = "verified"  # a trusted key signed it, checked again against today's store
    REFUSED = "refused"  # the envelope no longer (or never) passes: see the reason


@dataclass(frozen=True, slots=True)
class SignedArtifact:
    name: str
    sha256: str | None


@dataclass(frozen=True, slots=True)
class ReleaseSignature:
    """One signed release kept as evidence, verified again as the page is read."""

    evidence_id: int
    source: str | None
    received_at: datetime
    state: SignatureState
    reason: Message | None  # why refused
    signers: tuple[str, ...]  # key ids of a verified signature
    artifacts: tuple[SignedArtifact, ...]  # the subjects of a verified signature
    sbom_is_signed: bool | None  # the release's current SBOM is the one signed (None: none)


@dataclass(frozen=True, slots=True)
class ReleaseHeading:
    """A release the viewer sees, and why it sees it."""

    id: int
    product_id: int
    product: str
    supplier: str
    version: str
    access: Access
    sbom_sha256: str | None  # the current SBOM's, None before one is stored


@dataclass(frozen=True, slots=True)
class ReleaseDetail:
    heading: ReleaseHeading
    components: tuple[ComponentLine, ...]  # by name, at most a page
    component_count: int
    findings: tuple[StoredFinding, ...]  # a page, worst first
    findings_after: tuple[int, int] | None  # (severity, id) the next page starts after
    paths: dict[int, tuple[PathStep, ...] | None]  # finding id -> path to its component
    signatures: tuple[ReleaseSignature, ...]  # newest first
