"""Every broken input in tests/bad_inputs behaves as tests/bad_inputs/expectations.json says, and the rows loaded
before it are intact."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main

ROOT = Path(__file__).parent / "bad_inputs"
PROJECT = Path(__file__).parents[1]
EXPECTATIONS = json.loads((ROOT / "expectations.json").read_text())
CASES = [(source, name) for source, spec in EXPECTATIONS.items() for name in spec["files"]]


def _query(settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(("source", "name"), CASES)
def test_bad_input(settings, capsys, source: str, name: str) -> None:
    spec = EXPECTATIONS[source]
    expected = spec["files"][name]
    assert main(["load", source, "--from", str(PROJECT / spec["good"])]) == 0
    intact = f"select count(*) from {spec['table']} where _landing_path like '%{Path(spec['good']).name}'"
    before = _query(settings, intact)
    assert before[0][0] > 0
    bad = ROOT / source / name
    code = main(["load", source, "--from", str(bad)])
    err = capsys.readouterr().err
    if expected["outcome"] == "refused":
        assert code == 2
        assert name in err and expected["message"] in err.replace("\n", " ")
    else:
        assert code == 0
        files = _query(
            settings, f"select status, coalesce(error, '') from raw_{source}._landing_files where path like '%{name}'"
        )
        assert files, f"{name} was not filed"
        status, error = files[0]
        assert status == expected["outcome"], error
        if status == "quarantined":
            assert name in error and expected["message"] in error
            assert name in err  # the run summary names it too
        if "new_column" in expected:
            schema, table_name = spec["table"].split(".")
            columns = [r[0] for r in _query(settings, f"select column_name from information_schema.columns "
                       f"where table_schema = '{schema}' and table_name = '{table_name}'")]  # fmt: skip
            assert expected["new_column"] in columns
    assert _query(settings, intact) == before
