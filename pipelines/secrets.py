"""Secrets, read from the environment or .dlt/secrets.toml (dlt's own secret store). Never printed or logged."""

from __future__ import annotations

import os

SAMPLE_PII_SALT = "grandstand-sample-salt-not-secret"


def pii_salt() -> str:
    """The salt for hashing PII in staging: GRANDSTAND_PII_SALT, or [events] pii_salt in .dlt/secrets.toml.

    Sample runs fall back to a fixed, public salt; live runs should always set their own.
    """
    value = os.environ.get("GRANDSTAND_PII_SALT")
    if value:
        return value
    try:
        import dlt

        value = dlt.secrets.get("events.pii_salt")
    except Exception:
        value = None
    return str(value) if value else SAMPLE_PII_SALT
