"""Blast radius of one vulnerability: a single indexed recursive query over the graph."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Select, bindparam, select, text
from sqlalchemy.orm import Session

from cpstrust.errors import NotFoundError
from cpstrust.model.advisory import Severity
from cpstrust.model.reports import (
    AffectedComponent,
    AffectedDevice,
    AffectedOrganization,
    AffectedSite,
    Impact,
)
from cpstrust.store.tables import ReleaseRow, VulnerabilityIdRow, VulnerabilityRow
from cpstrust.store.tenancy import VIEWER, visible_product_ids

# Findings still in force (open or accepted) name the components; from them the query
# climbs to releases, products and their supplier, then walks supplier_relation upward
# (supplier -> customer, recursively, so every organisation downstream of the supplier
# that receives the product is reached) and out to devices and their sites. Scoped to a
# viewer (a tenant of the service), each step keeps only what the viewer may see: the
# products it owns or was granted, the organisations it is or that granted it, the
# devices at the sites it operates.
_IMPACT_SQL = """
WITH RECURSIVE
hit AS (
  SELECT f.component_id, f.release_id, f.severity, f.status, f.fixed_versions
  FROM finding f
  WHERE f.vulnerability_id = :vid AND f.status IN ('open', 'accepted'){hit_where}
),
rel AS (
  SELECT DISTINCT r.id AS release_id, r.version, p.id AS product_id, p.name AS product,
         p.supplier_id
  FROM hit JOIN release r ON r.id = hit.release_id JOIN product p ON p.id = r.product_id
),
chain(org_id, tier) AS (
  SELECT DISTINCT supplier_id, 0 FROM rel
  UNION
  SELECT sr.customer_id, chain.tier + 1
  FROM supplier_relation sr JOIN chain ON sr.supplier_id = chain.org_id
  WHERE chain.tier < 20
),
dev AS (
  SELECT d.name, d.serial, rel.product, rel.version, s.name AS site, z.name AS zone,
         s.id AS site_id
  FROM rel JOIN device d ON d.release_id = rel.release_id
  JOIN site s ON s.id = d.site_id LEFT JOIN zone z ON z.id = d.zone_id{dev_where}
)
SELECT 'component', c.name, c.version, c.purl, p.name, r.version, hit.status, hit.severity,
       hit.fixed_versions
FROM hit JOIN component c ON c.id = hit.component_id
JOIN release r ON r.id = hit.release_id JOIN product p ON p.id = r.product_id
UNION ALL
SELECT 'organization', o.name, NULL, NULL, NULL, NULL, NULL, MIN(chain.tier), NULL
FROM chain JOIN organization o ON o.id = chain.org_id{org_where} GROUP BY o.name
UNION ALL
SELECT 'device', dev.name, dev.serial, dev.zone, dev.product, dev.version, dev.site,
       CAST(NULL AS INTEGER), NULL
FROM dev
UNION ALL
SELECT DISTINCT 'site', s.name, s.kind, o.name, NULL, NULL, NULL, CAST(NULL AS INTEGER), NULL
FROM dev JOIN site s ON s.id = dev.site_id JOIN organization o ON o.id = s.operator_id
"""
_GRANTORS = "SELECT g.grantor_id FROM access_grant g WHERE g.grantee_id = :viewer"
# The viewer's findings of the vulnerability are read release by release, in the releases
# of the products it owns or was granted (ix_finding_vulnerability_release, migration
# 0033): on bench_service's 1M store a buyer sees 238 of the widest vulnerability's 2,356
# findings, which were all read before and filtered by product. The products are
# tenancy's own rule (``visible_product_ids``: own and granted read apart, ADR 0025),
# compiled into this statement's text rather than written out a second time.
_VISIBLE_RELEASES = "f.release_id IN ({})".format(
    select(ReleaseRow.id).where(ReleaseRow.product_id.in_(visible_product_ids(VIEWER)))
    .compile())
_WHOLE = text(_IMPACT_SQL.format(hit_where="", dev_where="", org_where=""))
_SCOPED = text(_IMPACT_SQL.format(
    hit_where=f"\n    AND {_VISIBLE_RELEASES}",
    dev_where="\n  WHERE s.operator_id = :viewer",
    org_where=f"\nWHERE o.id = :viewer OR o.id IN ({_GRANTORS})",
))


class _Vulnerability(NamedTuple):
    id: str
    aliases: str  # JSON list
    severity: int
    summary: str | None


def resolve_vulnerability(session: Session, identifier: str) -> _Vulnerability:
    """The merged vulnerability known as ``identifier`` (any alias; else its upper case)."""
    wanted = identifier.strip()
    found = {alias: row for alias, *row in session.execute(
        _by_alias(), {"wanted": wanted, "upper": wanted.upper()})}
    row = found.get(wanted) or found.get(wanted.upper())
    if row is None or row[0] is None:
        raise NotFoundError("store_no_vulnerability", identifier=identifier)
    return _Vulnerability(*row)


@cache
def _by_alias() -> Select[*tuple[Any, ...]]:
    """Both spellings' rows in one statement, built once (every impact request's)."""
    ids, vulnerability = VulnerabilityIdRow, VulnerabilityRow
    return (select(ids.alias, vulnerability.id, vulnerability.aliases, vulnerability.severity,
                   vulnerability.summary)
            .outerjoin(vulnerability, vulnerability.id == ids.vulnerability_id)
            .where(ids.alias.in_([bindparam("wanted"), bindparam("upper")])))


def impact(session: Session, identifier: str, viewer: int | None = None) -> Impact:
    """The blast radius of a vulnerability: across the whole store, or only what
    organisation ``viewer`` may see (the same vulnerability, possibly nothing hit)."""
    vuln = resolve_vulnerability(session, identifier)
    if viewer is None:
        rows = session.execute(_WHOLE, {"vid": vuln.id}).all()
    else:
        rows = session.execute(_SCOPED, {"vid": vuln.id, "viewer": viewer}).all()
    groups: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for row in rows:
        groups[str(row[0])].append(tuple(row[1:]))
    # the findings of one vulnerability mostly name the same fixed versions: each list
    # parsed once (a buyer's widest: 240 components, a tenth of the answer's CPU)
    fixed: dict[str, tuple[str, ...]] = {}

    def fixed_versions(text: str) -> tuple[str, ...]:
        found = fixed.get(text)
        if found is None:
            found = fixed[text] = tuple(orjson.loads(text))
        return found

    components = sorted(
        (
            AffectedComponent(
                str(n),
                _opt(v),
                _opt(p),
                str(prod),
                str(rel),
                str(st),
                _SEVERITIES[int(str(sev))],
                fixed_versions(str(fx)),
            )
            for n, v, p, prod, rel, st, sev, fx in groups["component"]
        ),
        key=lambda c: (c.product, c.release, c.name, c.version or ""),
    )
    return Impact(
        query=identifier,
        vulnerability_id=vuln.id,
        aliases=tuple(orjson.loads(vuln.aliases)),
        severity=Severity(vuln.severity),
        summary=vuln.summary,
        components=tuple(components),
        releases=tuple(sorted({(c.product, c.release) for c in components})),
        products=tuple(sorted({c.product for c in components})),
        organizations=tuple(
            sorted(
                (
                    AffectedOrganization(str(n), int(str(t)))
                    for n, *_, t, _fx in groups["organization"]
                ),
                key=lambda o: (o.tier, o.name),
            )
        ),
        devices=tuple(
            sorted(
                (
                    AffectedDevice(str(n), _opt(se), str(prod), str(rel), str(site), _opt(z))
                    for n, se, z, prod, rel, site, *_ in groups["device"]
                ),
                key=lambda d: (d.site, d.name),
            )
        ),
        sites=tuple(
            sorted(
                (AffectedSite(str(n), str(k), str(op)) for n, k, op, *_ in groups["site"]),
                key=lambda s: s.name,
            )
        ),
    )


_SEVERITIES = {int(s): s for s in Severity}


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
