"""Talking to other machines: bounded HTTP(S) fetches (OSV exports, update servers) and
the attestation verifier's client. Adapters: the I/O the engines never do."""
