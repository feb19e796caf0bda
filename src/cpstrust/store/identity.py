"""Loads and saves users, API keys and access grants (issue 15). What they permit is
the model's (``model.identity``) and the application layer's to decide."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, select, update
from sqlalchemy.orm import Session

from cpstrust.model.identity import ApiKeyInfo, Role, UserInfo
from cpstrust.store.tables import (
    AccessGrantRow,
    ApiKeyRow,
    OrganizationRow,
    ProductRow,
    UserRow,
)


def organisation_id(session: Session, name: str) -> int | None:
    return session.scalar(select(OrganizationRow.id).where(OrganizationRow.name == name))


def add_organisation(session: Session, name: str) -> int:
    row = OrganizationRow(name=name)
    session.add(row)
    session.flush()
    return row.id


def user_exists(session: Session, name: str) -> bool:
    return session.scalar(select(UserRow.id).where(UserRow.name == name)) is not None


def add_user(session: Session, name: str, organisation: int, role: Role, password_hash: str,
             at: datetime, *, operator: bool = False) -> None:
    session.add(UserRow(name=name, organisation_id=organisation, role=role.value,
                        password_hash=password_hash, created_at=at, operator=operator))
    session.flush()


def user_by_name(session: Session, name: str) -> tuple[UserInfo, int, str] | None:
    """The user, its row id and its password hash."""
    found = session.execute(
        select(UserRow, OrganizationRow.name)
        .join(OrganizationRow, OrganizationRow.id == UserRow.organisation_id)
        .where(UserRow.name == name)
    ).first()
    if found is None:
        return None
    row, organisation = found
    return (UserInfo(row.name, organisation, Role(row.role), row.created_at, row.operator),
            row.id, row.password_hash)


def add_api_key(session: Session, *, key_id: str, secret_sha256: str, organisation: int,
                role: Role, user_id: int | None, at: datetime,
                expires_at: datetime | None, operator: bool = False) -> None:
    session.add(ApiKeyRow(key_id=key_id, secret_sha256=secret_sha256,
                          organisation_id=organisation, role=role.value, user_id=user_id,
                          created_at=at, expires_at=expires_at, operator=operator))
    session.flush()


# A key is an operator's while its user is one too: taking the power from the user
# takes it from every key made for it.
_KEY_COLUMNS = (ApiKeyRow.key_id, OrganizationRow.name, ApiKeyRow.role, UserRow.name,
                ApiKeyRow.created_at, ApiKeyRow.expires_at, ApiKeyRow.revoked_at,
                ApiKeyRow.last_used_at, and_(ApiKeyRow.operator, UserRow.operator))


def _key_info(row: tuple[object, ...]) -> ApiKeyInfo:
    key_id, organisation, role, user, created, expires, revoked, used, operator = row
    return ApiKeyInfo(str(key_id), str(organisation), Role(str(role)),
                      user if isinstance(user, str) else None, aware(created),
                      _aware_or_none(expires), _aware_or_none(revoked), _aware_or_none(used),
                      bool(operator))


def aware(value: object) -> datetime:
    """SQLite hands datetimes back without their zone; every one we store is UTC."""
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _aware_or_none(value: object) -> datetime | None:
    return None if value is None else aware(value)


def api_keys(session: Session, organisation: int | None) -> list[ApiKeyInfo]:
    """Every key (of one organisation when given), oldest first."""
    query = (select(*_KEY_COLUMNS)
             .join(OrganizationRow, OrganizationRow.id == ApiKeyRow.organisation_id)
             .outerjoin(UserRow, UserRow.id == ApiKeyRow.user_id)
             .order_by(ApiKeyRow.id))
    if organisation is not None:
        query = query.where(ApiKeyRow.organisation_id == organisation)
    return [_key_info(tuple(row)) for row in session.execute(query)]


def api_key_for_check(session: Session, key_id: str,
                      ) -> tuple[ApiKeyInfo, int, str] | None:
    """The key with this id, its organisation's id and its secret's digest."""
    row = session.execute(_key_for_check(), {"key_id": key_id}).first()
    if row is None:
        return None
    return _key_info(tuple(row[:9])), int(row[9]), str(row[10])


@cache
def _key_for_check() -> Select[*tuple[Any, ...]]:
    """Built once: every API request reads its key by it (building it each time cost
    about what executing it does)."""
    return (select(*_KEY_COLUMNS, ApiKeyRow.organisation_id, ApiKeyRow.secret_sha256)
            .join(OrganizationRow, OrganizationRow.id == ApiKeyRow.organisation_id)
            .outerjoin(UserRow, UserRow.id == ApiKeyRow.user_id)
            .where(ApiKeyRow.key_id == bindparam("key_id")))


def touch_api_key(session: Session, key_id: str, at: datetime) -> None:
    session.execute(update(ApiKeyRow).where(ApiKeyRow.key_id == key_id)
                    .values(last_used_at=at))


def revoke_api_key(session: Session, key_id: str, at: datetime) -> bool:
    """Revoke a key (a revoked one keeps its first revocation time); False when there is
    no such key."""
    done = session.execute(update(ApiKeyRow)
                           .where(ApiKeyRow.key_id == key_id, ApiKeyRow.revoked_at.is_(None))
                           .values(revoked_at=at))
    if done.rowcount:  # type: ignore[attr-defined]
        return True
    return session.scalar(select(ApiKeyRow.id).where(ApiKeyRow.key_id == key_id)) is not None


def product_of(session: Session, name: str) -> tuple[int, int] | None:
    """A product's id and its supplier's id."""
    row = session.execute(select(ProductRow.id, ProductRow.supplier_id)
                          .where(ProductRow.name == name)).first()
    return None if row is None else (int(row[0]), int(row[1]))


def add_grant(session: Session, grantor: int, grantee: int, product: int | None,
              at: datetime) -> bool:
    """Record a grant; False when the same one is already recorded."""
    same = select(AccessGrantRow.id).where(
        AccessGrantRow.grantor_id == grantor, AccessGrantRow.grantee_id == grantee,
        AccessGrantRow.product_id.is_(None) if product is None
        else AccessGrantRow.product_id == product)
    if session.scalar(same) is not None:
        return False
    session.add(AccessGrantRow(grantor_id=grantor, grantee_id=grantee, product_id=product,
                               created_at=at))
    session.flush()
    return True
