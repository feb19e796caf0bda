"""Secrets come from environment variables the user names; the CLI never prompts, so
the same command works in CI and on a laptop."""

from __future__ import annotations

import os

import typer

PASSPHRASE_ENV = "CPSTRUST_KEY_PASSPHRASE"
PIN_ENV = "CPSTRUST_PKCS11_PIN"

PassphraseEnvOption = typer.Option(
    "--passphrase-env", metavar="VAR",
    help="Environment variable holding a file key's passphrase.",
)
PinEnvOption = typer.Option(
    "--pin-env", metavar="VAR", help="Environment variable holding the PKCS#11 user PIN."
)


def read_secrets(passphrase_env: str, pin_env: str) -> dict[str, str]:
    """The secrets that are set; a backend that needs a missing one says which."""
    secrets = {}
    if passphrase_env in os.environ:
        secrets["passphrase"] = os.environ[passphrase_env]
    if pin_env in os.environ:
        secrets["pin"] = os.environ[pin_env]
    return secrets
