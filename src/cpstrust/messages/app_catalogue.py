"""Messages of cpstrust.app: code -> (English, Japanese). See cpstrust.messages."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "attestation_key_needs_tpm": (
        "an attestation key needs the TPM backend",
        "アテステーション鍵には TPM バックエンドが必要です",
    ),
}
