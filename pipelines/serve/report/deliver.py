"""Send the report through the alert channel (GRANDSTAND_ALERT_URLS, the same apprise URLs alerts use), with the
HTML and PDF attached. Texts are redacted as alerts are; a failed send is reported, never raised."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pipelines.config import AlertSettings, alert_settings
from pipelines.operate.alerts import redact

log = logging.getLogger(__name__)

Delivery = Literal["off", "sent", "failed"]


def send_report(title: str, body: str, attachments: Sequence[Path], *, config: AlertSettings | None = None) -> Delivery:
    config = config or alert_settings()
    if not config.enabled:
        return "off"
    import apprise

    from pipelines.secrets import known_secret_values

    secrets = [*known_secret_values(), *config.urls]
    notifier = apprise.Apprise()
    for url in config.urls:
        if not notifier.add(url):
            log.warning("report URL not understood by apprise: %s", redact(url, secrets))
    if not len(notifier):
        return "failed"
    attach = apprise.AppriseAttachment()
    for path in attachments:
        attach.add(str(path))
    try:
        delivered = notifier.notify(title=redact(title, secrets), body=redact(body, secrets), attach=attach)
    except Exception as exc:  # a report that cannot be sent still stands on disk
        log.warning("report not sent: %s", redact(f"{exc.__class__.__name__}: {exc}", secrets))
        return "failed"
    return "sent" if delivered else "failed"
