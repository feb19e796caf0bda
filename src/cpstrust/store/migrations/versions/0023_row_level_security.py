"""row-level security on every tenant-owned table (PostgreSQL only)

The second line of tenancy (issue 15, ADR 0019): the application layer filters every
query by the caller's organisation; on PostgreSQL the database refuses the rest too.
A transaction of a tenant's request names its organisation in the setting
``cpstrust.organisation`` (``SET LOCAL``, ``Store.transaction(tenant=...)``); it then
sees its own rows and what a supplier granted it, and writes only its own. The entry
points that are not a tenant's request (the command line, migrations, jobs, the
authentication of a request) run with ``all``, which the store sets on each of its
connections; a connection that names nothing sees nothing.

Tables shared by every tenant (advisories, catalogues, the trust store, the licence
policy, VEX documents, trust verdicts and the evaluation state) have no policy.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_TENANT = "(SELECT cpstrust_tenant())"  # a sub-select: computed once per statement
_ALL = "(SELECT cpstrust_scope_all())"
_OWNED_RELEASES = (f"(SELECT r.id FROM release r JOIN product p ON p.id = r.product_id "
                   f"WHERE p.supplier_id = {_TENANT})")
_OWN_NAME = f"(SELECT o.name FROM organization o WHERE o.id = {_TENANT})"
_VISIBLE_RELEASE = "release_id IN (SELECT id FROM release)"
_RELEASE_RULES = (_VISIBLE_RELEASE, f"release_id IN {_OWNED_RELEASES}")
_DEVICE_RULE = "device_id IN (SELECT id FROM device)"

# table -> (which rows a tenant sees, which it may write; None: only with ``all``).
# A sub-select of another table sees only what that table's policy lets through, so a
# release is visible when its product is, a component when its release is, and so on.
POLICIES: dict[str, tuple[str | None, str | None]] = {
    "organization": (f"id = {_TENANT} OR id IN (SELECT grantor_id FROM access_grant) "
                     "OR id IN (SELECT grantee_id FROM access_grant)", f"id = {_TENANT}"),
    "supplier_relation": (f"supplier_id = {_TENANT} OR customer_id = {_TENANT}",
                          f"supplier_id = {_TENANT} OR customer_id = {_TENANT}"),
    "access_grant": (f"grantor_id = {_TENANT} OR grantee_id = {_TENANT}",
                     f"grantor_id = {_TENANT}"),
    "product": (f"supplier_id = {_TENANT} "
                f"OR id IN (SELECT product_id FROM access_grant WHERE grantee_id = {_TENANT}) "
                f"OR supplier_id IN (SELECT grantor_id FROM access_grant "
                f"WHERE grantee_id = {_TENANT} AND product_id IS NULL)",
                f"supplier_id = {_TENANT}"),
    "release": ("product_id IN (SELECT id FROM product)",
                f"product_id IN (SELECT id FROM product WHERE supplier_id = {_TENANT})"),
    "sbom_document": _RELEASE_RULES,
    "component": _RELEASE_RULES,
    "component_dependency": (
        "sbom_id IN (SELECT id FROM sbom_document)",
        f"sbom_id IN (SELECT id FROM sbom_document WHERE release_id IN {_OWNED_RELEASES})"),
    "finding": _RELEASE_RULES,
    "finding_audit": (
        "finding_id IN (SELECT id FROM finding)",
        f"organisation_id = {_TENANT} AND finding_id IN "
        f"(SELECT id FROM finding WHERE release_id IN {_OWNED_RELEASES})"),
    "event": _RELEASE_RULES,
    "site": (f"operator_id = {_TENANT}", f"operator_id = {_TENANT}"),
    "zone": ("site_id IN (SELECT id FROM site)", "site_id IN (SELECT id FROM site)"),
    "device": ("site_id IN (SELECT id FROM site)", "site_id IN (SELECT id FROM site)"),
    "attestation_challenge": (_DEVICE_RULE, _DEVICE_RULE),
    "device_attestation": (_DEVICE_RULE, _DEVICE_RULE),
    "device_finding": (_DEVICE_RULE, _DEVICE_RULE),
    "trust_device_verdict": (_DEVICE_RULE, None),
    "evidence": (f"{_VISIBLE_RELEASE} OR {_DEVICE_RULE} OR organisation IN {_OWN_NAME}",
                 f"release_id IN {_OWNED_RELEASES} OR {_DEVICE_RULE} "
                 f"OR organisation IN {_OWN_NAME}"),
    "assessment": (f"organisation IN {_OWN_NAME}", f"organisation IN {_OWN_NAME}"),
    "assessment_answer": (f"organisation IN {_OWN_NAME}", f"organisation IN {_OWN_NAME}"),
    "assessment_attachment": (f"organisation IN {_OWN_NAME}", f"organisation IN {_OWN_NAME}"),
    "ot_asset": ("site IN (SELECT name FROM site)", "site IN (SELECT name FROM site)"),
    "ot_finding": ("site IN (SELECT name FROM site)", "site IN (SELECT name FROM site)"),
    "ot_incident_finding": ("finding_id IN (SELECT id FROM ot_finding)", None),
    "ot_incident": ("id IN (SELECT incident_id FROM ot_incident_finding)", None),
    "app_user": (f"organisation_id = {_TENANT}", f"organisation_id = {_TENANT}"),
    "api_key": (f"organisation_id = {_TENANT}", f"organisation_id = {_TENANT}"),
    "web_session": ("user_id IN (SELECT id FROM app_user)",
                    "user_id IN (SELECT id FROM app_user)"),
    "job": (f"organisation_id = {_TENANT}", f"organisation_id = {_TENANT}"),
    "login_failure": (None, None),  # read and written by the login alone, before a tenant
}

_FUNCTIONS = """
CREATE FUNCTION cpstrust_tenant() RETURNS integer LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN current_setting('cpstrust.organisation', true) ~ '^[0-9]{1,9}$'
                THEN current_setting('cpstrust.organisation', true)::integer END
$$;
CREATE FUNCTION cpstrust_scope_all() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('cpstrust.organisation', true) = 'all', false)
$$;
"""


def _either(rule: str | None) -> str:
    return _ALL if rule is None else f"{_ALL} OR ({rule})"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no row-level security: the application layer's filter alone
    op.execute(_FUNCTIONS)
    for table, (visible, owned) in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")  # its owner too
        # One policy per command: a tenant sees what it was granted, and may change or
        # delete only its own (a single FOR ALL policy would let it delete what it sees).
        op.execute(f"CREATE POLICY tenant_read ON {table} FOR SELECT USING ({_either(visible)})")
        op.execute(f"CREATE POLICY tenant_insert ON {table} FOR INSERT "
                   f"WITH CHECK ({_either(owned)})")
        op.execute(f"CREATE POLICY tenant_update ON {table} FOR UPDATE "
                   f"USING ({_either(owned)}) WITH CHECK ({_either(owned)})")
        op.execute(f"CREATE POLICY tenant_delete ON {table} FOR DELETE USING ({_either(owned)})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in POLICIES:
        for policy in ("tenant_read", "tenant_insert", "tenant_update", "tenant_delete"):
            op.execute(f"DROP POLICY {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION cpstrust_scope_all(); DROP FUNCTION cpstrust_tenant();")
