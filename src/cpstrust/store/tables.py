"""SQL tables. The schema is owned by the Alembic migrations beside this file; these
declarations must match them (a test compares the two)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class OrganizationRow(Base):
    __tablename__ = "organization"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    country: Mapped[str | None] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(Text)


class SupplierRelationRow(Base):
    """Edge: ``supplier_id`` supplies ``customer_id`` (walked recursively for impact)."""

    __tablename__ = "supplier_relation"
    supplier_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id"), primary_key=True, index=True
    )
    tier: Mapped[int] = mapped_column(Integer, default=1)


class ProductRow(Base):
    __tablename__ = "product"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), default="device")
    description: Mapped[str | None] = mapped_column(Text)


class ReleaseRow(Base):
    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("product_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    version: Mapped[str] = mapped_column(String(255))


class SbomDocumentRow(Base):
    """The SBOM exactly as received: evidence of what came, from whom, when."""

    __tablename__ = "sbom_document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    format: Mapped[str] = mapped_column(String(32))
    spec_version: Mapped[str] = mapped_column(String(16))
    serial: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)  # read through store.documents
    # How content is stored ("zstd"; "identity" before 0005); size and sha256 are
    # those of the document as received.
    content_encoding: Mapped[str] = mapped_column(String(16), server_default="identity")
    source_name: Mapped[str] = mapped_column(Text)
    received_from_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    component_count: Mapped[int] = mapped_column(Integer)
    without_purl_count: Mapped[int] = mapped_column(Integer)
    # What the SBOM says it describes (from 0009; unknown for SBOMs stored before).
    subject_name: Mapped[str | None] = mapped_column(Text)
    subject_version: Mapped[str | None] = mapped_column(Text)
    subject_ref: Mapped[str | None] = mapped_column(Text)
    subject_purl: Mapped[str | None] = mapped_column(Text)


class ComponentRow(Base):
    __tablename__ = "component"
    # No index on (ecosystem, package): random inserts into it dirtied ~1,000 pages per
    # SBOM and halved ingest at 360k rows, and re-evaluation after an import reads many
    # components, where a table scan (343 ms at 1M rows) beats the index (1,435 ms).
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    sbom_id: Mapped[int] = mapped_column(ForeignKey("sbom_document.id"))
    ref: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    version: Mapped[str | None] = mapped_column(Text)
    purl: Mapped[str | None] = mapped_column(Text)
    ecosystem: Mapped[str | None] = mapped_column(String(32))  # family: pypi, go, npm, ...
    package: Mapped[str | None] = mapped_column(Text)  # normalised name for matching
    type: Mapped[str] = mapped_column(String(32))
    parent_ref: Mapped[str | None] = mapped_column(Text)
    hashes: Mapped[str | None] = mapped_column(Text)  # JSON {"SHA-256": "..."}
    licenses: Mapped[str | None] = mapped_column(Text)  # JSON list
    supplier: Mapped[str | None] = mapped_column(Text)


class ComponentDependencyRow(Base):
    """A dependency edge of one SBOM, in document order.

    Each end is the id of a component of the same SBOM, ~12 bytes a row where the two
    refs took ~150 (component.ref holds them): a million-component ingest wrote a quarter
    fewer bytes (ADR 0003). An end that is no component of the SBOM (its own subject,
    CycloneDX's metadata component; a ref nothing declares) keeps its ref instead.
    ``store.sboms.sbom_dependencies`` reads edges back as refs. The component ids are
    not foreign keys: SQLite would search the edges for every component a replaced SBOM
    deletes; the edges go first, with their SBOM.
    """

    __tablename__ = "component_dependency"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sbom_id: Mapped[int] = mapped_column(ForeignKey("sbom_document.id"), index=True)
    component_id: Mapped[int | None] = mapped_column(Integer)
    depends_on_id: Mapped[int | None] = mapped_column(Integer)
    ref: Mapped[str | None] = mapped_column(Text)  # only when component_id is None
    depends_on: Mapped[str | None] = mapped_column(Text)  # only when depends_on_id is None


class SiteRow(Base):
    __tablename__ = "site"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    kind: Mapped[str] = mapped_column(String(32))


class ZoneRow(Base):
    __tablename__ = "zone"
    __table_args__ = (UniqueConstraint("site_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(255))
    # Declared in the supply-chain file (1-5, migration 0019); None when not declared.
    criticality: Mapped[int | None] = mapped_column(Integer)


class DeviceRow(Base):
    __tablename__ = "device"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zone.id"))
    serial: Mapped[str | None] = mapped_column(String(255))
    ip: Mapped[str | None] = mapped_column(String(45), index=True)  # matched by the monitor
    mac: Mapped[str | None] = mapped_column(String(17))


class AdvisoryRow(Base):
    """One OSV record as imported (raw bytes kept), tied to its merged vulnerability."""

    __tablename__ = "advisory"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    vulnerability_id: Mapped[str] = mapped_column(String(128), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("advisory_source.id"), index=True)
    modified: Mapped[str] = mapped_column(String(40))
    withdrawn: Mapped[str | None] = mapped_column(String(40))
    aliases: Mapped[str] = mapped_column(Text)  # JSON list, as the record writes them
    severity: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class AffectedRow(Base):
    __tablename__ = "affected"
    __table_args__ = (Index("ix_affected_package", "ecosystem", "package"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    advisory_id: Mapped[str] = mapped_column(
        ForeignKey("advisory.id", ondelete="CASCADE"), index=True
    )
    ecosystem: Mapped[str] = mapped_column(String(32))  # family
    package: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)  # JSON: ecosystem, name, purl, ranges, versions


class VulnerabilityRow(Base):
    """A vulnerability after alias merging; ``id`` is the canonical id."""

    __tablename__ = "vulnerability"
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    aliases: Mapped[str] = mapped_column(Text)  # JSON list of every other id
    severity: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(Text)


class VulnerabilityIdRow(Base):
    """Every known id (canonical or alias) -> canonical id: ``impact`` looks up here."""

    __tablename__ = "vulnerability_id"
    alias: Mapped[str] = mapped_column(String(128), primary_key=True)
    vulnerability_id: Mapped[str] = mapped_column(String(128), index=True)


class AdvisorySourceRow(Base):
    __tablename__ = "advisory_source"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # directory | zip | download
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    record_count: Mapped[int] = mapped_column(Integer)
    newest_modified: Mapped[str | None] = mapped_column(String(40))


class CompiledPackageRow(Base):
    """A package's advisories compiled for matching (``vulndb.index.PackageIndex.record``,
    JSON): a scan reads them instead of compiling its packages' ranges again."""

    __tablename__ = "compiled_package"
    ecosystem: Mapped[str] = mapped_column(String(32), primary_key=True)  # family
    package: Mapped[str] = mapped_column(Text, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CompiledStateRow(Base):
    """One row: the advisory generation for which ``compiled_package`` is complete, and
    the fingerprint of the code that compiled it. Anything else, and scans compile."""

    __tablename__ = "compiled_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[str] = mapped_column(String(36))
    fingerprint: Mapped[str] = mapped_column(String(64))


class AdvisoryGenerationRow(Base):
    """One row, given a new random token by every transaction that changes advisories.

    Scans keep the advisories they read (and the indexes built from them) until the token
    changes. A token, not a counter: a rolled-back change must never be mistaken for the
    next committed one.
    """

    __tablename__ = "advisory_generation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(36))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FindingRow(Base):
    __tablename__ = "finding"
    __table_args__ = (
        UniqueConstraint("component_id", "vulnerability_id"),
        Index("ix_finding_vulnerability_release", "vulnerability_id", "release_id"),
        Index("ix_finding_release_severity", "release_id", "severity", "id"),
        Index("ix_finding_severity", "severity", "id"),  # worst first, page by page
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), default="vulnerability")
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"))
    component_id: Mapped[int] = mapped_column(ForeignKey("component.id", ondelete="CASCADE"))
    vulnerability_id: Mapped[str] = mapped_column(String(128))
    severity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    fixed_versions: Mapped[str] = mapped_column(Text)  # JSON list
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    # False: the version could not be compared with some range (MatchStatus.NOT_COMPARED).
    version_compared: Mapped[bool] = mapped_column(Boolean, server_default=true(), default=True)
    decided_by: Mapped[str] = mapped_column(String(16), server_default="engine",
                                            default="engine")  # model.lifecycle.Decider
    # Set by a VEX statement: its status as stated (under_investigation is an open
    # finding), its justification, and where it was written.
    vex_status: Mapped[str | None] = mapped_column(String(32))
    justification: Mapped[str | None] = mapped_column(String(64))
    vex_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("vex_document.id", name="fk_finding_vex_document"))
    vex_statement: Mapped[str | None] = mapped_column(Text)
    # A licence finding's licence as the policy flagged it (from 0015; None for a
    # vulnerability): vulnerability_id holds its rule id, which may end in a digest.
    licence: Mapped[str | None] = mapped_column(Text)


# Counts of the findings of each release and product, kept as the findings change
# (``store.finding_counts``, migration 0028, ADR 0024): a tenant's dashboard adds up a
# few rows per release it sees instead of every finding (a buyer's: 240,000 of them).
# Clustered by their key on SQLite (WITHOUT ROWID): a tenant's rows are read in a range.


class ReleaseFindingCountRow(Base):
    """How many findings of a release have each kind, status and severity."""

    __tablename__ = "release_finding_count"
    __table_args__ = ({"sqlite_with_rowid": False},)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    severity: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    findings: Mapped[int] = mapped_column(Integer)


class _VulnerabilityCounts:
    """How many findings name a vulnerability (of a kind, in a status), and the highest
    severity among them: the columns of the two tables below."""

    __table_args__: tuple[object, ...] = ({"sqlite_with_rowid": False},)
    vulnerability_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    findings: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)


class ReleaseVulnerabilityCountRow(_VulnerabilityCounts, Base):
    """Those of one release."""

    __tablename__ = "release_vulnerability_count"
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), primary_key=True)


class ProductVulnerabilityCountRow(_VulnerabilityCounts, Base):
    """Those summed over a product's releases, with in how many releases."""

    __tablename__ = "product_vulnerability_count"
    # a product's vulnerabilities in most of its releases first (migration 0032): where
    # the most widespread of a tenant's are looked for (``store.finding_counts``)
    __table_args__ = (Index("ix_product_vulnerability_count_releases", "product_id",
                            "status", "kind", "releases"), {"sqlite_with_rowid": False})
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    releases: Mapped[int] = mapped_column(Integer)


class LicencePolicyVersionRow(Base):
    """Every licence policy this installation has held, as set; the newest rules. A
    version without a document records that the policy was cleared."""

    __tablename__ = "licence_policy_version"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document: Mapped[bytes | None] = mapped_column(LargeBinary)  # the YAML as given
    sha256: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(Text)  # the file it was set from
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class VexDocumentRow(Base):
    """A VEX document exactly as received: evidence of the statements applied."""

    __tablename__ = "vex_document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    format: Mapped[str] = mapped_column(String(16))  # model.vex.VexFormat
    document_id: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    statements: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    source_name: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TrustStoreVersionRow(Base):
    """Every version of the trust store this installation has held; the newest rules."""

    __tablename__ = "trust_store_version"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document: Mapped[bytes] = mapped_column(LargeBinary)  # the JSON document
    sha256: Mapped[str] = mapped_column(String(64))
    envelope: Mapped[bytes | None] = mapped_column(LargeBinary)  # signed form, when it had one
    source: Mapped[str | None] = mapped_column(Text)  # file imported from, or None if edited here
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvidenceRow(Base):
    """A verified DSSE envelope kept byte for byte: what was proven, by whom, when."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    predicate_type: Mapped[str] = mapped_column(String(255))
    release_id: Mapped[int | None] = mapped_column(ForeignKey("release.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"), index=True)
    signer_keyids: Mapped[str] = mapped_column(Text)  # JSON list
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    envelope: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Organisational evidence (from 0012; None for releases and devices): what it said
    # when it was accepted, so that a listing need not read every envelope to filter.
    kind: Mapped[str | None] = mapped_column(String(32))
    organisation: Mapped[str | None] = mapped_column(String(255), index=True)
    subject: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A signed release: the SHA-256 of the SBOM it signed, "" when it names none (from
    # 0014; None for rows kept before, whose envelope says it).
    document_sha256: Mapped[str | None] = mapped_column(String(64))


class AttestationChallengeRow(Base):
    """A nonce issued to a device; ``used_at`` is set when it is answered (once)."""

    __tablename__ = "attestation_challenge"
    nonce: Mapped[str] = mapped_column(String(128), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DeviceAttestationRow(Base):
    """One appraised report; the newest per device is its current verdict."""

    __tablename__ = "device_attestation"
    __table_args__ = (Index("ix_device_attestation_latest", "device_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"))
    verdict: Mapped[str] = mapped_column(String(32))
    reasons: Mapped[str] = mapped_column(Text)  # JSON list
    signer_keyid: Mapped[str | None] = mapped_column(String(64))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    quote: Mapped[str | None] = mapped_column(Text)  # JSON {"attest", "signature"} (base64)
    appraised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DeviceFindingRow(Base):
    """An authenticity finding on a device, kept across attestations by (kind, path)."""

    __tablename__ = "device_finding"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device.id"), index=True)
    attestation_id: Mapped[int] = mapped_column(ForeignKey("device_attestation.id"),
                                                index=True)
    kind: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(Text)
    expected: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    reason: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str] = mapped_column(String(16), server_default="engine",
                                            default="engine")  # model.lifecycle.Decider


class EventRow(Base):
    """A finding introduced, resolved or reopened by a change: the outbox the sinks read,
    in id order. Self-contained (names, purl, aliases copied): its finding may be gone."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_product", "product", "id"),
                      Index("ix_event_at", "at", "id"))  # what changed since a time
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))  # model.events.EventKind
    finding_id: Mapped[int] = mapped_column(Integer)  # no foreign key: the finding may go
    release_id: Mapped[int] = mapped_column(Integer)
    product: Mapped[str] = mapped_column(String(255))
    version: Mapped[str] = mapped_column(String(255))
    vulnerability_id: Mapped[str] = mapped_column(String(128))
    aliases: Mapped[str] = mapped_column(Text)  # JSON list
    purl: Mapped[str] = mapped_column(Text)
    severity: Mapped[int] = mapped_column(Integer)
    old_status: Mapped[str | None] = mapped_column(String(16))  # None: it did not exist
    new_status: Mapped[str | None] = mapped_column(String(16))  # None: it is gone
    cause: Mapped[str] = mapped_column(String(16))  # model.events.CauseKind
    cause_reference: Mapped[str] = mapped_column(Text)
    # From 0015: the finding's kind (model.finding.FindingKind) and, for a licence
    # finding, its licence. An OT event names the OT finding's kind as vulnerability_id,
    # its key as purl and its device (or site) as product.
    finding_kind: Mapped[str] = mapped_column(String(16), server_default="vulnerability",
                                              default="vulnerability")
    licence: Mapped[str | None] = mapped_column(Text)


class EventSinkRow(Base):
    """Where each sink's delivery stands: every event up to ``delivered_id`` was
    delivered to it."""

    __tablename__ = "event_sink"
    name: Mapped[str] = mapped_column(Text, primary_key=True)
    delivered_id: Mapped[int] = mapped_column(Integer)
    delivered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# Identity and tenancy (0020): the service's users and API keys, each of one
# organisation (the tenant) with one role; the grants through which a supplier shows its
# products to another organisation; who changed a finding's status, when and why.


class UserRow(Base):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # model.identity.Role
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, with its parameters
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The server's operator (0031, ADR 0029): changes what every tenant shares.
    operator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ApiKeyRow(Base):
    """A key is ``cpst_<key_id>_<secret>``: the id finds the row, the secret's SHA-256 is
    compared (ADR 0016: why not argon2 for a 256-bit random secret)."""

    __tablename__ = "api_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Carries its user's operator power (0031): only while the user holds it too.
    operator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AccessGrantRow(Base):
    """``grantor`` shows ``grantee`` one of its products (``product_id``), or every one
    (``product_id`` None: the whole relationship)."""

    __tablename__ = "access_grant"
    __table_args__ = (UniqueConstraint("grantor_id", "grantee_id", "product_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grantor_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    grantee_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSessionRow(Base):
    """A browser's session (0021): the cookie's token is kept as its SHA-256, like an API
    key's secret; logging out deletes the row, so a copied cookie dies with it."""

    __tablename__ = "web_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))  # each form of the session posts it
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class LoginFailureRow(Base):
    """A failed login (0021), counted per user name and per client address over a window,
    in the database so that every worker refuses alike."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_user", "user_name", "at"),
                      Index("ix_login_failure_client", "client", "at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_name: Mapped[str] = mapped_column(String(255))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class JobRow(Base):
    """A background job (0022): what was asked, how far it is, how it ended. On SQLite the
    rows are also the queue (claimed by lease); on PostgreSQL procrastinate's queue holds
    the job's id and this row its state, progress and outcome."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_organisation", "organisation_id", "id"),
                      Index("ix_job_state", "state", "id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    requested_by: Mapped[str] = mapped_column(String(255))
    parameters: Mapped[str] = mapped_column(Text)  # JSON object: what the kind needs
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)  # an upload's body
    state: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str | None] = mapped_column(String(32))  # what ``done`` counts now
    done: Mapped[int] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    runs: Mapped[int] = mapped_column(Integer)
    worker: Mapped[str | None] = mapped_column(String(255))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[str | None] = mapped_column(Text)  # JSON object of counts
    failure: Mapped[str | None] = mapped_column(Text)  # JSON: code, english, japanese
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FindingAuditRow(Base):
    """A status change a caller made on a finding. Self-contained like the events: the
    finding may be replaced with its release's next SBOM, the trail stays."""

    __tablename__ = "finding_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(Integer, index=True)  # no foreign key: see above
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    actor: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    old_status: Mapped[str] = mapped_column(String(16))
    new_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


def table_of(entity: type[Base]) -> Table:
    """The Core table of a mapped class: bulk rows go through Core ``executemany``, since
    the ORM's bulk path collects per-row commands (measured 1.4x slower, ADR 0003)."""
    return cast(Table, entity.__table__)


class OscalDocumentRow(Base):
    """An OSCAL catalog, profile or mapping collection, kept byte for byte (``content``)
    with what lookups need of it in the rows below (migration 0011)."""

    __tablename__ = "oscal_document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    uuid: Mapped[str] = mapped_column(String(36))
    title: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(Text)
    oscal_version: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    shipped: Mapped[bool] = mapped_column(Boolean)
    provisional: Mapped[int] = mapped_column(Integer)  # entries marked unconfirmed
    entries: Mapped[int] = mapped_column(Integer)  # controls, selected items or maps
    scheme: Mapped[str | None] = mapped_column(String(64))
    level: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OscalControlRow(Base):
    __tablename__ = "oscal_control"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("oscal_document.id", ondelete="CASCADE"), primary_key=True)
    control_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(255), index=True)  # label, upper case
    label: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(Text)
    title_ja: Mapped[str | None] = mapped_column(Text)
    statement: Mapped[str | None] = mapped_column(Text)
    statement_ja: Mapped[str | None] = mapped_column(Text)
    group_id: Mapped[str | None] = mapped_column(String(255))
    parent_id: Mapped[str | None] = mapped_column(String(255))
    provisional: Mapped[str | None] = mapped_column(Text)


class OscalProfileItemRow(Base):
    """A control a profile selects, with the catalogue it comes from (resolved at import)."""

    __tablename__ = "oscal_profile_item"
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("oscal_document.id", ondelete="CASCADE"), primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("oscal_document.id"), primary_key=True)
    control_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class OscalMapEntryRow(Base):
    __tablename__ = "oscal_map_entry"
    mapping_id: Mapped[int] = mapped_column(
        ForeignKey("oscal_document.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("oscal_document.id"), index=True)
    source_id: Mapped[str] = mapped_column(String(255))
    framework: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[str] = mapped_column(String(255))
    relationship: Mapped[str] = mapped_column(String(32))
    rationale: Mapped[str | None] = mapped_column(Text)
    provisional: Mapped[str | None] = mapped_column(Text)


class AssessmentRow(Base):
    """An organisation's assessment against a stored catalogue or profile (migration
    0013); its answers are the organisation's, shared by every assessment asking them."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("organisation", "source"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(255))  # the catalogue or profile
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AssessmentAnswerRow(Base):
    """An organisation's answer to one requirement of a catalogue (by label)."""

    __tablename__ = "assessment_answer"
    organisation: Mapped[str] = mapped_column(String(255), primary_key=True)
    catalog: Mapped[str] = mapped_column(String(255), primary_key=True)
    requirement: Mapped[str] = mapped_column(String(255), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # model.orgevidence.RequirementStatus
    note: Mapped[str | None] = mapped_column(Text)
    maturity: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AssessmentAttachmentRow(Base):
    """An evidence file given with an answer: its path when given, SHA-256 and size."""

    __tablename__ = "assessment_attachment"
    organisation: Mapped[str] = mapped_column(String(255), primary_key=True)
    catalog: Mapped[str] = mapped_column(String(255), primary_key=True)
    requirement: Mapped[str] = mapped_column(String(255), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)


class TrustVerdictRow(Base):
    """A subject's verdict from the last trust evaluation (migration 0014); ``reasons``
    is a JSON list of messages (code and facts). Devices have theirs in
    ``trust_device_verdict`` (migration 0016)."""

    __tablename__ = "trust_verdict"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # model SubjectKind
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[str] = mapped_column(Text)
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class TrustDeviceVerdictRow(Base):
    """A device's verdict from the last trust evaluation, compactly (migration 0016): a
    million devices make a million rows. Its reasons are built again from the same
    inputs when shown; what an incremental evaluation needs is the verdict (for its
    systems) and when it must be computed again. No index on ``valid_until``: one scan
    per evaluation costs less than keeping it at every write."""

    __tablename__ = "trust_device_verdict"
    device_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    verdict: Mapped[str] = mapped_column(String(16))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TrustEvaluationRow(Base):
    """One row: what the last trust evaluation read, for the next to compute only what
    changed. ``findings`` is JSON: release id -> [count, sum of ids] of its open findings
    at or above the policy's lowest severity."""

    __tablename__ = "trust_evaluation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_sha256: Mapped[str] = mapped_column(String(64))
    trust_store_version: Mapped[int] = mapped_column(Integer)
    graph: Mapped[str] = mapped_column(String(64))
    evidence_mark: Mapped[int] = mapped_column(Integer)
    attestation_mark: Mapped[int] = mapped_column(Integer)
    findings: Mapped[str] = mapped_column(Text)
    evaluated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    counts: Mapped[str] = mapped_column(Text)  # JSON: kind -> verdict -> subjects (0016)


class VerifiedSignatureRow(Base):
    """A signature found valid under the trust store version given (migration 0030): the
    digest of its algorithm, public key, signed bytes and signature
    (``trust.verify.signature_digest``). The verifier skips the check of a signature
    held for the current version; one not held is checked."""

    __tablename__ = "verified_signature"
    trust_store_version: Mapped[int] = mapped_column(Integer, primary_key=True,
                                                     autoincrement=False)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)


class OtAssetRow(Base):
    """A host the OT monitor saw, merged over every capture of its site ("" for none)."""

    __tablename__ = "ot_asset"
    __table_args__ = (UniqueConstraint("site", "ip"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(255))
    ip: Mapped[str] = mapped_column(String(45))
    facts: Mapped[str] = mapped_column(Text)  # JSON: macs, roles, protocols, units, ...
    first_seen: Mapped[float] = mapped_column(Float)  # capture time, epoch seconds
    last_seen: Mapped[float] = mapped_column(Float)


class OtFindingRow(Base):
    """An OT finding: an alert's deviation, an unknown or a missing device; one per key,
    kept along the one finding lifecycle (model.lifecycle)."""

    __tablename__ = "ot_finding"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # AlertKind or an inventory kind
    site: Mapped[str] = mapped_column(String(255), index=True)  # "" for none
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"), index=True)
    src: Mapped[str | None] = mapped_column(String(45))
    dst: Mapped[str | None] = mapped_column(String(45))
    severity: Mapped[int] = mapped_column(Integer)
    technique: Mapped[str | None] = mapped_column(String(16))
    explanation: Mapped[str] = mapped_column(String(64))  # a message code
    facts: Mapped[str] = mapped_column(Text)  # JSON object: the message's facts
    count: Mapped[int] = mapped_column(Integer)
    first_seen: Mapped[float] = mapped_column(Float)  # capture time, epoch seconds
    last_seen: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[str] = mapped_column(String(16))  # model.lifecycle.Decider
    note: Mapped[str | None] = mapped_column(Text)


class OtIncidentRow(Base):
    """OT alert findings correlated into one incident (ot.incidents): the severity the
    graph raised and why, as last correlated."""

    __tablename__ = "ot_incident"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # the alerts' AlertKind
    technique: Mapped[str | None] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(String(16))  # model.ot_incident.Basis
    base_severity: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of messages (code and facts)
    status: Mapped[str] = mapped_column(String(16))  # model.ot_incident.IncidentStatus
    merged_into: Mapped[int | None] = mapped_column(Integer)
    first_seen: Mapped[float] = mapped_column(Float)  # capture time, epoch seconds
    last_seen: Mapped[float] = mapped_column(Float)
    devices: Mapped[int] = mapped_column(Integer)
    sites: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OtIncidentFindingRow(Base):
    """Which incident an OT alert finding belongs to: one each."""

    __tablename__ = "ot_incident_finding"
    finding_id: Mapped[int] = mapped_column(ForeignKey("ot_finding.id"), primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ot_incident.id"), index=True)
