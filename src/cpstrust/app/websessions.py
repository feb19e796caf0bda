"""Browser sessions of the web UI: a login checks the user's argon2 hash and opens a
session kept server-side (the cookie's random token, stored as its SHA-256, with the
session's CSRF token and expiry); logging out deletes it. Failed logins are counted in
the database per user name and per client address, so that several workers refuse a
guesser alike; over the limit a login is refused before its password is checked.

Why a session table and not a signed cookie: logging out (or an admin deleting the
rows) ends a session at once on every worker, and there is no signing key to keep,
rotate and share between workers. The cost is one indexed read per page.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from cpstrust.app.identity import MAX_PASSWORD, hash_password
from cpstrust.app.services import Services
from cpstrust.errors import AuthenticationError, TooManyAttemptsError
from cpstrust.model.identity import Caller
from cpstrust.store import identity as identity_store
from cpstrust.store import websessions as session_store


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    session_lifetime: timedelta = timedelta(hours=8)  # a working day, then log in again
    window: timedelta = timedelta(minutes=15)
    max_user_failures: int = 5  # per user name in the window: a guesser of one account
    max_client_failures: int = 20  # per client address: a guesser of many accounts


@dataclass(frozen=True, slots=True)
class WebSession:
    """A live session: who it stands for and the token its forms must post."""

    caller: Caller
    user: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class NewWebSession:
    session: WebSession
    token: str  # the cookie's value: shown to the browser once, kept as a digest


def login(services: Services, user: str, password: str, client: str, at: datetime,
          policy: LoginPolicy = LoginPolicy()) -> NewWebSession:
    """A new session for ``user`` when ``password`` is its own. TooManyAttemptsError
    when the user or the client failed too often in the window; AuthenticationError
    (one message, whether the user exists or not) otherwise."""
    with services.store.transaction() as session:
        by_user, from_client = session_store.failures_since(session, user, client,
                                                            at - policy.window)
        found = identity_store.user_by_name(session, user)
    if by_user >= policy.max_user_failures or from_client >= policy.max_client_failures:
        raise TooManyAttemptsError("websession_too_many_failures",
                                   minutes=int(policy.window.total_seconds() // 60))
    # The hash is checked outside any transaction (~50 ms of CPU); an unknown user's
    # password against a hash of nothing, so that both cost the same.
    if not _password_matches(found[2] if found else _decoy_hash(), password) or not found:
        with services.store.transaction() as session:
            session_store.add_failure(session, user, client, at)
        raise AuthenticationError("websession_login_failed")
    info, user_id, _ = found
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with services.store.transaction() as session:
        session_store.forget_failures(session, user, at - policy.window)
        session_store.delete_expired_sessions(session, user_id, at)
        session_store.add_session(session, token_sha256=_digest(token), user_id=user_id,
                                  csrf_token=csrf, at=at,
                                  expires_at=at + policy.session_lifetime)
        caller = session_store.session_for_check(session, _digest(token))
    assert caller is not None  # written a moment ago, in this transaction
    return NewWebSession(WebSession(caller[0], info.name, csrf, caller[3]), token)


def current_session(services: Services, token: str | None, at: datetime) -> WebSession:
    """The live session a cookie's token stands for; AuthenticationError for none, an
    unknown one, or one past its expiry."""
    if not token or len(token) > 128:
        raise AuthenticationError("websession_none")
    with services.store.transaction() as session:
        found = session_store.session_for_check(session, _digest(token))
    if found is None:
        raise AuthenticationError("websession_none")
    caller, user, csrf, expires_at = found
    if expires_at <= at:
        raise AuthenticationError("websession_expired")
    return WebSession(caller, user, csrf, expires_at)


def logout(services: Services, token: str) -> None:
    """End the session: its row is deleted, so its cookie opens nothing any more."""
    with services.store.transaction() as session:
        session_store.delete_session(session, _digest(token))


def csrf_matches(session: WebSession, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(session.csrf_token.encode(),
                                                         presented.encode())


def _password_matches(password_hash: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    if len(password) > MAX_PASSWORD:
        return False
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
