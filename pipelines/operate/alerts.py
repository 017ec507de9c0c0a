"""Alerts: a failed run, an error-severity test failing, a stale source, a missed SLA, sent with apprise.

One list of apprise URLs (email, Slack, webhooks, ...) comes from `pipelines.config.alert_settings`; with none set,
alerts are off. Every message names the run, the asset or test, the count of failing rows and its runbook page
(docs/runbooks/<kind>.md). Each text is redacted before it is sent or logged: the known secret values (PII salt, API
keys, S3 credentials, the alert URLs themselves) and any credentials written into a URL are replaced by `***`.

The same alert key (kind + asset or test) is sent at most once per window (default 60 minutes): the time it was last
sent is kept in `alerts_state.json` beside the warehouse, so a source stuck failing every few minutes alerts once an
hour. A failed send is logged (redacted) and retried on the next alert, never raised: an alert never fails a run.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pipelines.config import AlertSettings, Settings, alert_settings

log = logging.getLogger(__name__)

AlertKind = Literal["failed-run", "test-failure", "stale-source", "missed-sla"]
TITLES: dict[AlertKind, str] = {
    "failed-run": "run failed",
    "test-failure": "error-severity test failed",
    "stale-source": "source is stale",
    "missed-sla": "SLA missed",
}
RUNBOOK_DIR = "docs/runbooks"
STATE_FILE = "alerts_state.json"
Outcome = Literal["off", "sent", "suppressed", "failed"]

# user:password@ in any URL; the value of a query parameter whose name says it is secret
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)
_SECRET_PARAMS = re.compile(
    r"(?P<name>[?&;]?(?:api[_-]?key|apikey|key|token|secret|password|pass|pwd|salt|signature|sig)=)[^&\s\"']+",
    re.IGNORECASE,
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without the given secret values, URL credentials or secret-looking query parameters."""
    for value in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(value, "***")
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group('scheme')}***@", text)
    return _SECRET_PARAMS.sub(lambda m: f"{m.group('name')}***", text)


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    run_id: str  # the grandstand run id, or the Dagster run id
    subject: str  # the asset, test, source or command the alert is about
    failing_rows: int | None = None  # None: not a row count (a run that crashed, a source with no new rows)
    detail: str = ""

    @property
    def key(self) -> str:
        """What the de-duplication window is kept by: the same problem with the same thing."""
        return f"{self.kind}:{self.subject}"

    @property
    def runbook(self) -> str:
        return f"{RUNBOOK_DIR}/{self.kind}.md"

    def title(self) -> str:
        return f"Grandstand: {TITLES[self.kind]}: {self.subject}"

    def body(self) -> str:
        rows = str(self.failing_rows) if self.failing_rows is not None else "none counted (not a row check)"
        lines = [
            f"alert: {self.kind}",
            f"run: {self.run_id}",
            f"asset or test: {self.subject}",
            f"failing rows: {rows}",
            f"runbook: {self.runbook}",
        ]
        if self.detail:
            lines += ["", self.detail.strip()[:2000]]
        return "\n".join(lines)


def state_path(settings: Settings) -> Path:
    return settings.data_dir / STATE_FILE


def _read_state(path: Path) -> dict[str, str]:
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in state.items()} if isinstance(state, dict) else {}


def _write_state(path: Path, state: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    scratch.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n")
    scratch.replace(path)  # atomic: a reader sees the old or the new state, never half


def _recently_sent(state: dict[str, str], key: str, now: datetime, window: timedelta) -> bool:
    last = state.get(key)
    if not last:
        return False
    try:
        return now - datetime.fromisoformat(last) < window
    except ValueError:
        return False


def _notify(urls: Sequence[str], title: str, body: str, secrets: Sequence[str]) -> bool:
    import apprise

    notifier = apprise.Apprise()
    for url in urls:
        if not notifier.add(url):
            log.warning("alert URL not understood by apprise: %s", redact(url, secrets))
    if not len(notifier):
        return False
    return bool(notifier.notify(title=title, body=body))


def send_alerts(
    settings: Settings,
    alerts: Sequence[Alert],
    *,
    config: AlertSettings | None = None,
    now: datetime | None = None,
) -> list[Outcome]:
    """Send each alert not sent within the window; returns each one's outcome: off (no URLs), sent, suppressed (the
    same key was sent within the window) or failed (apprise could not deliver; it will be tried again next time)."""
    config = config or alert_settings()
    if not config.enabled or not alerts:
        return ["off" for _ in alerts]
    from pipelines.secrets import known_secret_values

    secrets = [*known_secret_values(), *config.urls]
    now = now or datetime.now(UTC)
    window = timedelta(minutes=config.window_minutes)
    path = state_path(settings)
    state = _read_state(path)
    outcomes: list[Outcome] = []
    for alert in alerts:
        if _recently_sent(state, alert.key, now, window):
            log.info("alert %s suppressed: sent within the last %s minutes", alert.key, config.window_minutes)
            outcomes.append("suppressed")
            continue
        title, body = redact(alert.title(), secrets), redact(alert.body(), secrets)
        try:
            delivered = _notify(config.urls, title, body, secrets)
        except Exception as exc:  # an alert never fails the run it reports on
            log.warning("alert %s not sent: %s", alert.key, redact(f"{exc.__class__.__name__}: {exc}", secrets))
            delivered = False
        if delivered:
            state[alert.key] = now.isoformat()
            outcomes.append("sent")
        else:
            log.warning("alert %s not delivered to every URL; it is tried again on the next alert", alert.key)
            outcomes.append("failed")
    if "sent" in outcomes:
        _write_state(path, state)
    return outcomes


def summary_line(alerts: Sequence[Alert], outcomes: Sequence[Outcome]) -> str | None:
    """One line for the run's summary, or None when nothing was alerted."""
    if not alerts:
        return None
    if all(o == "off" for o in outcomes):
        return f"alerts: {len(alerts)} raised, not sent (no GRANDSTAND_ALERT_URLS)"
    counts = {o: sum(1 for x in outcomes if x == o) for o in ("sent", "suppressed", "failed")}
    parts = ", ".join(f"{n} {o}" for o, n in counts.items() if n)
    return f"alerts: {parts} ({', '.join(sorted({a.kind for a in alerts}))})"


def missed_sla_alerts(settings: Settings, run_id: str) -> list[Alert]:
    """A missed-sla alert for each SLA the run missed, from audit.run_slas (none if the view is not built yet)."""
    import duckdb

    from pipelines.operate.audit import query

    con = duckdb.connect(str(settings.warehouse))
    try:
        rows = query(
            con,
            """select source_name, sla_name, minutes_past_deadline, deadline_at, delivered_at, late_rows
               from audit.run_slas where run_id = ? and sla_status = 'missed' order by source_name, sla_name""",
            [run_id],
        )
    finally:
        con.close()
    return [
        Alert(
            "missed-sla",
            run_id,
            f"{source}/{sla}",
            None,
            f"{source}: SLA {sla} missed by {float(minutes):.1f} minutes (deadline {deadline}, in the marts at "
            f"{delivered}); late rows in this run: {late if late is not None else 'not counted'}. "
            "See audit.run_slas.",
        )
        for source, sla, minutes, deadline, delivered, late in rows
    ]
