"""The data dictionary is complete, checked on dbt's manifest. Each failure names what is missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipelines.transform.erd import ERD_PATH, render
from pipelines.transform.manifest import attached_tests, models, parse_manifest


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return parse_manifest(tmp_path_factory.mktemp("dbt_target"))


def test_every_model_has_a_description(manifest) -> None:
    missing = [n["name"] for n in models(manifest) if not n["description"].strip()]
    assert not missing, f"models without a description: {missing}"


def test_every_mart_column_is_described(manifest) -> None:
    assert len(models(manifest, "marts")) >= 38, "the manifest lookup found no marts: every check below would pass"
    missing = [
        f"{n['name']}.{column}"
        for n in models(manifest, "marts")
        for column, spec in n["columns"].items()
        if not spec["description"].strip()
    ]
    assert not missing, f"mart columns without a description: {missing}"
    undeclared = [n["name"] for n in models(manifest, "marts") if not n["columns"]]
    assert not undeclared, f"marts that declare no columns: {undeclared}"


def _has_primary_key_tests(manifest, node) -> bool:
    tests = attached_tests(manifest, node["unique_id"])
    by_column: dict[str, set[str]] = {}
    for test in tests:
        name = (test.get("test_metadata") or {}).get("name")
        if name == "unique_combination":
            return True
        if test.get("column_name"):
            by_column.setdefault(test["column_name"], set()).add(name)
    return any({"unique", "not_null"} <= names for names in by_column.values())


def test_every_mart_primary_key_is_tested(manifest) -> None:
    missing = [n["name"] for n in models(manifest, "marts") if not _has_primary_key_tests(manifest, n)]
    assert not missing, f"marts whose primary key has no unique + not_null test: {missing}"


def test_every_mart_enforces_its_contract(manifest) -> None:
    missing = [n["name"] for n in models(manifest, "marts") if not n["config"]["contract"]["enforced"]]
    assert not missing, f"marts without an enforced contract: {missing}"


def test_every_source_is_documented_with_loader_and_loaded_at_field(manifest) -> None:
    problems = []
    for source in manifest["sources"].values():
        where = f"{source['source_name']}.{source['name']}"
        if not source["description"].strip():
            problems.append(f"{where}: no description")
        if not source["loader"]:
            problems.append(f"{where}: no loader")
        if not source.get("loaded_at_field"):
            problems.append(f"{where}: no loaded_at_field")
    assert not problems, problems


def test_pii_scan_runs_after_every_mart(manifest) -> None:
    scan = next(n for n in manifest["nodes"].values() if n["name"] == "assert_no_clear_pii_in_marts")
    covered = set(scan["depends_on"]["nodes"])
    missing = [n["name"] for n in models(manifest, "marts") if n["unique_id"] not in covered]
    assert not missing, f"add a depends_on line to tests/dbt/assert_no_clear_pii_in_marts.sql for: {missing}"


def test_erd_is_up_to_date(manifest) -> None:
    assert Path(ERD_PATH).read_text() == render(manifest), "docs/erd.md is stale: run python -m pipelines.transform.erd"
