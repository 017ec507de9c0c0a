"""Each generic test macro in macros/tests passes on data built to pass and fails on data built to fail
(tests/macro_project: a small dbt project over our macros)."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.config import disable_telemetry

PROJECT = Path(__file__).parent / "macro_project"


def test_every_generic_test_passes_good_data_and_fails_bad_data(tmp_path: Path, monkeypatch) -> None:
    from dbt.cli.main import dbtRunner

    disable_telemetry()
    monkeypatch.setenv("MACRO_TESTS_WAREHOUSE", str(tmp_path / "macro_tests.duckdb"))
    monkeypatch.setenv("MACRO_TESTS_TARGET", str(tmp_path / "target"))
    dbtRunner().invoke(["build", "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT), "--quiet"])
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    status = {r["unique_id"]: r["status"] for r in results}
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    macros = {(n.get("test_metadata") or {}).get("name") for n in tests}
    expected_macros = {p.stem for p in (PROJECT.parents[1] / "macros" / "tests").glob("*.sql")} - {
        "minutes_per_session"
    }
    assert expected_macros <= macros, f"macros without passing/failing cases: {expected_macros - macros}"
    wrong = []
    for node in tests:
        want = "pass" if "should_pass" in node["tags"] else "fail"
        if status.get(node["unique_id"]) != want:
            wrong.append(f"{node['name']}: expected {want}, got {status.get(node['unique_id'])}")
    assert not wrong, wrong
    assert sum("should_fail" in n["tags"] for n in tests) >= len(expected_macros)
