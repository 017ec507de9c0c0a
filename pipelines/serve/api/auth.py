"""Optional API keys, with a rate limit per key. Off in sample mode, and off when no keys are set.

Keys are secrets, looked up like every other (`pipelines.config.secret`): GRANDSTAND_API_KEYS, or `api.keys` in
.dlt/secrets.toml (API__KEYS), separated by commas or spaces. The limit is GRANDSTAND_API_RATE_LIMIT (or
`api.rate_limit_per_minute`) requests per key per minute, default 600. Clients send the key as X-API-Key.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader

from pipelines.config import Settings, config_value, secret

DEFAULT_RATE_LIMIT_PER_MINUTE = 600
WINDOW_SECONDS = 60.0
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="only when the API has keys set")


@dataclass
class KeyPolicy:
    keys: tuple[str, ...] = field(repr=False)
    per_minute: int
    _seen: dict[str, deque[float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def known(self, key: str) -> str | None:
        """The configured key equal to `key` (compared in constant time), or None."""
        return next((k for k in self.keys if hmac.compare_digest(k.encode(), key.encode())), None)

    def retry_after(self, key: str, now: float) -> float:
        """0 if this request is within the key's limit (and counts it), else the seconds until it would be."""
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and now - seen[0] >= WINDOW_SECONDS:
                seen.popleft()
            if len(seen) >= self.per_minute:
                return WINDOW_SECONDS - (now - seen[0])
            seen.append(now)
            return 0.0


def key_policy(settings: Settings) -> KeyPolicy | None:
    """None (no keys asked for) in sample mode or when no keys are set."""
    if settings.mode == "sample":
        return None
    raw = secret("api.keys", "GRANDSTAND_API_KEYS") or ""
    keys = tuple(k for k in raw.strip("[]").replace('"', " ").replace("'", " ").replace(",", " ").split() if k)
    if not keys:
        return None
    limit = config_value("api.rate_limit_per_minute", "GRANDSTAND_API_RATE_LIMIT")
    try:
        per_minute = int(limit) if limit else DEFAULT_RATE_LIMIT_PER_MINUTE
    except ValueError:
        raise ValueError(f"GRANDSTAND_API_RATE_LIMIT must be a whole number of requests, not {limit!r}") from None
    return KeyPolicy(keys=keys, per_minute=per_minute)


def require_key(request: Request, api_key: str | None = Security(api_key_header)) -> None:
    """FastAPI dependency on every route: checks the key and its rate when the app has a key policy."""
    policy: KeyPolicy | None = request.app.state.key_policy
    if policy is None:
        return
    key = policy.known(api_key or "")
    if key is None:
        raise HTTPException(401, "missing or unknown API key (send it as X-API-Key)")
    wait = policy.retry_after(key, time.monotonic())
    if wait > 0:
        raise HTTPException(429, "rate limit exceeded for this API key", headers={"Retry-After": str(int(wait) + 1)})
