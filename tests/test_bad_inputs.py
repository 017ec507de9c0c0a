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
    # a quarantined file leaves no rows behind; a loaded one lands
    landed = _query(settings, f"select count(*) from {spec['table']} where _landing_path like '%{name}'")[0][0]
    if expected["outcome"] != "refused":
        assert landed > 0 if expected["outcome"] == "loaded" else landed == 0
    assert _query(settings, intact) == before


def test_file_breaking_the_raw_schema_is_quarantined_alone_in_the_same_load(settings, capsys) -> None:
    """A null in a key column would fail dlt's whole load package; filed beside a good file in one `load`, only the
    bad file is set aside, named with its column, and the good file's rows land."""
    good = PROJECT / "data/sample/coincap/asset_bitcoin_2025-08-11.json"
    bad = ROOT / "coincap" / "assets_null_id.json"
    assert main(["load", "coincap", "--from", str(good), str(bad)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "assets_null_id.json" in err and "'id'" in err
    files = dict(_query(settings, "select regexp_extract(path, '__(.*)$', 1), status from raw_coincap._landing_files"))
    assert files == {"asset_bitcoin_2025-08-11.json": "loaded", "assets_null_id.json": "quarantined"}
    assert _query(settings, "select id from raw_coincap.assets") == [("bitcoin",)]
