"""The data-quality report: every dbt test of the last build with its status, failing-row count and a few failing
rows (from the stored failures in the `audit` schema), grouped by domain. Written after every build to
data/reports/quality.html and served beside the docs."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.config import Settings, dbt_target_dir

SAMPLE_ROWS = 5
ORDER = {"error": 0, "fail": 1, "warn": 2, "pass": 3, "skipped": 4}


@dataclass
class TestOutcome:
    unique_id: str
    name: str
    domain: str
    model: str
    status: str
    severity: str
    failures: int
    relation: str | None
    message: str | None
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)


def _domain(manifest: dict[str, Any], node: dict[str, Any]) -> tuple[str, str]:
    attached = node.get("attached_node") or next(iter(node.get("depends_on", {}).get("nodes", [])), None)
    target = manifest["nodes"].get(attached) if attached else None
    if target is None:
        return "cross-domain", "(several models)"
    parts = Path(target["original_file_path"]).parts
    domain = parts[2] if len(parts) > 3 and parts[0] == "models" else parts[0]
    return domain, target["name"]


def collect(settings: Settings) -> list[TestOutcome]:
    target = dbt_target_dir()
    results = json.loads((target / "run_results.json").read_text())
    manifest = json.loads((target / "manifest.json").read_text())
    outcomes = []
    for result in results["results"]:
        uid = result["unique_id"]
        if not uid.startswith(("test.", "unit_test.")):
            continue
        node = manifest["nodes"].get(uid) or manifest.get("unit_tests", {}).get(uid, {})
        domain, model = _domain(manifest, node)
        outcomes.append(
            TestOutcome(
                unique_id=uid,
                name=node.get("name", uid),
                domain=domain,
                model=model,
                status=str(result["status"]),
                severity=str(node.get("config", {}).get("severity", "ERROR")).lower(),
                failures=int(result.get("failures") or 0),
                relation=result.get("relation_name"),
                message=result.get("message"),
            )
        )
    _attach_failing_rows(settings, [o for o in outcomes if o.failures and o.relation])
    return outcomes


def _attach_failing_rows(settings: Settings, outcomes: list[TestOutcome]) -> None:
    if not outcomes or not settings.warehouse.exists():
        return
    con = duckdb.connect(str(settings.warehouse))
    try:
        for outcome in outcomes:
            relation = outcome.relation.split(".", 1)[-1] if outcome.relation else ""
            try:
                cursor = con.execute(f"select * from {relation} limit {SAMPLE_ROWS}")
            except duckdb.Error:
                continue
            outcome.columns = [d[0] for d in cursor.description]
            outcome.rows = cursor.fetchall()
    finally:
        con.close()


def render(outcomes: list[TestOutcome], generated_at: datetime) -> str:
    by_domain: dict[str, list[TestOutcome]] = defaultdict(list)
    for outcome in outcomes:
        by_domain[outcome.domain].append(outcome)
    totals: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        totals[outcome.status] += 1
    esc = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Grandstand data quality</title><style>",
        "body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0}"
        "td,th{border:1px solid #ccc;padding:.25rem .5rem;font-size:.9rem;text-align:left;vertical-align:top}"
        ".pass{color:#1a7f37}.warn{color:#9a6700}.fail,.error{color:#cf222e;font-weight:bold}"
        "details{margin:.25rem 0}code{font-size:.85rem}",
        "</style></head><body><h1>Data quality</h1>",
        f"<p>Last build: {esc(generated_at.isoformat(timespec='seconds'))}. "
        + ", ".join(f"<span class='{esc(s)}'>{n} {esc(s)}</span>" for s, n in sorted(totals.items()))
        + ". Severity policy: <code>docs/quality.md</code>. Data dictionary: <a href='index.html'>docs site</a>.</p>",
    ]
    for domain in sorted(by_domain):
        tests = sorted(by_domain[domain], key=lambda o: (ORDER.get(o.status, 9), o.name))
        bad = sum(1 for t in tests if t.status in ("fail", "error", "warn"))
        parts.append(
            f"<h2 id='{esc(domain)}'>{esc(domain)} <small>({len(tests)} tests, {bad} not passing)</small></h2>"
        )
        parts.append("<table><tr><th>status</th><th>test</th><th>model</th><th>severity</th><th>failing rows</th></tr>")
        for t in tests:
            detail = ""
            if t.rows:
                head = "".join(f"<th>{esc(c)}</th>" for c in t.columns)
                body = "".join("<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>" for row in t.rows)
                detail = f"<details><summary>first {len(t.rows)} rows</summary><table><tr>{head}</tr>{body}</table>"
                detail += "</details>"
            elif t.message and t.status not in ("pass", "success"):
                detail = f"<details><summary>message</summary><pre>{esc(t.message)}</pre></details>"
            parts.append(
                f"<tr><td class='{esc(t.status)}'>{esc(t.status)}</td><td><code>{esc(t.name)}</code>{detail}</td>"
                f"<td>{esc(t.model)}</td><td>{esc(t.severity)}</td><td>{t.failures}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_quality_report(settings: Settings) -> Path:
    outcomes = collect(settings)
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    path = settings.reports_dir / "quality.html"
    path.write_text(render(outcomes, datetime.now(UTC)), encoding="utf-8")
    return path
