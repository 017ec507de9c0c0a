"""The named secrets, each through the one lookup in `pipelines.config.secret` (the environment or dlt's own
secret store, .dlt/secrets.toml). Never printed or logged."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.config import config_value, secret

SAMPLE_PII_SALT = "grandstand-sample-salt-not-secret"


def pii_salt() -> str:
    """The salt for hashing PII in staging: GRANDSTAND_PII_SALT, or [events] pii_salt in .dlt/secrets.toml.

    Sample runs fall back to a fixed, public salt; live runs should always set their own.
    """
    return secret("events.pii_salt", "GRANDSTAND_PII_SALT") or SAMPLE_PII_SALT


@dataclass(frozen=True)
class S3Credentials:
    """For a lake in an S3-compatible bucket: the usual AWS_* variables, or [lake] in .dlt/secrets.toml
    (aws_access_key_id, aws_secret_access_key, region, endpoint_url)."""

    key_id: str | None = field(default=None, repr=False)
    secret: str | None = field(default=None, repr=False)
    region: str = "us-east-1"
    endpoint: str | None = None  # AWS_ENDPOINT_URL, for MinIO or another S3-compatible store


def s3_credentials() -> S3Credentials:
    return S3Credentials(
        key_id=secret("lake.aws_access_key_id", "AWS_ACCESS_KEY_ID"),
        secret=secret("lake.aws_secret_access_key", "AWS_SECRET_ACCESS_KEY"),
        region=config_value("lake.region", "AWS_REGION", "AWS_DEFAULT_REGION") or "us-east-1",
        endpoint=config_value("lake.endpoint_url", "AWS_ENDPOINT_URL"),
    )


def known_secret_values() -> list[str]:
    """Every secret value set for this process (the PII salt, API keys, S3 credentials, the alert URLs), longest
    first: what `pipelines.operate.alerts.redact` removes from any text before it is sent or logged."""
    from pipelines.config import alert_settings

    values = [
        pii_salt(),
        secret("sources.coincap.api_key", "COINCAP_API_KEY"),
        secret("lake.aws_access_key_id", "AWS_ACCESS_KEY_ID"),
        secret("lake.aws_secret_access_key", "AWS_SECRET_ACCESS_KEY"),
        *alert_settings().urls,
        *(secret("api.keys", "GRANDSTAND_API_KEYS") or "").replace(",", " ").split(),
    ]
    return sorted({v for v in values if v and len(v) >= 4}, key=len, reverse=True)
