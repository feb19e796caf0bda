"""Keys on a PKCS#11 token (an HSM, a smart card, SoftHSM2): the key pair is generated
on the token, and the private half is sensitive and never leaves it."""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pkcs11
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from pkcs11 import exceptions as p11
from pkcs11.constants import Attribute, MechanismFlag, ObjectClass
from pkcs11.mechanisms import KeyType, Mechanism
from pkcs11.types import Key, Session, SignMixin, Token

from cpstrust import crypto
from cpstrust.crypto import PublicKey, keyid_of
from cpstrust.errors import CpstrustError, InputError
from cpstrust.model.trust import Algorithm, Backend, KeyRecord
from cpstrust.trust.interface import KeyBackend, Signer

PIN_HINT = "put the token's user PIN in an environment variable and pass --pin-env VAR"


@dataclass(frozen=True, slots=True)
class _Profile:
    """How one algorithm is generated and signed on a token."""

    keygen: Mechanism
    sign: Mechanism
    key_type: KeyType
    ec_params: bytes  # DER OID of the curve
    point_len: int  # raw public point: 32 bytes (Ed25519), 65 (uncompressed P-256)


_PROFILES = {
    Algorithm.ED25519: _Profile(Mechanism.EC_EDWARDS_KEY_PAIR_GEN, Mechanism.EDDSA,
                                KeyType.EC_EDWARDS, bytes.fromhex("06032b6570"), 32),
    # CKM_ECDSA over a SHA-256 digest: SoftHSM2 has no CKM_ECDSA_SHA256.
    Algorithm.ECDSA_P256: _Profile(Mechanism.EC_KEY_PAIR_GEN, Mechanism.ECDSA, KeyType.EC,
                                   bytes.fromhex("06082a8648ce3d030107"), 65),
}


class Pkcs11Signer(Signer):
    """Signs on the token in a session of its own; ``close`` ends it."""

    def __init__(self, record: KeyRecord, session: Session, private: SignMixin,
                 public_key: PublicKey) -> None:
        self._record, self._session = record, session
        self._private, self._public = private, public_key
        self._closed = False

    @property
    def record(self) -> KeyRecord:
        return self._record

    def sign(self, data: bytes) -> bytes:
        ed = self._record.algorithm is Algorithm.ED25519
        with _pkcs11_errors(f"signing with key {self._record.name!r}"):
            raw = self._private.sign(data if ed else hashlib.sha256(data).digest(),
                                     mechanism=_PROFILES[self._record.algorithm].sign)
        signature = raw if ed else crypto.ecdsa_der_from_raw(raw)
        # Fail closed: a token whose private key no longer matches the record signs nothing.
        if not crypto.verify_signature(self._public, self._record.algorithm, data, signature):
            raise CpstrustError(f"the signature by key {self._record.name!r} does not verify "
                                "with its recorded public key", hint="create a new key")
        return signature

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _LOGINS.close(self._record.locator["module"], self._record.locator["token"],
                          self._session)


class Pkcs11KeyBackend(KeyBackend):
    """``options``: ``module`` (path of the PKCS#11 .so) and ``token`` (token label);
    ``secrets["pin"]``: the user PIN."""

    backend = Backend.PKCS11

    def create(
        self,
        name: str,
        algorithm: Algorithm,
        options: Mapping[str, str],
        secrets: Mapping[str, str],
    ) -> KeyRecord:
        profile = _PROFILES[algorithm]
        module, token = _required(options, "module", name), _required(options, "token", name)
        key_id = os.urandom(16)
        session = _LOGINS.open(module, token, _pin(secrets, name), rw=True)
        try:
            with _pkcs11_errors(f"generating key {name!r} on token {token!r}"):
                available = session.token.slot.get_mechanisms()
                for mechanism in (profile.keygen, profile.sign):
                    if mechanism not in available:
                        raise InputError(f"token {token!r} does not support {mechanism.name}",
                                         source=module, hint="choose another algorithm or token")
                public, _ = session.generate_keypair(
                    profile.key_type, id=key_id, label=name, store=True, mechanism=profile.keygen,
                    capabilities=MechanismFlag.SIGN | MechanismFlag.VERIFY,
                    public_template={Attribute.EC_PARAMS: profile.ec_params},
                    private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False,
                                      Attribute.PRIVATE: True, Attribute.TOKEN: True},
                )
                public_key = _public_key_of(public, algorithm)
        finally:
            _LOGINS.close(module, token, session)
        return KeyRecord(
            name=name,
            backend=Backend.PKCS11,
            algorithm=algorithm,
            keyid=keyid_of(public_key),
            public_key_pem=crypto.public_pem(public_key),
            created_at=datetime.now(UTC),
            locator={"module": module, "token": token, "label": name, "id": key_id.hex()},
        )

    def open(self, record: KeyRecord, secrets: Mapping[str, str]) -> Signer:
        try:
            module, token = record.locator["module"], record.locator["token"]
            label, key_id = record.locator["label"], bytes.fromhex(record.locator["id"])
        except (KeyError, ValueError) as exc:
            raise InputError(f"key {record.name!r} has a damaged PKCS#11 locator: {exc}") from exc
        where = f"key {label!r} (id {key_id.hex()}) on token {token!r}"
        session = _LOGINS.open(module, token, _pin(secrets, record.name), rw=False)
        try:
            with _pkcs11_errors(f"opening {where}"):
                private = _find(session, ObjectClass.PRIVATE_KEY, label, key_id, where)
                public_key = _public_key_of(
                    _find(session, ObjectClass.PUBLIC_KEY, label, key_id, where), record.algorithm)
            if not isinstance(private, SignMixin) or keyid_of(public_key) != record.keyid:
                raise InputError(f"{where} does not match the key record (keyid {record.keyid})",
                                 source=module, hint="the key on the token was replaced")
            return Pkcs11Signer(record, session, private, public_key)
        except BaseException:
            _LOGINS.close(module, token, session)
            raise


class _Logins:
    """PKCS#11 logs in once per token for the whole process, and python-pkcs11's
    ``Session.close`` logs every session out: so one anchor session per token holds the
    login while any of our sessions on it is open, and later callers must give its PIN."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._anchors: dict[tuple[str, str], tuple[Session, bytes, int]] = {}

    def open(self, module: str, label: str, pin: str, *, rw: bool) -> Session:
        key, digest = (os.path.realpath(module), label), hashlib.sha256(pin.encode()).digest()
        with self._lock:
            token = _token(module, label)
            if key in self._anchors:
                anchor, known, users = self._anchors[key]
                if not hmac.compare_digest(known, digest):
                    raise _pin_refused(label, module, "not the PIN it is logged in with")
            else:
                anchor, users = _login(token, label, module, pin), 0
            try:
                with _pkcs11_errors(f"opening a session on token {label!r}"):
                    session = token.open(rw=rw)  # shares the anchor's login
            except CpstrustError:
                if not users:
                    anchor.close()
                raise
            self._anchors[key] = (anchor, digest, users + 1)
            return session

    def close(self, module: str, label: str, session: Session) -> None:
        key = (os.path.realpath(module), label)
        with self._lock, _pkcs11_errors(f"closing a session on token {label!r}"):
            anchor, digest, users = self._anchors.pop(key)
            if users > 1:
                self._anchors[key] = (anchor, digest, users - 1)
            try:
                session.close()
            finally:
                if users == 1:
                    anchor.close()  # logs the token out


_LOGINS = _Logins()  # process-wide, as PKCS#11 login state is


@contextmanager
def _pkcs11_errors(doing: str) -> Iterator[None]:
    """No raw PKCS#11 exception escapes; their messages are often empty, so name the type."""
    try:
        yield
    except p11.PKCS11Error as exc:
        raise CpstrustError(f"{doing} failed: PKCS#11 {type(exc).__name__} {exc}".rstrip()) from exc


def _required(options: Mapping[str, str], option: str, name: str) -> str:
    if value := options.get(option, ""):
        return value
    what = "path of the PKCS#11 module (.so)" if option == "module" else "token label"
    raise InputError(f"PKCS#11 key {name!r} needs --{option}: the {what}",
                     hint="e.g. --module /usr/lib/softhsm/libsofthsm2.so --token cpstrust")


def _pin(secrets: Mapping[str, str], name: str) -> str:
    if pin := secrets.get("pin", ""):
        return pin
    raise InputError(f"PKCS#11 key {name!r} needs the token's user PIN", hint=PIN_HINT)


def _pin_refused(label: str, module: str, why: str) -> InputError:
    return InputError(f"token {label!r} refused the PIN ({why})", source=module, hint=PIN_HINT)


def _token(module: str, label: str) -> Token:
    if not Path(module).is_file():
        raise InputError("PKCS#11 module not found", source=module,
                         hint="install the token's PKCS#11 library or correct the path")
    try:
        return pkcs11.lib(os.path.realpath(module)).get_token(token_label=label)
    except p11.NoSuchToken as exc:
        raise InputError(f"no token labelled {label!r}", source=module,
                         hint="list them with 'pkcs11-tool --module MODULE --list-token-slots'"
                         " or 'softhsm2-util --show-slots'") from exc
    except p11.MultipleTokensReturned as exc:
        raise InputError(f"several tokens are labelled {label!r}", source=module,
                         hint="give each token a distinct label") from exc
    except p11.PKCS11Error as exc:
        raise InputError(f"cannot load the PKCS#11 module: {exc}", source=module,
                         hint="is this the PKCS#11 library of the token?") from exc


def _login(token: Token, label: str, module: str, pin: str) -> Session:
    try:
        return token.open(user_pin=pin)
    except p11.PinLocked as exc:
        raise InputError(f"the user PIN of token {label!r} is locked", source=module,
                         hint="unlock it with the security officer PIN") from exc
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange) as exc:
        why = "wrong PIN" if isinstance(exc, p11.PinIncorrect) else "malformed PIN"
        raise _pin_refused(label, module, why) from exc
    except p11.PKCS11Error as exc:
        raise CpstrustError(f"cannot log in to token {label!r}: PKCS#11 "
                            f"{type(exc).__name__} {exc}".rstrip(), source=module) from exc


def _find(session: Session, kind: ObjectClass, label: str, key_id: bytes, where: str) -> Key:
    try:
        return session.get_key(object_class=kind, label=label, id=key_id)
    except p11.NoSuchKey as exc:
        raise InputError(f"{where}: no {kind.name.lower().replace('_', ' ')} found",
                         hint="is this the token the key was created on?") from exc
    except p11.MultipleObjectsReturned as exc:
        raise InputError(f"{where}: several objects match", hint="remove the duplicate") from exc


def _public_key_of(public: Key, algorithm: Algorithm) -> PublicKey:
    """The key as the token holds it: CKA_EC_POINT is a DER OCTET STRING (the spec) or,
    on some tokens, the bare point."""
    size = _PROFILES[algorithm].point_len
    point = bytes(public[Attribute.EC_POINT])
    if len(point) == size + 2 and point[:2] == bytes([0x04, size]):
        point = point[2:]
    try:
        if len(point) != size:
            raise ValueError(f"{len(point)} bytes, expected {size}")
        if algorithm is Algorithm.ED25519:
            return ed25519.Ed25519PublicKey.from_public_bytes(point)
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as exc:
        raise CpstrustError(f"the token's {algorithm} public key is unusable: {exc}") from exc
