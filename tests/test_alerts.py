"""Alerts end to end: apprise posting to a local HTTP receiver (json://) and mailing a local SMTP server (aiosmtpd),
both on 127.0.0.1 and started here. The message names the run, the asset or test, the failing rows and the runbook;
secrets never appear in it or in the logs; the same alert within the window is sent once; no URLs, no alerts. And
a broken mart (an error-severity test failing) alerts through `grandstand run`."""

from __future__ import annotations

import http.server
import json
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.cli import main
from pipelines.config import AlertSettings, Settings, alert_settings
from pipelines.operate.alerts import Alert, missed_sla_alerts, redact, send_alerts, state_path
from pipelines.operate.audit import record_transform

SALT = "salt-9f2c-never-shown"
API_KEY = "coincap-key-77aa-never-shown"
SMTP_PASSWORD = "smtp-pass-31d0-never-shown"


@dataclass
class Receiver:
    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    """A webhook on 127.0.0.1 that keeps every JSON body POSTed to it (apprise's json:// posts one per alert)."""
    posts: list[dict[str, Any]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            posts.append(json.loads(body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(url=f"json://127.0.0.1:{httpd.server_address[1]}/alerts", posts=posts)
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Mailbox:
    url: str
    messages: list[bytes] = field(default_factory=list)


@pytest.fixture()
def mailbox() -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message; apprise logs in with a password."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    messages: list[bytes] = []

    class Keep:
        async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
            messages.append(bytes(envelope.original_content or envelope.content))
            return "250 kept"

    def authenticate(server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.password == SMTP_PASSWORD.encode()
        return AuthResult(success=ok)

    with socket.socket() as probe:  # a free port: the controller checks its server by connecting to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False)
    controller.start()
    try:
        url = (
            f"mailto://oncall:{SMTP_PASSWORD}@127.0.0.1:{port}"
            "?smtp=127.0.0.1&mode=insecure&from=grandstand@example.com&to=oncall@example.com"
        )
        yield Mailbox(url=url, messages=messages)
    finally:
        controller.stop()


@pytest.fixture()
def secrets_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRANDSTAND_PII_SALT", SALT)
    monkeypatch.setenv("COINCAP_API_KEY", API_KEY)
    monkeypatch.delenv("GRANDSTAND_ALERT_URLS", raising=False)
    monkeypatch.delenv("GRANDSTAND_ALERT_WINDOW_MINUTES", raising=False)


def _leaky_alert() -> Alert:
    """A test-failure alert whose detail carries every secret, as an error message might."""
    return Alert(
        "test-failure",
        "run-4242",
        "test.grandstand.accepted_range_fct_crypto_prices_price_usd",
        7,
        f"Got 7 results; salt {SALT}; fetching https://api.example.com/v3/assets?apiKey={API_KEY}&limit=5 "
        f"via https://bob:{SMTP_PASSWORD}@proxy.example.com/ failed",
    )


def _mail_text(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    return f"{message['Subject']}\n{body.get_content() if body else ''}"


def test_an_alert_reaches_a_webhook_and_a_mailbox_named_and_redacted(
    settings: Settings,
    secrets_set: None,
    receiver: Receiver,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("GRANDSTAND_ALERT_URLS", f"{receiver.url}, {mailbox.url}")
    config = alert_settings()
    assert config.urls == (receiver.url, mailbox.url)
    assert SMTP_PASSWORD not in repr(config)
    with caplog.at_level(logging.DEBUG):
        assert send_alerts(settings, [_leaky_alert()], config=config) == ["sent"]

    assert len(receiver.posts) == 1 and len(mailbox.messages) == 1
    texts = {
        "webhook": f"{receiver.posts[0]['title']}\n{receiver.posts[0]['message']}",
        "mail": _mail_text(mailbox.messages[0]),
    }
    for where, text in texts.items():
        assert "run: run-4242" in text, where
        assert "test.grandstand.accepted_range_fct_crypto_prices_price_usd" in text, where
        assert "failing rows: 7" in text, where
        assert "runbook: docs/runbooks/test-failure.md" in text, where
        for secret in (SALT, API_KEY, SMTP_PASSWORD):
            assert secret not in text, f"{where} shows a secret"
    assert (Path(__file__).parent.parent / "docs" / "runbooks" / "test-failure.md").exists()
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for secret in (SALT, API_KEY, SMTP_PASSWORD):
        assert secret not in logged


def test_the_same_alert_within_the_window_is_sent_once(
    settings: Settings, secrets_set: None, receiver: Receiver
) -> None:
    config = AlertSettings(urls=(receiver.url,), window_minutes=60)
    now = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)
    alert = Alert("stale-source", "run-1", "source.grandstand.coincap.assets", None, "no new rows for 3 h")
    assert send_alerts(settings, [alert], config=config, now=now) == ["sent"]
    # the source is still stuck a minute later, and 59 minutes later: quiet; another alert key is not held back
    other = Alert("failed-run", "run-2", "grandstand run coincap")
    later = now + timedelta(minutes=1)
    assert send_alerts(settings, [alert, other], config=config, now=later) == ["suppressed", "sent"]
    assert send_alerts(settings, [alert], config=config, now=now + timedelta(minutes=59)) == ["suppressed"]
    assert len(receiver.posts) == 2
    assert json.loads(state_path(settings).read_text()).keys() == {alert.key, other.key}
    # an hour on, still stale: it alerts again
    assert send_alerts(settings, [alert], config=config, now=now + timedelta(minutes=61)) == ["sent"]
    assert len(receiver.posts) == 3
    assert "runbook: docs/runbooks/stale-source.md" in receiver.posts[-1]["message"]


def test_alerts_are_off_without_urls(settings: Settings, secrets_set: None, receiver: Receiver) -> None:
    config = alert_settings()
    assert not config.enabled
    assert send_alerts(settings, [_leaky_alert()]) == ["off"]
    assert receiver.posts == [] and not state_path(settings).exists()


def test_redact_removes_url_credentials_and_secret_parameters() -> None:
    text = "slack://T1/B2/abc and https://u:p4ss@h.example/x?token=t0k&limit=5 and salt=s4lt"
    redacted = redact(text, ["abc"])
    assert "p4ss" not in redacted and "t0k" not in redacted and "s4lt" not in redacted and "abc" not in redacted
    assert "limit=5" in redacted and "h.example/x" in redacted


def test_a_broken_mart_alerts_through_the_cli_and_a_missed_sla_is_found(
    settings: Settings, secrets_set: None, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["run", "coincap"]) == 0
    assert receiver.posts == []  # no URLs configured on the first run
    # one negative price in the raw layer: the staging model's accepted_range test (error severity) fails on one row,
    # and the marts downstream of it are skipped
    con = duckdb.connect(str(settings.warehouse))
    try:
        con.execute(
            "update raw_coincap.asset_history set price_usd = -1 "
            "where rowid = (select min(rowid) from raw_coincap.asset_history)"
        )
        # as if the bad row had come in a load no build has carried to the marts yet: a plain run rebuilds only
        # what has not reached the marts (pipelines/operate/selection.py)
        con.execute("update raw_grandstand.load_runs set transformed_at = null where source = 'coincap'")
    finally:
        con.close()
    monkeypatch.setenv("GRANDSTAND_ALERT_URLS", receiver.url)
    assert main(["run", "coincap"]) == 1

    by_kind = {post["message"].split("\n", 1)[0].removeprefix("alert: "): post["message"] for post in receiver.posts}
    assert set(by_kind) == {"test-failure", "failed-run"}, by_kind
    failing = by_kind["test-failure"]
    assert "asset or test: test.grandstand.accepted_range_stg_coincap__asset_history_price_usd" in failing
    assert "failing rows: 1" in failing and "runbook: docs/runbooks/test-failure.md" in failing
    failed_run = by_kind["failed-run"]
    assert "asset or test: grandstand run coincap" in failed_run and "accepted_range_stg_coincap" in failed_run
    run_id = failing.split("run: ", 1)[1].split("\n", 1)[0]
    assert f"run: {run_id}" in failed_run
    con = duckdb.connect(str(settings.warehouse))
    try:
        recorded = con.execute(
            "select checks_failed, transformed_at is not null from raw_grandstand.load_runs where run_id = ?", [run_id]
        ).fetchall()
        assert recorded == [(1, True)]
        # the same run again within the hour: both alerts held back
        assert main(["run", "coincap"]) == 1
        assert len(receiver.posts) == 2

        # a live CoinCap run whose newest price was 3 hours old when it reached the marts misses its 2-hour SLA
        now = datetime.now(UTC)
        con.execute(
            "insert into raw_grandstand.load_runs (run_id, source, mode, started_at, ended_at, status, data_to, "
            "rows_ingested, late_rows) values ('live-1', 'coincap', 'live', ?, ?, 'ok', ?, 10, 0)",
            [now - timedelta(minutes=2), now - timedelta(minutes=1), str(now - timedelta(hours=3))],
        )
    finally:
        con.close()
    record_transform(settings, "live-1", now, 0)
    missed = missed_sla_alerts(settings, "live-1")
    assert [(a.kind, a.subject) for a in missed] == [("missed-sla", "coincap/coincap_two_hours")]
    assert "missed by 60." in missed[0].detail and missed[0].runbook == "docs/runbooks/missed-sla.md"
