"""The shared HTTP client against a real server on 127.0.0.1 (no mocking of requests)."""

from __future__ import annotations

import time

import pytest

from pipelines.ingest.http import FetchError, HttpClient, HttpPolicy

FAST = HttpPolicy(timeout_s=2.0, retries=3, backoff_s=0.01, backoff_max_s=0.05)


def test_429_with_retry_after_is_retried_and_honoured(local_server) -> None:
    route = local_server.route("/r", (429, {"Retry-After": "1"}, b"slow down"), (200, {}, b"ok"))
    started = time.monotonic()
    response = HttpClient(FAST).get(f"{local_server.base_url}/r")
    assert response.content == b"ok" and route.hits == 2
    assert time.monotonic() - started >= 0.9, "Retry-After: 1 must be waited out"


def test_storm_of_500s_gives_up_and_names_the_url(local_server) -> None:
    route = local_server.route("/boom", (500, {}, b"err"))
    url = f"{local_server.base_url}/boom"
    with pytest.raises(FetchError) as info:
        HttpClient(FAST).get(url)
    assert url in str(info.value)
    assert route.hits == FAST.retries + 1, "bounded: the first try plus the configured retries"


def test_timeout_names_the_url(local_server) -> None:
    local_server.route("/slow", (200, {"X-Sleep": "1.5"}, b"late"))
    url = f"{local_server.base_url}/slow"
    with pytest.raises(FetchError, match="timed out") as info:
        HttpClient(HttpPolicy(timeout_s=0.3, retries=0)).get(url)
    assert url in str(info.value)


def test_redirect_is_followed(local_server) -> None:
    local_server.route("/old", (301, {"Location": "/new"}, b""))
    local_server.route("/new", (200, {}, b"moved"))
    assert HttpClient(FAST).get(f"{local_server.base_url}/old").content == b"moved"


def test_404_is_not_retried(local_server) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        HttpClient(FAST).get(f"{local_server.base_url}/missing")


def test_rate_limit_spaces_requests(local_server) -> None:
    local_server.route("/x", (200, {}, b"ok"))
    client = HttpClient(HttpPolicy(min_interval_s=0.2))
    started = time.monotonic()
    for _ in range(3):
        client.get(f"{local_server.base_url}/x")
    assert time.monotonic() - started >= 0.4


def test_user_agent_names_the_project(local_server) -> None:
    client = HttpClient(FAST)
    assert client.session.headers["User-Agent"].startswith("grandstand/")
