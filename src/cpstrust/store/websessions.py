"""Loads and saves browser sessions and failed logins (0021). How long a session lives
and how many failures are refused is the application layer's to decide."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session

from cpstrust.model.identity import Caller, Role
from cpstrust.store.identity import aware
from cpstrust.store.tables import LoginFailureRow, OrganizationRow, UserRow, WebSessionRow


def add_session(session: Session, *, token_sha256: str, user_id: int, csrf_token: str,
                at: datetime, expires_at: datetime) -> None:
    session.add(WebSessionRow(token_sha256=token_sha256, user_id=user_id,
                              csrf_token=csrf_token, created_at=at, expires_at=expires_at))
    session.flush()


def session_for_check(session: Session, token_sha256: str,
                      ) -> tuple[Caller, str, str, datetime] | None:
    """The caller a session stands for, its user's name, its CSRF token and when it
    expires; None for no such session."""
    row = session.execute(_session_for_check(), {"token_sha256": token_sha256}).first()
    if row is None:
        return None
    org_id, organisation, role, user, csrf, expires, operator = row
    return (Caller(int(org_id), str(organisation), Role(str(role)), f"user:{user}",
                   bool(operator)),
            str(user), str(csrf), aware(expires))


@cache
def _session_for_check() -> Select[*tuple[Any, ...]]:
    """Built once: every page a browser asks for reads its session by it."""
    return (select(UserRow.organisation_id, OrganizationRow.name, UserRow.role, UserRow.name,
                   WebSessionRow.csrf_token, WebSessionRow.expires_at, UserRow.operator)
            .join(UserRow, UserRow.id == WebSessionRow.user_id)
            .join(OrganizationRow, OrganizationRow.id == UserRow.organisation_id)
            .where(WebSessionRow.token_sha256 == bindparam("token_sha256")))


def delete_session(session: Session, token_sha256: str) -> bool:
    done = session.execute(delete(WebSessionRow)
                           .where(WebSessionRow.token_sha256 == token_sha256))
    return bool(getattr(done, "rowcount", 0))


def delete_expired_sessions(session: Session, user_id: int, at: datetime) -> None:
    """A user's sessions past their expiry: dropped at each of its logins, so the
    table holds no more than its users' live sessions and the last ones of each."""
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user_id,
                                                WebSessionRow.expires_at <= at))


def failures_since(session: Session, user_name: str, client: str,
                   since: datetime) -> tuple[int, int]:
    """Failed logins after ``since``: for this user name, and from this client."""
    recent = select(func.count()).select_from(LoginFailureRow).where(LoginFailureRow.at > since)
    by_user = session.scalar(recent.where(LoginFailureRow.user_name == user_name)) or 0
    from_client = session.scalar(recent.where(LoginFailureRow.client == client)) or 0
    return int(by_user), int(from_client)


def add_failure(session: Session, user_name: str, client: str, at: datetime) -> None:
    session.add(LoginFailureRow(user_name=user_name[:255], client=client[:64], at=at))
    session.flush()


def forget_failures(session: Session, user_name: str, before: datetime) -> None:
    """A user's failures, once it logged in, and everyone's older than the window."""
    session.execute(delete(LoginFailureRow).where(
        or_(LoginFailureRow.user_name == user_name, LoginFailureRow.at <= before)))
