"""Long-running services: the attestation verifier (and later the REST API)."""
