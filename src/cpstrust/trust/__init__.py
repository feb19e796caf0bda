"""Roots of trust, signing and verification, the trust store, attestation and authenticity."""
