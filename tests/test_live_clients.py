"""The live clients against a real HTTP server on 127.0.0.1 that serves recorded bodies: what they ask for, what
they file, and that a second run asks only for what is missing."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from pipelines.ingest.extract import extract
from pipelines.ingest.sources.events import SPEC as EVENTS
from pipelines.ingest.sources.events.generator import GeneratorConfig, partitions
from pipelines.ingest.sources.events.settings import EventsSettings
from pipelines.ingest.sources.f1 import SPEC as F1_SPEC
from pipelines.ingest.sources.f1.settings import F1Settings
from pipelines.ingest.sources.hkjc import SPEC as HKJC_SPEC
from pipelines.ingest.sources.hkjc.settings import HkjcSettings
from pipelines.ingest.sources.yahoo import SPEC as YAHOO_SPEC
from pipelines.ingest.sources.yahoo.settings import YahooSettings
from tests.generators.yahoo_chart import ChartConfig, bodies

SAMPLE = Path(__file__).parents[1] / "data" / "sample"
# the politeness delays are the clients' own settings; a local test server needs none
HKJC, F1, YAHOO = (replace(spec, http_policy_min_interval_s=0.0) for spec in (HKJC_SPEC, F1_SPEC, YAHOO_SPEC))


def test_hkjc_finds_the_meeting_and_fetches_every_race(settings, local_server) -> None:
    page = (SAMPLE / "hkjc" / "localresults_2026-03-01_ST_R1_zh.html").read_bytes()
    no_info = b"<!DOCTYPE html><html><body>" + b"<p>No information.</p>" * 100 + b"</body></html>"
    route = local_server.route("/zh-hk/local/information/localresults", (200, {}, page))
    hkjc = HkjcSettings(base_url=local_server.base_url, language="zh", racecourses=("ST",))
    result = extract(HKJC, settings, "live", date(2026, 3, 1), date(2026, 3, 1), source_config=hkjc)
    # race 1 finds the meeting and its 11 race tabs; every race page is requested once
    assert route.hits == 11 and result.new_files == 1  # the server returns the same bytes: filed once by hash
    local_server.route("/zh-hk/local/information/localresults", (200, {}, no_info))
    assert extract(HKJC, settings, "live", date(2026, 3, 2), date(2026, 3, 2), source_config=hkjc).new_files == 0


def test_hkjc_backfill_twice_asks_for_nothing_the_second_time(settings, local_server) -> None:
    page = (SAMPLE / "hkjc" / "localresults_2026-03-01_ST_R1_zh.html").read_bytes()
    # one distinct body per race (the pages of a real meeting differ), served in the order they are asked for
    route = local_server.route(
        "/zh-hk/local/information/localresults", *((200, {}, page + f"<!-- {n} -->".encode()) for n in range(1, 12))
    )
    hkjc = HkjcSettings(base_url=local_server.base_url, language="zh", racecourses=("ST",))
    first = extract(HKJC, settings, "live", date(2026, 3, 1), date(2026, 3, 1), source_config=hkjc)
    assert route.hits == 11 and first.new_files == 11
    assert {f.params["last_race"] for f in first.filed} == {"11"}
    second = extract(HKJC, settings, "live", date(2026, 3, 1), date(2026, 3, 1), source_config=hkjc)
    assert route.hits == 11 and second.new_files == 0 and second.skipped_windows == 11


def test_yahoo_backfill_twice_asks_for_nothing_the_second_time(settings, local_server) -> None:
    config = ChartConfig(tickers=1, days=7)
    body = next(bodies(config))[1]
    route = local_server.route("/v8/finance/chart/GEN000", (200, {}, body))
    yahoo = YahooSettings(api_base=f"{local_server.base_url}/v8/finance/chart", tickers=("GEN000",), intervals=("1d",))
    first = extract(YAHOO, settings, "live", date(2026, 10, 1), date(2026, 10, 7), source_config=yahoo)
    assert route.hits == 1 and first.new_files == 1
    assert first.filed[0].params["ticker"] == "GEN000" and first.filed[0].params["interval"] == "1d"
    second = extract(YAHOO, settings, "live", date(2026, 10, 1), date(2026, 10, 7), source_config=yahoo)
    assert route.hits == 1 and second.new_files == 0 and second.skipped_windows == 1


def test_f1_paginates_to_mrdata_total_and_skips_landed_rounds(settings, local_server) -> None:
    schedule = json.loads((SAMPLE / "f1" / "jolpica" / "jolpica_f1_2023.json").read_bytes())
    schedule["MRData"]["RaceTable"]["Races"] = schedule["MRData"]["RaceTable"]["Races"][:1]
    schedule["MRData"]["total"] = "1"
    local_server.route("/ergast/f1/2023.json", (200, {}, json.dumps(schedule).encode()))
    results = (SAMPLE / "f1" / "jolpica" / "jolpica_f1_2023_1_results.json").read_bytes()
    laps = json.loads((SAMPLE / "f1" / "jolpica" / "jolpica_f1_2023_1_laps_limit_1200.json").read_bytes())
    laps["MRData"]["total"] = "250"  # three pages of 100
    laps_route = local_server.route("/ergast/f1/2023/1/laps.json", (200, {}, json.dumps(laps).encode()))
    local_server.route("/ergast/f1/2023/1/results.json", (200, {}, results))
    for kind in ("sprint", "qualifying", "pitstops"):
        local_server.route(f"/ergast/f1/2023/1/{kind}.json", (200, {}, b'{"MRData": {"total": "0", "RaceTable": {}}}'))
    local_server.route("/v1/sessions", (200, {}, b"[]"))
    f1 = F1Settings(jolpica_base=f"{local_server.base_url}/ergast/f1", openf1_base=f"{local_server.base_url}/v1")
    extract(F1, settings, "live", date(2023, 1, 1), date(2023, 12, 31), source_config=f1)
    assert laps_route.hits == 3
    second = extract(F1, settings, "live", date(2023, 1, 1), date(2023, 12, 31), source_config=f1)
    assert laps_route.hits == 3, "a round already landed is not fetched again"
    assert second.skipped_windows == 1


def test_f1_backfill_twice_skips_landed_openf1_sessions(settings, local_server) -> None:
    empty_season = b'{"MRData": {"total": "0", "RaceTable": {"Races": []}}}'
    local_server.route("/ergast/f1/2023.json", (200, {}, empty_season))
    sessions = [{"session_key": 9158, "date_start": "2023-09-17T12:00:00+00:00"}]
    local_server.route("/v1/sessions", (200, {}, json.dumps(sessions).encode()))
    routes = {kind: local_server.route(f"/v1/{kind}", (200, {}, f'[{{"k": "{kind}"}}]'.encode()))
              for kind in ("laps", "stints", "pit", "weather")}  # fmt: skip
    f1 = F1Settings(jolpica_base=f"{local_server.base_url}/ergast/f1", openf1_base=f"{local_server.base_url}/v1")
    extract(F1, settings, "live", date(2023, 1, 1), date(2023, 12, 31), source_config=f1)
    assert all(route.hits == 1 for route in routes.values())
    second = extract(F1, settings, "live", date(2023, 1, 1), date(2023, 12, 31), source_config=f1)
    assert all(route.hits == 1 for route in routes.values()) and second.skipped_windows == 1


def test_event_drop_folder_picks_up_new_files_only(settings, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    parts = partitions(GeneratorConfig(events=2_000, seed=5))
    for part in parts[:3]:
        (drop / part.path).parent.mkdir(parents=True, exist_ok=True)
        (drop / part.path).write_bytes(part.data)
    events = EventsSettings(drop_url=f"file://{drop}")
    assert extract(EVENTS, settings, "live", source_config=events).new_files == 3
    (drop / parts[3].path).parent.mkdir(parents=True, exist_ok=True)
    (drop / parts[3].path).write_bytes(parts[3].data)
    second = extract(EVENTS, settings, "live", source_config=events)
    assert second.new_files == 1 and second.filed[0].endpoint == "clickstream" and second.skipped_windows == 3


def test_event_drop_is_read_from_the_documented_variable(settings, tmp_path: Path, monkeypatch) -> None:
    drop = tmp_path / "drop"
    part = partitions(GeneratorConfig(events=200, seed=5))[0]
    (drop / part.path).parent.mkdir(parents=True, exist_ok=True)
    (drop / part.path).write_bytes(part.data)
    monkeypatch.setenv("GRANDSTAND_EVENTS_DROP", f"file://{drop}")
    assert extract(EVENTS, settings, "live").new_files == 1


def test_event_drop_must_be_configured(settings, monkeypatch) -> None:
    monkeypatch.delenv("GRANDSTAND_EVENTS_DROP", raising=False)
    monkeypatch.delenv("SOURCES__EVENTS__DROP_URL", raising=False)
    with pytest.raises(ValueError, match="GRANDSTAND_EVENTS_DROP"):
        list(extract(EVENTS, settings, "live").filed)


@pytest.mark.parametrize("source", ["coincap", "hkjc"])
def test_extract_that_cannot_fetch_prints_one_line_naming_the_url_and_exits_1(
    settings, local_server, monkeypatch, capsys, source: str
) -> None:
    """The local server knows no route, so every request is a 404 (not retried): `extract` must end with one line
    naming the URL and the cause, exit 1, and no traceback. The CLI reads the bases from the documented variables."""
    from pipelines.cli import main

    monkeypatch.setenv("COINCAP_API_BASE", f"{local_server.base_url}/v3")
    monkeypatch.setenv("HKJC_BASE_URL", local_server.base_url)
    code = main(["extract", source, "--mode", "live", "--start", "2026-03-01", "--end", "2026-03-01"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and local_server.base_url in lines[0] and "HTTP 404" in lines[0], err
