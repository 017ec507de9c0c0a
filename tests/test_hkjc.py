"""HKJC: the results-page parser on every recorded page, special placings, races not run, and bad pages quarantined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from pipelines.cli import main
from pipelines.ingest.sources.hkjc import settings as hkjc_settings
from pipelines.ingest.sources.hkjc.parse import is_results_page, lengths, parse, placing_position
from pipelines.ingest.spec import ParseError

PAGES = sorted(p.name for p in hkjc_settings.SAMPLE_DIR.glob("localresults_*.html"))
# runner counts read off each page's results table
RUNNERS = {"2019-09-01_ST_R1": 9, "2019-09-01_ST_R2": 14, "2019-09-01_ST_R3": 7, "2026-03-01_ST_R1": 14}
# Every runner of the real 2020 pages (data/sample/hkjc), as the page lists it:
# (placing as published, finish position, dead heat, saddle-cloth number, brand number, draw).
# Withdrawn runners are rows: WV and WX with no number, WV-A and WX-A with the number the page prints; dead heats
# ("2 平頭馬") share the position; TNP, PU and UR have no finishing position.
SPECIAL_PLACING_RUNNERS: dict[str, list[tuple[str, int | None, bool, int | None, str, int | None]]] = {
    "2020-01-01_ST_R5": [
        ("1", 1, False, 11, "C227", 4),
        ("2", 2, False, 5, "B360", 12),
        ("3", 3, False, 4, "A383", 5),
        ("4", 4, False, 13, "A057", 3),
        ("5", 5, False, 3, "A187", 9),
        ("6", 6, False, 6, "C326", 7),
        ("7", 7, False, 2, "C113", 2),
        ("8", 8, False, 1, "B258", 11),
        ("9", 9, False, 9, "C098", 1),
        ("10", 10, False, 7, "A130", 8),
        ("11", 11, False, 14, "C187", 14),
        ("12", 12, False, 12, "D010", 10),
        ("13", 13, False, 8, "C459", 6),
        ("14", 14, False, 10, "C156", 13),
        ("WV", None, False, None, "C246", None),
        ("WV", None, False, None, "C352", None),
    ],
    "2020-01-08_HV_R7": [
        ("1", 1, False, 4, "C288", 6),
        ("2 平頭馬", 2, True, 5, "A005", 3),
        ("2 平頭馬", 2, True, 6, "C183", 10),
        ("4", 4, False, 7, "C210", 2),
        ("5", 5, False, 11, "B319", 12),
        ("6", 6, False, 12, "T380", 7),
        ("7", 7, False, 8, "A224", 1),
        ("8", 8, False, 9, "B427", 8),
        ("9", 9, False, 1, "B351", 11),
        ("10", 10, False, 3, "B472", 4),
        ("11", 11, False, 2, "B336", 5),
        ("12", 12, False, 10, "C510", 9),
    ],
    "2020-01-15_HV_R8": [
        ("1", 1, False, 8, "C333", 6),
        ("2", 2, False, 11, "C329", 1),
        ("3", 3, False, 3, "D110", 8),
        ("4", 4, False, 6, "D071", 4),
        ("5", 5, False, 1, "D174", 5),
        ("6", 6, False, 12, "D042", 2),
        ("7", 7, False, 5, "B246", 11),
        ("8", 8, False, 10, "A315", 12),
        ("9", 9, False, 2, "V315", 7),
        ("10", 10, False, 9, "C141", 3),
        ("11", 11, False, 4, "D058", 10),
        ("WV-A", None, False, 7, "C314", None),
    ],
    "2020-01-29_HV_R4": [
        ("1", 1, False, 6, "T076", 3),
        ("2", 2, False, 2, "C222", 7),
        ("3 平頭馬", 3, True, 3, "C525", 1),
        ("3 平頭馬", 3, True, 4, "D021", 5),
        ("5", 5, False, 12, "A217", 11),
        ("6", 6, False, 10, "P421", 9),
        ("7", 7, False, 8, "D077", 8),
        ("8", 8, False, 11, "C242", 4),
        ("9", 9, False, 7, "V123", 12),
        ("10", 10, False, 1, "B254", 2),
        ("11", 11, False, 9, "C434", 6),
        ("WV-A", None, False, 5, "C472", None),
    ],
    "2020-02-02_ST_R2": [
        ("1", 1, False, 10, "C102", 8),
        ("2", 2, False, 9, "D005", 1),
        ("3", 3, False, 6, "D179", 7),
        ("4", 4, False, 3, "D052", 10),
        ("5", 5, False, 1, "C420", 6),
        ("6", 6, False, 12, "C224", 12),
        ("7", 7, False, 4, "C072", 4),
        ("8", 8, False, 11, "C358", 5),
        ("9", 9, False, 7, "D010", 9),
        ("10", 10, False, 5, "D037", 2),
        ("11", 11, False, 8, "D097", 3),
        ("TNP", None, False, 2, "A314", 11),
        ("WV", None, False, None, "C486", None),
    ],
    "2020-02-02_ST_R10": [
        ("1", 1, False, 10, "C462", 1),
        ("2", 2, False, 8, "C465", 2),
        ("3", 3, False, 13, "C007", 8),
        ("4", 4, False, 6, "D085", 5),
        ("5", 5, False, 3, "C165", 3),
        ("6", 6, False, 4, "C024", 4),
        ("7", 7, False, 9, "B457", 11),
        ("8", 8, False, 12, "D056", 10),
        ("9", 9, False, 7, "D066", 12),
        ("10", 10, False, 14, "C507", 13),
        ("11", 11, False, 11, "C049", 14),
        ("12", 12, False, 5, "B350", 9),
        ("13", 13, False, 1, "B210", 6),
        ("WX-A", None, False, 2, "B153", None),
    ],
    "2020-02-19_ST_R5": [
        ("1", 1, False, 9, "C312", 9),
        ("2", 2, False, 6, "B428", 11),
        ("3", 3, False, 12, "V119", 2),
        ("4", 4, False, 11, "S131", 5),
        ("5", 5, False, 8, "A201", 3),
        ("6", 6, False, 1, "C284", 13),
        ("7", 7, False, 2, "C159", 14),
        ("8", 8, False, 13, "A083", 4),
        ("9", 9, False, 7, "C300", 6),
        ("10", 10, False, 3, "A168", 12),
        ("11", 11, False, 10, "D148", 10),
        ("12", 12, False, 4, "C536", 8),
        ("13", 13, False, 14, "C516", 7),
        ("PU", None, False, 5, "A067", 1),
    ],
    "2020-02-19_ST_R6": [
        ("1", 1, False, 1, "C287", 5),
        ("2", 2, False, 8, "D093", 6),
        ("3", 3, False, 11, "B469", 8),
        ("4", 4, False, 12, "C275", 3),
        ("5", 5, False, 3, "B025", 4),
        ("6", 6, False, 7, "C218", 7),
        ("7", 7, False, 6, "C373", 1),
        ("8", 8, False, 10, "V303", 2),
        ("9", 9, False, 5, "D150", 9),
        ("10", 10, False, 2, "C124", 12),
        ("11", 11, False, 9, "B371", 11),
        ("UR", None, False, 4, "A417", 10),
    ],
    "2020-10-11_ST_R4": [
        ("1", 1, False, 7, "C357", 3),
        ("2", 2, False, 4, "C307", 9),
        ("3", 3, False, 6, "D060", 12),
        ("4", 4, False, 12, "B455", 7),
        ("5", 5, False, 9, "A346", 6),
        ("6", 6, False, 11, "B390", 4),
        ("7", 7, False, 5, "C046", 8),
        ("8", 8, False, 10, "B185", 10),
        ("9", 9, False, 2, "C291", 14),
        ("10", 10, False, 8, "C387", 2),
        ("11", 11, False, 1, "C168", 1),
        ("12", 12, False, 13, "B334", 13),
        ("13", 13, False, 14, "B444", 11),
        ("14", 14, False, 3, "D011", 5),
        ("WX", None, False, None, "C233", None),
    ],
    "2020-11-29_ST_R1": [
        ("1", 1, False, 9, "E105", 3),
        ("2", 2, False, 2, "D356", 14),
        ("3", 3, False, 8, "E007", 1),
        ("4", 4, False, 10, "A270", 11),
        ("5", 5, False, 13, "D027", 13),
        ("6", 6, False, 3, "E075", 2),
        ("7", 7, False, 11, "D285", 4),
        ("8", 8, False, 5, "D491", 6),
        ("9", 9, False, 14, "B254", 12),
        ("10", 10, False, 12, "D338", 10),
        ("11", 11, False, 1, "B049", 5),
        ("12", 12, False, 6, "D443", 7),
        ("13", 13, False, 7, "D120", 9),
        ("UR", None, False, 4, "E013", 8),
    ],
}
FIXTURES = Path(__file__).parent / "fixtures" / "hkjc"
# DERIVED (tests/fixtures/hkjc/README.md): a real English page of an abandoned race, trimmed of the site's chrome
ABANDONED_EN = FIXTURES / "localresults_2024-11-13_HV_R7_en_abandoned_trimmed.html"


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
    positions = [r["finish_position"] for r in runners if r["finish_position"]]
    assert positions[0] == 1 and positions == sorted(positions)  # in page order; dead heats share a position
    assert all(r["horse_code"] and re.fullmatch(r"[A-Z]\d{3}", r["horse_code"]) for r in runners)
    assert tables["dividends"].num_rows > 0
    assert race["going"] == "GOOD" and race["surface"] in ("TURF", "ALL WEATHER TRACK")
    assert race["race_notice"] is None


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


@pytest.mark.parametrize("key", sorted(SPECIAL_PLACING_RUNNERS))
def test_real_2020_pages_every_runner_row(key: str) -> None:
    tables = parse("results", _page(f"localresults_{key}_zh.html"), {})
    runners = tables["runners"].to_pylist()
    got = [(r["placing"], r["finish_position"], r["is_dead_heat"], r["horse_no"], r["horse_code"], r["draw"]) for r in
           runners]  # fmt: skip
    assert got == SPECIAL_PLACING_RUNNERS[key]
    for runner in runners:
        if runner["placing"].startswith(("WV", "WX")):  # withdrawn: no weight, time, odds or margin
            assert (runner["declared_weight_lb"], runner["finish_time_seconds"], runner["win_odds"]) == (None,) * 3
            assert runner["lbw_lengths"] is None and (runner["lbw"], runner["running_positions"]) == ("---", "---")
            assert runner["actual_weight_lb"] is not None and runner["jockey_code"] and runner["trainer_code"]
    (race,) = tables["races"].to_pylist()
    assert race["race_notice"] is None and race["race_time_seconds"] is not None


def test_real_2020_special_placings_detail() -> None:
    rows = {
        key: {
            r["horse_code"]: r
            for r in parse("results", _page(f"localresults_{key}_zh.html"), {})["runners"].to_pylist()
        }
        for key in ("2020-01-08_HV_R7", "2020-02-02_ST_R2", "2020-02-19_ST_R5", "2020-11-29_ST_R1")
    }
    dead_heat = rows["2020-01-08_HV_R7"]
    assert [(dead_heat[c]["lbw"], dead_heat[c]["finish_time_seconds"]) for c in ("A005", "C183")] == [
        ("1-1/4", 108.95),
        ("1-1/4", 108.95),
    ]
    took_no_part = rows["2020-02-02_ST_R2"]["A314"]
    assert (took_no_part["placing"], took_no_part["horse_no"], took_no_part["draw"], took_no_part["win_odds"]) == (
        "TNP",
        2,
        11,
        25.0,
    )
    assert took_no_part["finish_time_seconds"] is None and took_no_part["lbw_lengths"] is None
    pulled_up = rows["2020-02-19_ST_R5"]["A067"]
    assert (pulled_up["placing"], pulled_up["running_positions"], pulled_up["win_odds"]) == ("PU", "7", 28.0)
    unseated = rows["2020-11-29_ST_R1"]["E013"]
    assert (unseated["placing"], unseated["running_positions"], unseated["finish_time_seconds"]) == ("UR", "13", None)


def _not_run_page_zh(notice: str, refund: str = "退款") -> bytes:
    """DERIVED, not real: the real Chinese page of 01/09/2019 race 1 edited into the structure of a race not run.

    The race details and runner table are removed, a notice is put after the meeting header (where the real English
    abandoned page has it), and each pool's first line becomes '-' / refund (the other lines are dropped). The Chinese
    words are assumed: no real Chinese page of an abandoned or void race was available.
    """
    tree = LexborHTMLParser(_page("localresults_2019-09-01_ST_R1_zh.html"))
    for selector in ("div.race_tab", "div.performance"):
        node = tree.css_first(selector)
        assert node is not None
        node.decompose()
    notice_node = LexborHTMLParser(f"<div>{notice}</div>").css_first("div")
    header = tree.css_first("div.raceMeeting_select")
    assert notice_node is not None and header is not None
    header.insert_after(notice_node)
    for row in tree.css("div.dividend_tab table tbody tr"):
        cells = row.css("td")
        if len(cells) != 3:
            row.decompose()
            continue
        cells[0].attrs["rowspan"] = "1"
        for cell, text in ((cells[1], "-"), (cells[2], refund)):
            for child in list(cell.iter(include_text=True)):
                child.decompose()
            cell.insert_child(text)
    return (tree.html or "").encode("utf-8")


def test_abandoned_page_en_gives_a_race_refunds_and_no_runners() -> None:
    data = ABANDONED_EN.read_bytes()
    assert is_results_page(data)
    tables = parse("results", data, {})
    (race,) = tables["races"].to_pylist()
    assert (race["race_date"].isoformat(), race["racecourse"], race["race_no"]) == ("2024-11-13", "HV", 7)
    assert race["race_notice"] == (
        "This race is declared abandoned. Under the Horse Race Betting Rules, Single Race Pools for this race, if "
        "any, will be refunded."
    )
    assert race["page_language"] == "en" and race["distance_m"] is None and race["race_class"] is None
    assert tables["runners"].num_rows == 0
    dividends = {d["pool"]: (d["winning_combination"], d["dividend_published"], d["dividend_hkd"]) for d in
                 tables["dividends"].to_pylist()}  # fmt: skip
    assert dividends["WIN"] == dividends["QUARTET"] == ("-", "REFUND", None)
    assert len([d for d in dividends.values() if d[1] == "REFUND"]) == 9
    assert dividends["TRIPLE TRIO"] == ("1,5,7/7,10,11/Any Combination", "256,366.00", 256366.0)  # multi-race pool


def test_void_page_en() -> None:
    # DERIVED: the abandoned page's notice with the wording of a void race ("This race is declared void")
    data = ABANDONED_EN.read_bytes().replace(b"declared abandoned", b"declared void")
    (race,) = parse("results", data, {})["races"].to_pylist()
    assert race["race_notice"].startswith("This race is declared void.") and race["race_no"] == 7


@pytest.mark.parametrize("notice", ["本場賽事宣佈取消。", "本場賽事宣佈無效。"])
def test_not_run_page_zh_gives_a_race_refunds_and_no_runners(notice: str) -> None:
    data = _not_run_page_zh(notice)
    assert is_results_page(data)
    tables = parse("results", data, {})
    (race,) = tables["races"].to_pylist()
    assert (race["race_date"].isoformat(), race["racecourse"], race["race_no"]) == ("2019-09-01", "ST", 1)
    assert (race["race_notice"], race["page_language"], race["going"]) == (notice, "zh", None)
    assert tables["runners"].num_rows == 0
    dividends = tables["dividends"].to_pylist()
    assert dividends and all(
        (d["winning_combination"], d["dividend_published"], d["dividend_hkd"]) == ("-", "退款", None) for d in dividends
    )
    assert {d["pool"] for d in dividends} >= {"WIN", "PLACE", "QUINELLA", "TIERCE", "QUARTET"}


def test_page_without_runners_or_notice_is_refused() -> None:
    tree = LexborHTMLParser(_page("localresults_2019-09-01_ST_R1_zh.html"))
    for selector in ("div.race_tab", "div.performance"):
        node = tree.css_first(selector)
        assert node is not None
        node.decompose()
    with pytest.raises(ParseError, match="not a results page"):
        parse("results", (tree.html or "").encode("utf-8"), {})


def test_load_withdrawn_runners_and_abandoned_race(settings, raw_count, tmp_path: Path) -> None:
    pages = []
    for key in SPECIAL_PLACING_RUNNERS:
        page = tmp_path / f"{key}.html"
        page.write_bytes(_page(f"localresults_{key}_zh.html"))
        pages.append(str(page))
    abandoned = tmp_path / "abandoned.html"
    abandoned.write_bytes(ABANDONED_EN.read_bytes())
    assert main(["load", "hkjc", "--from", *pages, str(abandoned)]) == 0
    assert raw_count("raw_hkjc.runners") == sum(len(rows) for rows in SPECIAL_PLACING_RUNNERS.values())
    assert raw_count("raw_hkjc.runners where horse_no is null") == 4  # WV, WV, WV, WX
    assert raw_count("raw_hkjc.runners where \"placing\" in ('WV', 'WV-A', 'WX', 'WX-A')") == 7
    assert raw_count("raw_hkjc.races") == len(SPECIAL_PLACING_RUNNERS) + 1
    assert raw_count("raw_hkjc.races where race_notice like 'This race is declared abandoned%'") == 1
    assert raw_count("raw_hkjc.dividends where dividend_published = 'REFUND'") == 9
    assert raw_count("raw_hkjc._landing_files where status = 'quarantined'") == 0
