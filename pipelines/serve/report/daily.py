"""`grandstand report daily`: write data/reports/daily-<date>.html (and .pdf), and send it when alerts are on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines.config import Settings
from pipelines.serve.metrics import SemanticLayer, load_manifest, manifest_path
from pipelines.serve.report.deliver import Delivery, send_report
from pipelines.serve.report.pdf import find_chromium, print_pdf
from pipelines.serve.report.render import fmt, render
from pipelines.serve.report.sections import DomainFigures, all_figures


@dataclass(frozen=True)
class DailyReport:
    day: date
    html: Path
    pdf: Path | None
    domains: list[DomainFigures]
    delivery: Delivery = "off"


def report_paths(settings: Settings, day: date) -> tuple[Path, Path]:
    stem = settings.reports_dir / f"daily-{day.isoformat()}"
    return stem.with_suffix(".html"), stem.with_suffix(".pdf")


def summary(domains: list[DomainFigures]) -> str:
    """The message body: each domain's latest period and its KPIs, one line each."""
    lines = []
    for d in domains:
        if d.latest is None:
            lines.append(f"{d.spec.title}: no data")
            continue
        figures = ", ".join(f"{k.label.split(': ', 1)[-1]} {fmt(k.value, k.fmt)}" for k in d.kpis)
        lines.append(f"{d.spec.title} ({d.latest.isoformat()}): {figures}")
    return "\n".join(lines)


def write_daily_report(
    settings: Settings, day: date | None = None, *, pdf: bool = True, send: bool = True, manifest: Path | None = None
) -> DailyReport:
    """Build the report from the semantic layer; the PDF when asked and Chromium is installed; send when asked and
    an alert URL is configured."""
    day = day or datetime.now(UTC).date()
    semantic_manifest = load_manifest(manifest or manifest_path())
    with SemanticLayer(settings, semantic_manifest) as layer:
        domains = all_figures(layer)
    labels = {m.name: (m.label or m.name) for m in semantic_manifest.metrics}
    html_path, pdf_path = report_paths(settings, day)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(render(day, domains, labels, settings.warehouse.name))
    printed = print_pdf(html_path, pdf_path) if pdf and find_chromium() else None
    delivery: Delivery = "off"
    if send:
        attachments = [html_path, *([printed] if printed else [])]
        delivery = send_report(f"Grandstand daily report {day.isoformat()}", summary(domains), attachments)
    return DailyReport(day, html_path, printed, domains, delivery)


def run(settings: Settings, day: date | None, *, pdf: bool, send: bool) -> int:
    """The CLI's `report daily`: prints where the files are and whether the report was sent."""
    try:
        report = write_daily_report(settings, day, pdf=pdf, send=send)
    except FileNotFoundError as exc:
        print(f"report: {exc}")
        return 1
    print(f"report: {report.html}")
    if report.pdf:
        print(f"report: {report.pdf}")
    elif pdf:
        print("report: no PDF (no Chromium on PATH)")
    print(f"report: delivery {report.delivery}")
    return 0 if report.delivery != "failed" else 1
