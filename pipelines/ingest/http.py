"""The one HTTP client every source uses: timeouts, bounded retries with backoff, Retry-After, rate limit.

Every error raised from here names the URL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pipelines import __version__

USER_AGENT = f"grandstand/{__version__} (+https://github.com/grandstand-elt/grandstand; open-source ELT)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(RuntimeError):
    """A request that failed for good, after any retries. The message names the URL."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True)
class HttpPolicy:
    timeout_s: float = 30.0
    retries: int = 5
    backoff_s: float = 1.0
    backoff_max_s: float = 60.0
    min_interval_s: float = 0.0  # per-source rate limit: at least this long between requests
    headers: tuple[tuple[str, str], ...] = ()


class _RateLimiter:
    def __init__(self, min_interval_s: float) -> None:
        self._min = min_interval_s
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if self._min <= 0:
            return
        with self._lock:
            now = time.monotonic()
            if now < self._next:
                time.sleep(self._next - now)
            self._next = max(now, self._next) + self._min


class _ThrottledSession(requests.Session):
    def __init__(self, limiter: _RateLimiter) -> None:
        super().__init__()
        self._limiter = limiter

    def send(self, request: requests.PreparedRequest, **kwargs):  # type: ignore[override]
        self._limiter.wait()
        return super().send(request, **kwargs)


def build_session(policy: HttpPolicy) -> requests.Session:
    """A requests session with retries (429/5xx/connection errors, honouring Retry-After) and a rate limit."""
    retry = Retry(
        total=policy.retries,
        connect=policy.retries,
        read=policy.retries,
        status=policy.retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "HEAD"}),
        backoff_factor=policy.backoff_s,
        backoff_max=policy.backoff_max_s,
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = _ThrottledSession(_RateLimiter(policy.min_interval_s))
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, **dict(policy.headers)})
    return session


def connection_cause(exc: BaseException) -> str:
    """The root of a connection failure in a few words (urllib3 nests it several exceptions deep)."""
    text = str(exc)
    if "NameResolutionError" in text or "Name or service not known" in text or "nodename nor servname" in text:
        return "connection failed: the host name does not resolve (no network, or a wrong host)"
    if "Connection refused" in text:
        return "connection failed: connection refused"
    if "Connection reset" in text or "RemoteDisconnected" in text:
        return "connection failed: the server closed the connection"
    return f"connection failed: {text.splitlines()[0][:200] if text else exc.__class__.__name__}"


class HttpClient:
    def __init__(self, policy: HttpPolicy | None = None) -> None:
        self.policy = policy or HttpPolicy()
        self.session = build_session(self.policy)

    def get(
        self, url: str, params: dict[str, object] | None = None, headers: dict[str, str] | None = None
    ) -> requests.Response:
        try:
            response = self.session.get(url, params=params, headers=headers, timeout=self.policy.timeout_s)
        except requests.exceptions.RetryError as exc:
            raise FetchError(url, f"gave up after {self.policy.retries} retries ({exc.__class__.__name__})") from exc
        except requests.exceptions.Timeout as exc:
            raise FetchError(url, f"timed out after {self.policy.timeout_s:g}s") from exc
        except requests.exceptions.ConnectionError as exc:
            raise FetchError(url, connection_cause(exc)) from exc
        if response.status_code >= 400:
            raise FetchError(
                response.url or url,
                f"HTTP {response.status_code} {response.reason} after retries",
                status=response.status_code,
            )
        return response

    def close(self) -> None:
        self.session.close()


def paginate_bodies(
    client: HttpClient,
    base_url: str,
    path: str,
    paginator: object,
    params: dict[str, object] | None = None,
    data_selector: str | None = None,
    headers: dict[str, str] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Walk a paginated endpoint with dlt's REST client, yielding (url, raw body) for every page, empty end
    page included, so that the landing zone holds exactly what the service sent."""
    from dlt.sources.helpers.rest_client import RESTClient

    rest = RESTClient(base_url=base_url, session=client.session, headers=headers)
    url = f"{base_url.rstrip('/')}/{path.lstrip('/')}"
    try:
        for page in rest.paginate(
            path,
            params=dict(params or {}),
            paginator=paginator,  # type: ignore[arg-type]
            data_selector=data_selector,
            timeout=client.policy.timeout_s,
        ):
            url = page.response.url
            yield page.response.url, page.response.content
    except requests.exceptions.RetryError as exc:
        raise FetchError(url, f"gave up after {client.policy.retries} retries") from exc
    except requests.exceptions.HTTPError as exc:
        if exc.response is None:
            raise FetchError(url, str(exc)) from exc
        reason = f"HTTP {exc.response.status_code} {exc.response.reason}"
        raise FetchError(exc.response.url or url, reason, exc.response.status_code) from exc
    except requests.exceptions.Timeout as exc:
        raise FetchError(url, f"timed out after {client.policy.timeout_s:g}s") from exc
    except requests.exceptions.ConnectionError as exc:
        raise FetchError(url, connection_cause(exc)) from exc
