"""F1: every recorded Jolpica/Ergast/OpenF1 body and dump file parses; --from files any of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.ingest.sources.f1 import settings as f1_settings
from pipelines.ingest.sources.f1.parse import classify, parse
from pipelines.ingest.spec import ParseError, UnknownFormat

JSON_FILES = sorted(
    p for folder in ("jolpica", "ergast_api", "openf1") for p in (f1_settings.SAMPLE_DIR / folder).glob("*.json")
)


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.name)
def test_every_recorded_json_parses(path: Path) -> None:
    data = path.read_bytes()
    endpoint, params = classify(path.name, data)
    tables = parse(endpoint, data, params)
    assert tables, f"{path.name} gave no rows"
    body = json.loads(data)
    if isinstance(body, dict):
        # every kind of row the body holds reaches its table, one row per item
        races = body["MRData"].get("RaceTable", {}).get("Races", [])
        expected = {
            "jolpica_races": len(races),
            "jolpica_results": sum(len(r.get("Results", [])) + len(r.get("SprintResults", [])) for r in races),
            "jolpica_laps": sum(len(lap.get("Timings", [])) for r in races for lap in r.get("Laps", [])),
            "jolpica_qualifying": sum(len(r.get("QualifyingResults", [])) for r in races),
            "jolpica_pit_stops": sum(len(r.get("PitStops", [])) for r in races),
        }
        assert {k: tables[k].num_rows if k in tables else 0 for k in expected} == expected
    else:
        assert sum(t.num_rows for t in tables.values()) == len(body)


def test_2023_bahrain_winner_and_times() -> None:
    data = (f1_settings.SAMPLE_DIR / "jolpica" / "jolpica_f1_2023_1_results.json").read_bytes()
    results = parse("jolpica", data, {})["jolpica_results"].to_pylist()
    winner = results[0]
    assert (winner["driver_id"], winner["constructor_id"], winner["points"], winner["grid"]) == (
        "max_verstappen",
        "red_bull",
        25.0,
        1,
    )
    assert winner["time_millis"] == 5636736 and winner["session"] == "race"


def test_sprint_results_are_marked() -> None:
    data = (f1_settings.SAMPLE_DIR / "jolpica" / "jolpica_f1_2023_4_sprint.json").read_bytes()
    results = parse("jolpica", data, {})["jolpica_results"].to_pylist()
    assert {r["session"] for r in results} == {"sprint"} and results[0]["driver_id"] == "perez"


@pytest.mark.parametrize(
    "name", ["results.csv", "races.csv", "drivers.csv", "qualifying.csv", "pit_stops.csv", "sprint_results.csv"]
)
def test_dump_files_are_recognised_by_header(name: str) -> None:
    data = (f1_settings.SAMPLE_DIR / "ergast_csv" / name).read_bytes()
    endpoint, params = classify(name, data)
    assert (endpoint, params["table"]) == ("ergast_csv", name.removesuffix(".csv"))
    table = parse(endpoint, data, params)[f"ergast_{params['table']}"]
    assert table.num_rows == len(data.strip().splitlines()) - 1


def test_dump_null_marker_becomes_null() -> None:
    data = (f1_settings.SAMPLE_DIR / "ergast_csv" / "results.csv").read_bytes()
    table = parse("ergast_csv", data, {"table": "results"})["ergast_results"]
    assert table.column("position").null_count > 0  # \N for non-classified drivers


def test_bad_bodies() -> None:
    with pytest.raises(ParseError, match="MRData"):
        parse("jolpica", b'{"data": []}', {})
    with pytest.raises(ParseError, match="malformed JSON"):
        parse("jolpica", b'{"MRData": {', {})
    with pytest.raises(UnknownFormat):
        classify("notes.csv", b"a,b,c\n1,2,3\n")


def test_load_from_saved_response_merges_without_duplicates(settings, raw_count, tmp_path: Path) -> None:
    src = f1_settings.SAMPLE_DIR / "jolpica" / "jolpica_f1_2021_1_results.json"
    saved = tmp_path / "bahrain.json"
    saved.write_bytes(src.read_bytes())
    assert main(["load", "f1", "--from", str(saved)]) == 0
    assert raw_count("raw_f1.jolpica_results") == 20
    reformatted = tmp_path / "bahrain-pretty.json"  # same content, different bytes: merged on the natural key
    reformatted.write_text(json.dumps(json.loads(src.read_bytes()), indent=2))
    assert main(["load", "f1", "--from", str(reformatted)]) == 0
    assert raw_count("raw_f1.jolpica_results") == 20
    # the second file was loaded, not skipped: it now owns every row
    assert raw_count("raw_f1.jolpica_results where _landing_path like '%bahrain-pretty.json'") == 20
