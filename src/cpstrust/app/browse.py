"""The use cases behind the web UI's pages (``model.browse``), each for an authenticated
caller and one transaction, like those of ``app.tenancy`` the API calls: the supply
chain as a graph, a product, a release. A thing the caller may not see is
answered as not found, never as forbidden, so that its existence is not told either.

Devices and sites are the operator's: a caller sees those of the sites its organisation
operates, and the product a device runs only when that product is its own or granted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import quote

from cpstrust.app.services import Services
from cpstrust.app.tenancy import require
from cpstrust.errors import NotFoundError
from cpstrust.formats.dsse import read_envelope
from cpstrust.formats.slsa import PROVENANCE_V1
from cpstrust.model.browse import (
    GraphEdge,
    GraphNode,
    NodeKind,
    ProductDetail,
    ReleaseDetail,
    ReleaseSignature,
    SignatureState,
    SignedArtifact,
    SupplyGraph,
)
from cpstrust.model.identity import Action, Caller
from cpstrust.model.product_report import PathStep
from cpstrust.model.trust import EMPTY_TRUST_STORE, Refused, TrustStore
from cpstrust.sbom.paths import shortest_paths
from cpstrust.store import browse as browse_store
from cpstrust.store.trust import current_trust_store
from cpstrust.trust.release import verify_release

GRAPH_SHOWN = 500  # nodes of each kind in the graph; more are left out, and said so
RELEASES_SHOWN = 200  # of a product
COMPONENTS_SHOWN = 500  # of a release, by name
FINDINGS_SHOWN = 100  # of a release, a page: a form each, and thousands are not rare


def supply_graph(services: Services, caller: Caller) -> SupplyGraph:
    """The caller's supply chain: its organisation and the suppliers that granted it
    products, the products it sees with their releases, and the devices at its sites
    (joined to the release each runs when the caller sees it) with the sites."""
    require(caller, Action.READ)
    viewer = caller.organisation_id
    with services.tenant_transaction(caller) as session:
        products = browse_store.visible_products(session, viewer, GRAPH_SHOWN + 1)
        releases = browse_store.visible_releases(session, viewer, GRAPH_SHOWN + 1,
                                                 counted=False)
        devices = browse_store.operated_devices(session, viewer, GRAPH_SHOWN + 1)
        sites = browse_store.operated_sites(session, viewer, GRAPH_SHOWN + 1)
    truncated = any(len(kind) > GRAPH_SHOWN for kind in (products, releases, devices, sites))
    products, releases = products[:GRAPH_SHOWN], releases[:GRAPH_SHOWN]
    devices, sites = devices[:GRAPH_SHOWN], sites[:GRAPH_SHOWN]
    organisations = dict.fromkeys([caller.organisation, *(p.supplier for p in products)])
    nodes = [GraphNode(_key(NodeKind.ORGANISATION, name), NodeKind.ORGANISATION, name, None,
                       None) for name in organisations]
    nodes += [GraphNode(_key(NodeKind.PRODUCT, p.id), NodeKind.PRODUCT, p.name,
                        _key(NodeKind.ORGANISATION, p.supplier), f"/products/{p.id}")
              for p in products]
    shown_products = {p.id for p in products}
    nodes += [GraphNode(_key(NodeKind.RELEASE, r.id), NodeKind.RELEASE, r.version,
                        _key(NodeKind.PRODUCT, pid), f"/releases/{r.id}")
              for pid, r in releases if pid in shown_products]
    shown_releases = {r.id for pid, r in releases if pid in shown_products}
    nodes += [GraphNode(_key(NodeKind.SITE, sid), NodeKind.SITE, name, None, None)
              for sid, name in sites]
    site_keys = {name: _key(NodeKind.SITE, sid) for sid, name in sites}
    nodes += [GraphNode(_key(NodeKind.DEVICE, d.id), NodeKind.DEVICE, d.name,
                        site_keys.get(d.site), f"/devices/{quote(d.name, safe='')}")
              for d in devices]
    edges = [GraphEdge(n.parent, n.key) for n in nodes if n.parent is not None
             and n.kind is not NodeKind.DEVICE]
    # A device is the edge between the release it runs and the site it stands at.
    edges += [GraphEdge(_key(NodeKind.RELEASE, d.release_id), _key(NodeKind.DEVICE, d.id))
              for d in devices if d.release_visible and d.release_id in shown_releases]
    edges += [GraphEdge(_key(NodeKind.DEVICE, d.id), site_keys[d.site])
              for d in devices if d.site in site_keys]
    return SupplyGraph(tuple(nodes), tuple(edges), truncated)


def _key(kind: NodeKind, ident: object) -> str:
    return f"{kind.value}-{ident}"


def product_detail(services: Services, caller: Caller, product_id: int) -> ProductDetail:
    require(caller, Action.READ)
    viewer = caller.organisation_id
    with services.tenant_transaction(caller) as session:
        found = browse_store.visible_products(session, viewer, 1, product_id=product_id)
        if not found:
            raise NotFoundError("browse_no_product", product_id=product_id)
        releases = browse_store.visible_releases(session, viewer, RELEASES_SHOWN + 1,
                                                 product_id=product_id)
    lines = tuple(r for _, r in releases)
    return ProductDetail(found[0], lines[:RELEASES_SHOWN], len(lines) > RELEASES_SHOWN)


def release_detail(services: Services, caller: Caller, release_id: int, at: datetime,
                   after: tuple[int, int] | None = None) -> ReleaseDetail:
    """A release the caller sees: its components, a page of its findings (worst first,
    from after the (severity, id) ``after``) with the dependency path to each finding's
    component, and each signed release kept for it, verified again against the trust
    store as it is at ``at``."""
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        release = browse_store.visible_release(session, caller.organisation_id, release_id)
        if release is None:
            raise NotFoundError("browse_no_release", release_id=release_id)
        components, count = browse_store.release_components(session, release_id,
                                                             COMPONENTS_SHOWN)
        findings = browse_store.release_findings(session, release_id, FINDINGS_SHOWN + 1,
                                                 after)
        more = len(findings) > FINDINGS_SHOWN
        findings = findings[:FINDINGS_SHOWN]
        edges = (browse_store.named_dependencies(session, release.sbom_id)
                 if release.sbom_id is not None and findings else [])
        kept = browse_store.release_envelopes(session, release_id, PROVENANCE_V1)
        store = current_trust_store(session) if kept else EMPTY_TRUST_STORE
    roots = _roots(release, edges)
    reached = shortest_paths(((a.ref, b.ref) for a, b in edges), roots,
                             {ref for _, ref in findings})
    named = {step.ref: step for edge in edges for step in edge}
    signatures = tuple(_signature(envelope, store, release.heading.sbom_sha256, at)
                       for envelope in kept)
    return ReleaseDetail(
        heading=release.heading, components=tuple(components),
        component_count=count, findings=tuple(f for f, _ in findings),
        findings_after=(int(findings[-1][0].severity), findings[-1][0].id) if more else None,
        paths={f.id: _named_path(reached.get(ref), named) for f, ref in findings},
        signatures=signatures)


def _roots(release: browse_store.VisibleRelease,
           edges: Sequence[tuple[PathStep, PathStep]]) -> tuple[str, ...]:
    """Where paths start, as ``sbom.paths.root_refs`` says: the described product's own
    ref, else the components that are the product by name and version."""
    if release.subject_ref:
        return (release.subject_ref,)
    if not release.subject_name:
        return ()
    return tuple(dict.fromkeys(
        step.ref for edge in edges for step in edge
        if step.name == release.subject_name and step.version == release.subject_version))


def _named_path(path: Iterable[str] | None,
                named: dict[str, PathStep]) -> tuple[PathStep, ...] | None:
    if path is None:
        return None
    return tuple(named.get(ref, PathStep(ref, ref, None)) for ref in path)


def _signature(kept: browse_store.KeptEnvelope, store: TrustStore, sbom_sha256: str | None,
               at: datetime) -> ReleaseSignature:
    verified = verify_release(read_envelope(kept.envelope, kept.source or "evidence"), store,
                              at=at, source=kept.source or "evidence")
    if isinstance(verified, Refused):
        return ReleaseSignature(kept.id, kept.source, kept.received_at,
                                SignatureState.REFUSED, verified.message, (), (), None)
    artifacts = tuple(SignedArtifact(s.name, s.digest.get("sha256"))
                      for s in verified.statement.subjects)
    signed_sbom = kept.document_sha256
    return ReleaseSignature(
        kept.id, kept.source, kept.received_at, SignatureState.VERIFIED, None,
        tuple(k.keyid for k in verified.signers), artifacts,
        None if not signed_sbom or sbom_sha256 is None else signed_sbom == sbom_sha256)
