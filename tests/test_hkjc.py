"""HKJC: the results-page parser on every recorded page, special placings, races not run, and bad pages quarantined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from pipelines.cli import main
from pipelines.ingest.sources.hkjc import settings as hkjc_settings
from pipelines.ingest.sources.hkjc.parse import is_results_page, parse
from pipelines.ingest.spec import ParseError

PAGES = sorted(p.name for p in hkjc_settings.SAMPLE_DIR.glob("localresults_*.html"))
# runner counts read off each page's results table
RUNNERS = {"2019-09-01_ST_R1": 9, "2019-09-01_ST_R2": 14, "2019-09-01_ST_R3": 7, "2026-03-01_ST_R1": 14}
# Every runner of the real 2020 pages (data/sample/hkjc), as the page lists it:
# (placing as published, saddle-cloth number, brand number, draw).
# Withdrawn runners are rows: WV and WX with no number, WV-A and WX-A with the number the page prints; dead heats
# keep their mark as published ("2 平頭馬"); staging reads the position and the dead heat (dbt unit tests).
SPECIAL_PLACING_RUNNERS: dict[str, list[tuple[str, int | None, str, int | None]]] = {
    "2020-01-01_ST_R5": [
        ("1", 11, "C227", 4),
        ("2", 5, "B360", 12),
        ("3", 4, "A383", 5),
        ("4", 13, "A057", 3),
        ("5", 3, "A187", 9),
        ("6", 6, "C326", 7),
        ("7", 2, "C113", 2),
        ("8", 1, "B258", 11),
        ("9", 9, "C098", 1),
        ("10", 7, "A130", 8),
        ("11", 14, "C187", 14),
        ("12", 12, "D010", 10),
        ("13", 8, "C459", 6),
        ("14", 10, "C156", 13),
        ("WV", None, "C246", None),
        ("WV", None, "C352", None),
    ],
    "2020-01-08_HV_R7": [
        ("1", 4, "C288", 6),
        ("2 平頭馬", 5, "A005", 3),
        ("2 平頭馬", 6, "C183", 10),
        ("4", 7, "C210", 2),
        ("5", 11, "B319", 12),
        ("6", 12, "T380", 7),
        ("7", 8, "A224", 1),
        ("8", 9, "B427", 8),
        ("9", 1, "B351", 11),
        ("10", 3, "B472", 4),
        ("11", 2, "B336", 5),
        ("12", 10, "C510", 9),
    ],
    "2020-01-15_HV_R8": [
        ("1", 8, "C333", 6),
        ("2", 11, "C329", 1),
        ("3", 3, "D110", 8),
        ("4", 6, "D071", 4),
        ("5", 1, "D174", 5),
        ("6", 12, "D042", 2),
        ("7", 5, "B246", 11),
        ("8", 10, "A315", 12),
        ("9", 2, "V315", 7),
        ("10", 9, "C141", 3),
        ("11", 4, "D058", 10),
        ("WV-A", 7, "C314", None),
    ],
    "2020-01-29_HV_R4": [
        ("1", 6, "T076", 3),
        ("2", 2, "C222", 7),
        ("3 平頭馬", 3, "C525", 1),
        ("3 平頭馬", 4, "D021", 5),
        ("5", 12, "A217", 11),
        ("6", 10, "P421", 9),
        ("7", 8, "D077", 8),
        ("8", 11, "C242", 4),
        ("9", 7, "V123", 12),
        ("10", 1, "B254", 2),
        ("11", 9, "C434", 6),
        ("WV-A", 5, "C472", None),
    ],
    "2020-02-02_ST_R2": [
        ("1", 10, "C102", 8),
        ("2", 9, "D005", 1),
        ("3", 6, "D179", 7),
        ("4", 3, "D052", 10),
        ("5", 1, "C420", 6),
        ("6", 12, "C224", 12),
        ("7", 4, "C072", 4),
        ("8", 11, "C358", 5),
        ("9", 7, "D010", 9),
        ("10", 5, "D037", 2),
        ("11", 8, "D097", 3),
        ("TNP", 2, "A314", 11),
        ("WV", None, "C486", None),
    ],
    "2020-02-02_ST_R10": [
        ("1", 10, "C462", 1),
        ("2", 8, "C465", 2),
        ("3", 13, "C007", 8),
        ("4", 6, "D085", 5),
        ("5", 3, "C165", 3),
        ("6", 4, "C024", 4),
        ("7", 9, "B457", 11),
        ("8", 12, "D056", 10),
        ("9", 7, "D066", 12),
        ("10", 14, "C507", 13),
        ("11", 11, "C049", 14),
        ("12", 5, "B350", 9),
        ("13", 1, "B210", 6),
        ("WX-A", 2, "B153", None),
    ],
    "2020-02-19_ST_R5": [
        ("1", 9, "C312", 9),
        ("2", 6, "B428", 11),
        ("3", 12, "V119", 2),
        ("4", 11, "S131", 5),
        ("5", 8, "A201", 3),
        ("6", 1, "C284", 13),
        ("7", 2, "C159", 14),
        ("8", 13, "A083", 4),
        ("9", 7, "C300", 6),
        ("10", 3, "A168", 12),
        ("11", 10, "D148", 10),
        ("12", 4, "C536", 8),
        ("13", 14, "C516", 7),
        ("PU", 5, "A067", 1),
    ],
    "2020-02-19_ST_R6": [
        ("1", 1, "C287", 5),
        ("2", 8, "D093", 6),
        ("3", 11, "B469", 8),
        ("4", 12, "C275", 3),
        ("5", 3, "B025", 4),
        ("6", 7, "C218", 7),
        ("7", 6, "C373", 1),
        ("8", 10, "V303", 2),
        ("9", 5, "D150", 9),
        ("10", 2, "C124", 12),
        ("11", 9, "B371", 11),
        ("UR", 4, "A417", 10),
    ],
    "2020-10-11_ST_R4": [
        ("1", 7, "C357", 3),
        ("2", 4, "C307", 9),
        ("3", 6, "D060", 12),
        ("4", 12, "B455", 7),
        ("5", 9, "A346", 6),
        ("6", 11, "B390", 4),
        ("7", 5, "C046", 8),
        ("8", 10, "B185", 10),
        ("9", 2, "C291", 14),
        ("10", 8, "C387", 2),
        ("11", 1, "C168", 1),
        ("12", 13, "B334", 13),
        ("13", 14, "B444", 11),
        ("14", 3, "D011", 5),
        ("WX", None, "C233", None),
    ],
    "2020-11-29_ST_R1": [
        ("1", 9, "E105", 3),
        ("2", 2, "D356", 14),
        ("3", 8, "E007", 1),
        ("4", 10, "A270", 11),
        ("5", 13, "D027", 13),
        ("6", 3, "E075", 2),
        ("7", 11, "D285", 4),
        ("8", 5, "D491", 6),
        ("9", 14, "B254", 12),
        ("10", 12, "D338", 10),
        ("11", 1, "B049", 5),
        ("12", 6, "D443", 7),
        ("13", 7, "D120", 9),
        ("UR", 4, "E013", 8),
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
    assert (race["race_date"].isoformat(), race["race_no"]) == (date, int(race_no))
    runners = tables["runners"].to_pylist()
    key = f"{date}_{course}_R{race_no}"
    if key in RUNNERS:
        assert len(runners) == RUNNERS[key]
    placings = [int(m[1]) for r in runners if (m := re.fullmatch(r"(\d+)(?: 平頭馬)?", r["placing"]))]
    assert placings[0] == 1 and placings == sorted(placings)  # in page order; dead heats share a number
    assert all(r["horse_code"] and re.fullmatch(r"[A-Z]\d{3}", r["horse_code"]) for r in runners)
    assert tables["dividends"].num_rows > 0
    # the words as the Chinese page publishes them; staging maps them to codes from the seeds
    assert (race["racecourse_published"], race["page_language"]) == ({"ST": "沙田", "HV": "跑馬地"}[course], "zh")
    assert race["going_published"] == "好地" and race["surface_published"] in ("草地", "全天候跑道")
    assert re.fullmatch(r"第[一二三四五]班", race["race_class_published"])
    assert race["race_notice"] is None


def test_2026_page_exact_rows() -> None:
    tables = parse("results", _page("localresults_2026-03-01_ST_R1_zh.html"), {})
    (race,) = tables["races"].to_pylist()
    assert race["race_index"] == 475 and race["race_class_published"] == "第四班" and race["distance_m"] == 1800
    assert race["course"] == "B+2" and race["prize_hkd"] == 1_170_000 and race["rating_band"] == "60-40"
    assert (race["racecourse_published"], race["going_published"], race["surface_published"]) == (
        "沙田",
        "好地",
        "草地",
    )
    winner, second = tables["runners"].to_pylist()[:2]
    assert winner == {
        "race_date": race["race_date"],
        "racecourse_published": "沙田",
        "race_no": 1,
        "placing": "1",
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
        "running_positions": "4 4 4 3 1",
        "finish_time_seconds": 107.33,
        "win_odds": 10.0,
    }
    assert (second["horse_name"], second["lbw"], second["win_odds"]) == ("同益善", "3/4", 4.6)
    dividends = {(d["pool_published"], d["line_no"]): (d["winning_combination"], d["dividend_hkd"]) for d in
                 tables["dividends"].to_pylist()}  # fmt: skip
    assert dividends[("獨贏", 1)] == ("9", 108.0)
    assert dividends[("位置", 2)] == ("7", 17.0)
    assert dividends[("四重彩", 1)] == ("9,7,3,4", 76611.0)


def test_2019_page_exact_rows() -> None:
    tables = parse("results", _page("localresults_2019-09-01_ST_R1_zh.html"), {})
    (race,) = tables["races"].to_pylist()
    assert (race["race_class_published"], race["distance_m"], race["course"], race["race_time_seconds"]) == (
        "第五班",
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
    assert (second["horse_code"], second["lbw"]) == ("C035", "短馬頭位")  # a margin as published: staging reads it


def test_no_words_are_recoded_in_python() -> None:
    """Every word is kept as published; the vocabularies (and the racecourses) live in seeds/ only."""
    from pipelines.ingest.sources.hkjc import parse as hkjc_parse

    for name in ("RACECOURSES", "GOING", "SURFACES", "POOLS", "MARGINS", "DEAD_HEAT_MARKS", "CHINESE_DIGITS"):
        assert not hasattr(hkjc_parse, name)


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
    got = [(r["placing"], r["horse_no"], r["horse_code"], r["draw"]) for r in runners]
    assert got == SPECIAL_PLACING_RUNNERS[key]
    for runner in runners:
        if runner["placing"].startswith(("WV", "WX")):  # withdrawn: no weight, time, odds or margin
            assert (runner["declared_weight_lb"], runner["finish_time_seconds"], runner["win_odds"]) == (None,) * 3
            assert (runner["lbw"], runner["running_positions"]) == ("---", "---")
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
    assert took_no_part["finish_time_seconds"] is None and took_no_part["lbw"] == "---"
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
    assert (race["race_date"].isoformat(), race["racecourse_published"], race["race_no"]) == (
        "2024-11-13",
        "Happy Valley",
        7,
    )
    assert race["race_notice"] == (
        "This race is declared abandoned. Under the Horse Race Betting Rules, Single Race Pools for this race, if "
        "any, will be refunded."
    )
    assert race["page_language"] == "en" and race["distance_m"] is None and race["race_class_published"] is None
    assert tables["runners"].num_rows == 0
    dividends = {d["pool_published"]: (d["winning_combination"], d["dividend_published"], d["dividend_hkd"]) for d in
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
    assert (race["race_date"].isoformat(), race["racecourse_published"], race["race_no"]) == ("2019-09-01", "沙田", 1)
    assert (race["race_notice"], race["page_language"], race["going_published"]) == (notice, "zh", None)
    assert tables["runners"].num_rows == 0
    dividends = tables["dividends"].to_pylist()
    assert dividends and all(
        (d["winning_combination"], d["dividend_published"], d["dividend_hkd"]) == ("-", "退款", None) for d in dividends
    )
    assert {d["pool_published"] for d in dividends} >= {"獨贏", "位置", "連贏", "三重彩", "四重彩"}


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
