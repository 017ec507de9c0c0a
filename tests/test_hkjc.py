"""HKJC: the results-page parser on every recorded page, special placings, and bad pages quarantined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.sources.hkjc import settings as hkjc_settings
from pipelines.sources.hkjc.parse import lengths, parse, placing_position
from pipelines.spec import ParseError

PAGES = sorted(p.name for p in hkjc_settings.SAMPLE_DIR.glob("localresults_*.html"))
# runner counts read off each page's results table
RUNNERS = {"2019-09-01_ST_R1": 9, "2019-09-01_ST_R2": 14, "2019-09-01_ST_R3": 7, "2026-03-01_ST_R1": 14}


def _page(name: str) -> bytes:
    return (hkjc_settings.SAMPLE_DIR / name).read_bytes()


@pytest.mark.parametrize("name", PAGES)
def test_every_recorded_page_parses(name: str) -> None:
    tables = parse("results", _page(name), {})
    (race,) = tables["races"].to_pylist()
    date, course, race_no = re.search(r"(\d{4}-\d{2}-\d{2})_(ST|HV)_R(\d+)", name).groups()
    assert (race["race_date"].isoformat(), race["racecourse"], race["race_no"]) == (date, course, int(race_no))
    runners = tables["runners"].to_pylist()
    key = f"{date}_{course}_R{race_no}"
    if key in RUNNERS:
        assert len(runners) == RUNNERS[key]
    assert [r["finish_position"] for r in runners if r["finish_position"]][:3] == [1, 2, 3]
    assert all(r["horse_code"] and re.fullmatch(r"[A-Z]\d{3}", r["horse_code"]) for r in runners)
    assert tables["dividends"].num_rows > 0
    assert race["going"] == "GOOD" and race["surface"] == "TURF"


def test_2026_page_exact_rows() -> None:
    tables = parse("results", _page("localresults_2026-03-01_ST_R1_zh.html"), {})
    (race,) = tables["races"].to_pylist()
    assert race["race_index"] == 475 and race["race_class"] == "Class 4" and race["distance_m"] == 1800
    assert race["course"] == "B+2" and race["prize_hkd"] == 1_170_000 and race["rating_band"] == "60-40"
    winner, second = tables["runners"].to_pylist()[:2]
    assert winner == {
        "race_date": race["race_date"],
        "racecourse": "ST",
        "race_no": 1,
        "placing": "1",
        "finish_position": 1,
        "is_dead_heat": False,
        "horse_no": 9,
        "horse_name": "步風雷",
        "horse_code": "J452",
        "horse_id": "HK_2023_J452",
        "jockey_name": "艾兆禮",
        "jockey_code": "AA",
        "trainer_name": "伍鵬志",
        "trainer_code": "NPC",
        "actual_weight_lb": 120,
        "declared_weight_lb": 1060,
        "draw": 5,
        "lbw": "-",
        "lbw_lengths": 0.0,
        "running_positions": "4 4 4 3 1",
        "finish_time_seconds": 107.33,
        "win_odds": 10.0,
    }
    assert (second["horse_name"], second["lbw_lengths"], second["win_odds"]) == ("同益善", 0.75, 4.6)
    dividends = {(d["pool"], d["line_no"]): (d["winning_combination"], d["dividend_hkd"]) for d in
                 tables["dividends"].to_pylist()}  # fmt: skip
    assert dividends[("WIN", 1)] == ("9", 108.0)
    assert dividends[("PLACE", 2)] == ("7", 17.0)
    assert dividends[("QUARTET", 1)] == ("9,7,3,4", 76611.0)


def test_2019_page_exact_rows() -> None:
    tables = parse("results", _page("localresults_2019-09-01_ST_R1_zh.html"), {})
    (race,) = tables["races"].to_pylist()
    assert (race["race_class"], race["distance_m"], race["course"], race["race_time_seconds"]) == (
        "Class 5",
        1600,
        "B",
        95.48,
    )
    first, second = tables["runners"].to_pylist()[:2]
    assert (first["horse_name"], first["horse_code"], first["jockey_name"], first["draw"]) == (
        "跑得威",
        "C127",
        "潘頓",
        6,
    )
    assert (first["running_positions"], first["finish_time_seconds"], first["win_odds"]) == ("3 3 2 1", 95.48, 2.2)
    assert (second["horse_code"], second["lbw"], second["lbw_lengths"]) == ("C035", "短馬頭位", 0.1)


@pytest.mark.parametrize(
    ("placing", "expected"),
    [("1", (1, False)), ("2 DH", (2, True)), ("WV", (None, False)), ("WV-A", (None, False)), ("PU", (None, False)),
     ("UR", (None, False)), ("DISQ", (None, False)), ("TNP", (None, False)), ("FE", (None, False))],
)  # fmt: skip
def test_placings(placing: str, expected: tuple[int | None, bool]) -> None:
    assert placing_position(placing) == expected


@pytest.mark.parametrize(("lbw", "expected"), [("-", 0.0), ("3/4", 0.75), ("1-1/4", 1.25), ("N", 0.3), ("---", None)])
def test_lengths(lbw: str, expected: float | None) -> None:
    assert lengths(lbw) == expected


def test_truncated_page_is_refused() -> None:
    data = _page("localresults_2026-03-01_ST_R1_zh.html")
    with pytest.raises(ParseError, match="truncated"):
        parse("results", data[: len(data) // 2], {})


def test_changed_headers_are_refused() -> None:
    data = _page("localresults_2026-03-01_ST_R1_zh.html").decode("utf-8")
    changed = data.replace("名次", "排名", 1).replace("獨贏賠率", "", 1)
    with pytest.raises(ParseError, match=r"headers changed|cells"):
        parse("results", changed.encode("utf-8"), {})


def test_error_page_is_not_a_results_page() -> None:
    page = "<html><head><title>HKJC</title></head><body>" + "<p>沒有相關資料 No information.</p>" * 80
    with pytest.raises(ParseError, match=r"meeting|not a results page"):
        parse("results", (page + "</body></html>").encode("utf-8"), {})


def test_load_from_page_and_bad_page_quarantined(settings, raw_count, tmp_path: Path) -> None:
    good = tmp_path / "race.html"
    good.write_bytes(_page("localresults_2026-03-01_ST_R1_zh.html"))
    assert main(["load", "hkjc", "--from", str(good)]) == 0
    assert raw_count("raw_hkjc.runners") == 14
    bad = tmp_path / "login.html"
    bad.write_bytes(b"<!DOCTYPE html><html><body>Please log in" + b" " * 3000 + b"</body></html>")
    assert main(["load", "hkjc", "--from", str(bad)]) == 0
    assert raw_count("raw_hkjc._landing_files where status = 'quarantined' and error like '%login.html%'") == 1
    assert raw_count("raw_hkjc.runners") == 14
