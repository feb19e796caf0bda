"""Identity: users (argon2 password hashes), API keys (shown once, kept as a digest,
of one organisation with one role, expiring, revocable, last use recorded), grants of
a supplier's products to another organisation, and who a presented key is.

A key is ``cpst_<key id>_<secret>``: 64 bits of id that find the row, 256 bits of
secret whose SHA-256 is kept. A secret that random needs no slow hash (nothing to guess
from the digest); argon2 on each request would cost ~50 ms of CPU (ADR 0016).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from cpstrust.app.services import Services
from cpstrust.errors import AuthenticationError, ConflictError, InputError, NotFoundError
from cpstrust.model.identity import PERMITTED, ApiKeyInfo, Caller, NewApiKey, Role, UserInfo
from cpstrust.store import identity as identity_store

KEY_PREFIX = "cpst"
MIN_PASSWORD = 12  # characters: NIST SP 800-63B asks at least 8; an admin account, more
MAX_PASSWORD = 1024  # argon2 hashes whatever it is given: bound the work
LAST_USE_GRANULARITY = timedelta(seconds=60)  # a write per minute per key, not per request


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher  # argon2id with the library's current parameters

    return PasswordHasher().hash(password)


def create_user(services: Services, name: str, organisation: str, role: Role, password: str,
                at: datetime, *, operator: bool = False) -> tuple[UserInfo, bool]:
    """Add a user of ``organisation`` (created when new: a tenant is an organisation);
    returns the user and whether the organisation was created. An ``operator`` may
    besides change what every tenant shares (ADR 0029); only the machine's owner makes
    one, from the command line."""
    if not name.strip() or len(name) > 255:
        raise InputError("identity_user_name_invalid", name=name)
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InputError("identity_password_length", minimum=MIN_PASSWORD, maximum=MAX_PASSWORD)
    digest = hash_password(password)
    with services.store.transaction() as session:
        if identity_store.user_exists(session, name):
            raise ConflictError("identity_user_exists", name=name)
        org = identity_store.organisation_id(session, organisation)
        created = org is None
        if org is None:
            org = identity_store.add_organisation(session, organisation)
        identity_store.add_user(session, name, org, role, digest, at, operator=operator)
    return UserInfo(name, organisation, role, at, operator), created


def create_api_key(services: Services, *, at: datetime, organisation: str | None = None,
                   role: Role | None = None, user: str | None = None,
                   expires_in: timedelta | None = None, operator: bool = False) -> NewApiKey:
    """A new key of ``organisation`` with ``role``; of ``user`` (its organisation, and its
    role or one that permits less), when named. An ``operator`` key carries its user's
    operator power, so the user must hold it. The secret is in the result only."""
    with services.store.transaction() as session:
        user_id: int | None = None
        if operator and user is None:
            raise InputError("identity_operator_key_needs_operator")
        if user is not None:
            found = identity_store.user_by_name(session, user)
            if found is None:
                raise NotFoundError("identity_no_user", name=user)
            owner, user_id, _ = found
            if operator and not owner.operator:
                raise InputError("identity_operator_key_needs_operator")
            if organisation not in (None, owner.organisation):
                raise InputError("identity_key_outside_user_org", name=user,
                                 organisation=organisation)
            organisation = owner.organisation
            if role is not None and not PERMITTED[role] <= PERMITTED[owner.role]:
                raise InputError("identity_key_role_above_user", name=user, role=role.value,
                                 user_role=owner.role.value)
            role = role or owner.role
        if organisation is None or role is None:
            raise InputError("identity_key_needs_owner")
        org = identity_store.organisation_id(session, organisation)
        if org is None:
            raise NotFoundError("identity_no_organisation", name=organisation)
        key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        expires_at = at + expires_in if expires_in is not None else None
        identity_store.add_api_key(session, key_id=key_id, secret_sha256=_digest(secret),
                                   organisation=org, role=role, user_id=user_id, at=at,
                                   expires_at=expires_at, operator=operator)
    info = ApiKeyInfo(key_id, organisation, role, user, at, expires_at, None, None, operator)
    return NewApiKey(info, f"{KEY_PREFIX}_{key_id}_{secret}")


def list_api_keys(services: Services, organisation: str | None = None) -> list[ApiKeyInfo]:
    with services.store.transaction() as session:
        org = None
        if organisation is not None:
            org = identity_store.organisation_id(session, organisation)
            if org is None:
                raise NotFoundError("identity_no_organisation", name=organisation)
        return identity_store.api_keys(session, org)


def revoke_api_key(services: Services, key_id: str, at: datetime) -> None:
    with services.store.transaction() as session:
        if not identity_store.revoke_api_key(session, key_id, at):
            raise NotFoundError("identity_no_api_key", key_id=key_id)


def grant_products(services: Services, *, supplier: str, to: str, product: str | None,
                   at: datetime) -> bool:
    """``supplier`` shows ``to`` one of its products, or every one (no product). False
    when that grant was already recorded."""
    with services.store.transaction() as session:
        grantor = identity_store.organisation_id(session, supplier)
        grantee = identity_store.organisation_id(session, to)
        for name, found in ((supplier, grantor), (to, grantee)):
            if found is None:
                raise NotFoundError("identity_no_organisation", name=name)
        assert grantor is not None and grantee is not None
        if grantor == grantee:
            raise InputError("identity_grant_to_itself", name=supplier)
        product_id = None
        if product is not None:
            owned = identity_store.product_of(session, product)
            if owned is None or owned[1] != grantor:
                raise NotFoundError("identity_no_product_of", product=product, supplier=supplier)
            product_id = owned[0]
        return identity_store.add_grant(session, grantor, grantee, product_id, at)


def authenticate(services: Services, presented: str | None, at: datetime) -> Caller:
    """The caller a presented key stands for. AuthenticationError when there is none,
    or it is malformed, unknown, wrong, revoked or expired; which of the first four
    the caller is not told (one message), the last two it is."""
    if not presented:
        raise AuthenticationError("identity_no_credentials")
    prefix, _, rest = presented.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != KEY_PREFIX or not key_id or not secret or len(presented) > 128:
        raise AuthenticationError("identity_key_invalid")
    with services.store.transaction() as session:
        found = identity_store.api_key_for_check(session, key_id)
        if found is None or not hmac.compare_digest(found[2], _digest(secret)):
            raise AuthenticationError("identity_key_invalid")
        info, org, _ = found
        if info.revoked_at is not None:
            raise AuthenticationError("identity_key_revoked", key_id=key_id)
        if info.expires_at is not None and info.expires_at <= at:
            raise AuthenticationError("identity_key_expired", key_id=key_id)
        if info.last_used_at is None or at - info.last_used_at >= LAST_USE_GRANULARITY:
            identity_store.touch_api_key(session, key_id, at)
    return Caller(org, info.organisation, info.role, f"key:{key_id}", info.operator)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
