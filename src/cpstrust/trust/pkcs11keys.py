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
from cpstrust.messages import Message, message
from cpstrust.model.trust import Algorithm, Backend, KeyRecord
from cpstrust.trust.interface import KeyBackend, Signer


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
        with _pkcs11_errors(message("trust_signing_with_key", name=self._record.name)):
            raw = self._private.sign(data if ed else hashlib.sha256(data).digest(),
                                     mechanism=_PROFILES[self._record.algorithm].sign)
        signature = raw if ed else crypto.ecdsa_der_from_raw(raw)
        # Fail closed: a token whose private key no longer matches the record signs nothing.
        if not crypto.verify_signature(self._public, self._record.algorithm, data, signature):
            raise CpstrustError("pkcs11_signature_unverified", name=self._record.name)
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
        module, token = options.get("module", ""), options.get("token", "")
        if not module:
            raise InputError("pkcs11_needs_module", name=name)
        if not token:
            raise InputError("pkcs11_needs_token", name=name)
        key_id = os.urandom(16)
        session = _LOGINS.open(module, token, _pin(secrets, name), rw=True)
        try:
            with _pkcs11_errors(message("pkcs11_generating", name=name, token=token)):
                available = session.token.slot.get_mechanisms()
                for mechanism in (profile.keygen, profile.sign):
                    if mechanism not in available:
                        raise InputError("pkcs11_mechanism_unsupported", token=token,
                                         mechanism=mechanism.name, source=module)
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
            raise InputError("pkcs11_damaged_locator", name=record.name, error=str(exc)) from exc
        where = message("pkcs11_key_on_token", label=label, key_id=key_id.hex(), token=token)
        session = _LOGINS.open(module, token, _pin(secrets, record.name), rw=False)
        try:
            with _pkcs11_errors(message("pkcs11_opening", key=where)):
                private = _find(session, ObjectClass.PRIVATE_KEY, label, key_id, where)
                public_key = _public_key_of(
                    _find(session, ObjectClass.PUBLIC_KEY, label, key_id, where), record.algorithm)
            if not isinstance(private, SignMixin) or keyid_of(public_key) != record.keyid:
                raise InputError("pkcs11_key_not_the_record", key=where, keyid=record.keyid,
                                 source=module)
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
                    raise _pin_refused(label, module, message("pkcs11_pin_not_logged_in"))
            else:
                anchor, users = _login(token, label, module, pin), 0
            try:
                with _pkcs11_errors(message("pkcs11_opening_session", token=label)):
                    session = token.open(rw=rw)  # shares the anchor's login
            except CpstrustError:
                if not users:
                    anchor.close()
                raise
            self._anchors[key] = (anchor, digest, users + 1)
            return session

    def close(self, module: str, label: str, session: Session) -> None:
        key = (os.path.realpath(module), label)
        with self._lock, _pkcs11_errors(message("pkcs11_closing_session", token=label)):
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
def _pkcs11_errors(doing: Message) -> Iterator[None]:
    """No raw PKCS#11 exception escapes; their messages are often empty, so name the type."""
    try:
        yield
    except p11.PKCS11Error as exc:
        raise CpstrustError("pkcs11_failed", doing=doing, error=_described(exc)) from exc


def _described(exc: p11.PKCS11Error) -> str:
    return f"{type(exc).__name__} {exc}".rstrip()


def _pin(secrets: Mapping[str, str], name: str) -> str:
    if pin := secrets.get("pin", ""):
        return pin
    raise InputError("pkcs11_needs_pin", name=name)


def _pin_refused(label: str, module: str, why: Message) -> InputError:
    return InputError("pkcs11_pin_refused", token=label, why=why, source=module)


def _token(module: str, label: str) -> Token:
    if not Path(module).is_file():
        raise InputError("pkcs11_module_not_found", source=module)
    try:
        return pkcs11.lib(os.path.realpath(module)).get_token(token_label=label)
    except p11.NoSuchToken as exc:
        raise InputError("pkcs11_no_such_token", token=label, source=module) from exc
    except p11.MultipleTokensReturned as exc:
        raise InputError("pkcs11_tokens_share_label", token=label, source=module) from exc
    except p11.PKCS11Error as exc:
        raise InputError("pkcs11_module_unloadable", error=str(exc), source=module) from exc


def _login(token: Token, label: str, module: str, pin: str) -> Session:
    try:
        return token.open(user_pin=pin)
    except p11.PinLocked as exc:
        raise InputError("pkcs11_pin_locked", token=label, source=module) from exc
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange) as exc:
        why = message("pkcs11_pin_wrong" if isinstance(exc, p11.PinIncorrect)
                      else "pkcs11_pin_malformed")
        raise _pin_refused(label, module, why) from exc
    except p11.PKCS11Error as exc:
        raise CpstrustError("pkcs11_login_failed", token=label, error=_described(exc),
                            source=module) from exc


def _find(session: Session, kind: ObjectClass, label: str, key_id: bytes, where: Message) -> Key:
    try:
        return session.get_key(object_class=kind, label=label, id=key_id)
    except p11.NoSuchKey as exc:
        raise InputError("pkcs11_private_key_missing" if kind is ObjectClass.PRIVATE_KEY
                         else "pkcs11_public_key_missing", key=where) from exc
    except p11.MultipleObjectsReturned as exc:
        raise InputError("pkcs11_key_objects_ambiguous", key=where) from exc


def _public_key_of(public: Key, algorithm: Algorithm) -> PublicKey:
    """The key as the token holds it: CKA_EC_POINT is a DER OCTET STRING (the spec) or,
    on some tokens, the bare point."""
    size = _PROFILES[algorithm].point_len
    point = bytes(public[Attribute.EC_POINT])
    if len(point) == size + 2 and point[:2] == bytes([0x04, size]):
        point = point[2:]
    if len(point) != size:
        raise CpstrustError("pkcs11_public_key_wrong_size", algorithm=algorithm.value,
                            size=len(point), expected=size)
    try:
        if algorithm is Algorithm.ED25519:
            return ed25519.Ed25519PublicKey.from_public_bytes(point)
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as exc:
        raise CpstrustError("pkcs11_public_key_unusable", algorithm=algorithm.value,
                            error=str(exc)) from exc
