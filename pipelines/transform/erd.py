"""An entity-relationship diagram of the marts, generated from dbt's manifest: every mart with its primary key and
the foreign keys that `relationships` tests declare. Writes docs/erd.md (Mermaid).

Regenerate with `.venv/bin/python -m pipelines.transform.erd`; a test fails when the committed file is stale.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from pipelines.config import PROJECT_ROOT
from pipelines.transform.manifest import attached_tests, models, parse_manifest

ERD_PATH = PROJECT_ROOT / "docs" / "erd.md"


def _type(column: dict[str, Any]) -> str:
    return (column.get("data_type") or "unknown").replace(" ", "_")


def relationships(manifest: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(child model, parent model, column) for every relationships test between marts."""
    names = {n["unique_id"]: n["name"] for n in models(manifest, "marts")}
    out = set()
    for model_id, child in names.items():
        for test in attached_tests(manifest, model_id):
            meta = test.get("test_metadata") or {}
            if meta.get("name") != "relationships":
                continue
            parents = [n for n in test["depends_on"]["nodes"] if n != model_id and n in names]
            for parent in parents:
                out.add((child, names[parent], test.get("column_name") or meta["kwargs"].get("column_name")))
    return sorted(out)


def render(manifest: dict[str, Any]) -> str:
    marts = sorted(models(manifest, "marts"), key=lambda n: n["name"])
    links = relationships(manifest)
    keyed = {(child, column) for child, _, column in links}
    lines = [
        "# Entity-relationship diagram of the marts",
        "",
        "Generated from dbt's manifest by `python -m pipelines.transform.erd`; do not edit by hand. Keys come from the",
        "`unique` + `not_null` tests (PK) and the `relationships` tests (FK).",
        "",
        "```mermaid",
        "erDiagram",
    ]
    for node in marts:
        pk_columns = set()
        for test in attached_tests(manifest, node["unique_id"]):
            if (test.get("test_metadata") or {}).get("name") == "unique" and test.get("column_name"):
                pk_columns.add(test["column_name"])
        lines.append(f"    {node['name']} {{")
        for name, column in node["columns"].items():
            key = " PK" if name in pk_columns else (" FK" if (node["name"], name) in keyed else "")
            if key or name.endswith("_id"):
                lines.append(f"        {_type(column)} {name}{key}")
        lines.append("    }")
    for child, parent, column in links:
        lines.append(f'    {parent} ||--o{{ {child} : "{column}"')
    lines += ["```", ""]
    return "\n".join(lines)


def generate() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        return render(parse_manifest(Path(tmp)))


if __name__ == "__main__":
    ERD_PATH.write_text(generate(), encoding="utf-8")
    print(f"wrote {ERD_PATH}", file=sys.stderr)
