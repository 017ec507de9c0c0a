"""HKJC LocalResults pages → race, runner and dividend rows; Kaggle hkracing CSVs → history rows. Pure.

The page parser reads by structure (the `race_tab`, `performance` and `dividend_tab` blocks, cell positions, link
ids), not by the words on the page, and keeps every word as published, in the page's language: racecourse, class,
going, surface, pool, placing (with its dead-heat mark) and margin. dbt staging maps the words of either language to
one code from the seeds (`seeds/racecourses.csv`, `seeds/hkjc_*.csv`), so English and Chinese pages of a race end as
the same staging rows.

A race that was not run (abandoned, or declared void) has no `race_tab` or runner table: its page shows the
meeting's race tabs (the current race's tab is the one image without a link, `racecard_rt_<n>_o`), a notice, and
the dividends as refunds. Such a page gives a race row whose `race_notice` is the notice as published (staging maps
its words to a race status from a seed), its refund dividend lines, and no runners.

Withdrawn runners (placings WV, WV-A, WX, WX-A) stay rows with their placing as published; the page prints no
saddle-cloth number for some of them, so `horse_no` may be null and runners are keyed by race and horse code.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlparse

import pyarrow as pa
from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipelines.ingest.parsing import arrow_table
from pipelines.ingest.spec import ParseError, UnknownFormat

RACES = pa.schema(
    [
        ("race_date", pa.date32()),
        ("racecourse_published", pa.string()),
        ("race_no", pa.int32()),
        ("race_index", pa.int32()),
        ("race_class_published", pa.string()),
        ("distance_m", pa.int32()),
        ("rating_band", pa.string()),
        ("going_published", pa.string()),
        ("surface_published", pa.string()),
        ("course", pa.string()),
        ("race_name", pa.string()),
        ("prize_hkd", pa.int64()),
        ("race_time_seconds", pa.float64()),
        ("race_notice", pa.string()),
        ("page_language", pa.string()),
    ]
)
RUNNERS = pa.schema(
    [
        ("race_date", pa.date32()),
        ("racecourse_published", pa.string()),
        ("race_no", pa.int32()),
        ("placing", pa.string()),
        ("horse_no", pa.int32()),
        ("horse_name", pa.string()),
        ("horse_code", pa.string()),
        ("horse_id", pa.string()),
        ("jockey_name", pa.string()),
        ("jockey_code", pa.string()),
        ("trainer_name", pa.string()),
        ("trainer_code", pa.string()),
        ("actual_weight_lb", pa.int32()),
        ("declared_weight_lb", pa.int32()),
        ("draw", pa.int32()),
        ("lbw", pa.string()),
        ("running_positions", pa.string()),
        ("finish_time_seconds", pa.float64()),
        ("win_odds", pa.float64()),
    ]
)
DIVIDENDS = pa.schema(
    [
        ("race_date", pa.date32()),
        ("racecourse_published", pa.string()),
        ("race_no", pa.int32()),
        ("pool_published", pa.string()),
        ("line_no", pa.int32()),
        ("winning_combination", pa.string()),
        ("dividend_hkd", pa.float64()),
        ("dividend_published", pa.string()),
    ]
)

PERFORMANCE_COLUMNS = 12
PLACING_HEADERS = ("名次", "Pla.", "Place", "Plc.")
HEADERS = {
    "zh": (
        "名次",
        "馬號",
        "馬名",
        "騎師",
        "練馬師",
        "實際負磅",
        "排位體重",
        "檔位",
        "頭馬距離",
        "沿途走位",
        "完成時間",
        "獨贏賠率",
    ),
    "en": (
        "Pla.",
        "Horse No.",
        "Horse",
        "Jockey",
        "Trainer",
        "Act. Wt.",
        "Declar. Horse Wt.",
        "Dr.",
        "LBW",
        "RunningPosition",
        "Finish Time",
        "Win Odds",
    ),
}


def _text(node: LexborNode | None) -> str:
    return " ".join((node.text(separator=" ") if node is not None else "").split())


def _int(text: str) -> int | None:
    digits = re.sub(r"[^\d]", "", text)
    return int(digits) if digits else None


def _seconds(text: str) -> float | None:
    match = re.fullmatch(r"(?:(\d+):)?(\d+(?:\.\d+)?)", text.strip())
    if not match:
        return None
    return round(int(match[1] or 0) * 60 + float(match[2]), 3)


def _float(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _link_id(cell: LexborNode, key: str) -> str | None:
    link = cell.css_first("a")
    href = link.attributes.get("href") if link is not None else None
    if not href:
        return None
    values = parse_qs(urlparse(href).query, keep_blank_values=True)
    for name, found in values.items():
        if name.lower() == key:
            return found[0]
    return None


def _meeting(tree: LexborHTMLParser) -> tuple[date, str]:
    """The meeting's date and its racecourse as published (Sha Tin, 沙田): the text after the date."""
    node = tree.css_first("span.f_fl.f_fs13") or tree.css_first("div.raceMeeting_select span")
    text = _text(node)
    match = re.search(r"(\d{2})/(\d{2})/(\d{4})", text)
    if not match:
        raise ParseError("no race meeting date (dd/mm/yyyy) in the meeting header")
    venue = text[match.end() :].strip()
    if not venue:
        raise ParseError(f"no racecourse after the date in meeting header {text!r}")
    return date(int(match[3]), int(match[2]), int(match[1])), venue


def _before_dash(text: str) -> str | None:
    """The first part of a cell published as parts joined by ' - ' ('第四班 - 1800米 - (60-40)' → '第四班')."""
    return text.split(" - ")[0].strip() or None


def _race(table: LexborNode, race_date: date, venue: str, language: str) -> dict[str, Any]:
    rows = [[_text(c) for c in r.css("td")] for r in table.css("tr")]
    if len(rows) < 5:
        raise ParseError(f"race_tab has {len(rows)} rows, expected at least 5 (changed or truncated page)")
    header = " ".join(rows[0])
    numbers = re.findall(r"\d+", header)
    if not numbers:
        raise ParseError(f"no race number in {header!r}")
    class_line = rows[2][0] if rows[2] else ""
    distance = re.search(r"(\d{3,4})\s*(?:米|M)", class_line, flags=re.I)
    band = re.search(r"\((\d+-\d+)\)", class_line)
    going_text = rows[2][2] if len(rows[2]) > 2 else ""
    track_text = rows[3][2] if len(rows[3]) > 2 else ""  # '草地 - "B+2" 賽道', 'TURF - "B+2" COURSE', '全天候跑道'
    course_letter = re.search(r'"([^"]+)"', track_text)
    times = [t for t in (_seconds(x.strip("()")) for x in rows[4][2:]) if t is not None]
    return {
        "race_date": race_date,
        "racecourse_published": venue,
        "race_no": int(numbers[0]),
        "race_index": int(numbers[1]) if len(numbers) > 1 else None,
        "race_class_published": _before_dash(class_line),
        "distance_m": int(distance[1]) if distance else None,
        "rating_band": band[1] if band else None,
        "going_published": going_text or None,
        "surface_published": _before_dash(track_text),
        "course": course_letter[1] if course_letter else None,
        "race_name": rows[3][0] or None,
        "prize_hkd": _int(rows[4][0]),
        "race_time_seconds": times[-1] if times else None,
        "race_notice": None,
        "page_language": language,
    }


def _current_race_no(tree: LexborHTMLParser) -> int | None:
    """The race the page is about: its tab in the meeting's race tabs is the one image without a link (`_o`)."""
    for image in tree.css("table.js_racecard img, div.top_races img"):
        match = re.search(r"racecard_rt_(\d{1,2})_o\.", image.attributes.get("src") or "")
        if match:
            return int(match[1])
    return None


def _notice(tree: LexborHTMLParser) -> str | None:
    """The text published between the meeting header and the dividends (where the page says why there is no race)."""
    header = tree.css_first("div.raceMeeting_select")
    parts: list[str] = []
    node = header.next if header is not None else None
    while node is not None:
        classes = (node.attributes.get("class") or "").split() if node.is_element_node else []
        if "dividend_tab" in classes:
            break
        if node.is_element_node and node.tag not in ("script", "style") and "race_tab" not in classes:
            parts.append(_text(node))
        node = node.next
    return " ".join(p for p in parts if p) or None


def _race_not_run(tree: LexborHTMLParser, race_date: date, venue: str, language: str) -> dict[str, Any]:
    """The race row of a page for a race that was not run: its number from the race tabs, its notice as published."""
    race_no, notice = _current_race_no(tree), _notice(tree)
    if race_no is None or notice is None or tree.css_first("div.performance table") is not None:
        raise ParseError("not a results page: no race_tab block (an error, login or 'no information' page?)")
    return {
        **{name: None for name in RACES.names},
        "race_date": race_date,
        "racecourse_published": venue,
        "race_no": race_no,
        "race_notice": notice,
        "page_language": language,
    }


def _runners(tree: LexborHTMLParser, key: dict[str, Any]) -> list[dict[str, Any]]:
    table = tree.css_first("div.performance table")
    if table is None:
        return []
    rows = table.css("tr")
    header = tuple(_text(c) for c in rows[0].css("td,th")) if rows else ()
    if len(header) != PERFORMANCE_COLUMNS or (header not in HEADERS.values() and header[0] not in PLACING_HEADERS):
        raise ParseError(f"runner table headers changed: {list(header)}")
    out = []
    for row in rows[1:]:
        cells = row.css("td")
        if len(cells) != PERFORMANCE_COLUMNS:
            raise ParseError(f"runner row has {len(cells)} cells, expected {PERFORMANCE_COLUMNS}")
        name_cell = _text(cells[2])
        code = re.search(r"\(([A-Z]\d{3})\)", name_cell)
        positions = [_text(d) for d in cells[9].css("div > div")] or _text(cells[9]).split()
        out.append(
            {
                **key,
                "placing": _text(cells[0]),  # as published: '1', '2 DH' / '2 平頭馬', 'WV', 'PU' …
                "horse_no": _int(_text(cells[1])),
                "horse_name": re.sub(r"\s*\([A-Z]\d{3}\)\s*$", "", name_cell).strip(),
                "horse_code": code[1] if code else None,
                "horse_id": _link_id(cells[2], "horseid"),
                "jockey_name": _text(cells[3]) or None,
                "jockey_code": _link_id(cells[3], "jockeyid"),
                "trainer_name": _text(cells[4]) or None,
                "trainer_code": _link_id(cells[4], "trainerid"),
                "actual_weight_lb": _int(_text(cells[5])),
                "declared_weight_lb": _int(_text(cells[6])),
                "draw": _int(_text(cells[7])),
                "lbw": _text(cells[8]),  # as published: '-', '3/4', '1-1/4', 'SH' / '短馬頭位', '---'
                "running_positions": " ".join(p for p in positions if p) or None,
                "finish_time_seconds": _seconds(_text(cells[10])),
                "win_odds": _float(_text(cells[11])),
            }
        )
    return out


def _dividends(tree: LexborHTMLParser, key: dict[str, Any]) -> list[dict[str, Any]]:
    table = tree.css_first("div.dividend_tab table")
    if table is None:
        return []
    out, pool, line = [], None, 0
    for row in table.css("tr")[2:]:
        cells = [_text(c) for c in row.css("td")]
        if len(cells) == 3:
            pool, line = cells[0], 0
        elif len(cells) != 2 or pool is None:
            continue
        line += 1
        combination, dividend = cells[-2], cells[-1]
        out.append(
            {
                **key,
                "pool_published": pool,
                "line_no": line,
                "winning_combination": combination,
                "dividend_hkd": _float(dividend),
                "dividend_published": dividend,  # a number, or a word such as REFUND for a race that was not run
            }
        )
    return out


def _language(tree: LexborHTMLParser) -> str:
    """zh when the page's visible text has Chinese words (style and script, which hold font names, are left out)."""
    body = tree.body.clone() if tree.body is not None else None
    if body is None:
        return "en"
    body.strip_tags(["script", "style"])
    return "zh" if re.search(r"[\u4e00-\u9fff]{4}", body.text()) else "en"


def parse_results_page(data: bytes) -> dict[str, pa.Table]:
    if len(data) < 2000 or b"</html>" not in data[-4096:].lower():
        raise ParseError(f"truncated page ({len(data)} bytes, no closing </html>)")
    tree = LexborHTMLParser(data)
    language = _language(tree)
    race_date, venue = _meeting(tree)
    race_tab = tree.css_first("div.race_tab table")
    if race_tab is None:  # a race that was not run: no race details, no runners, the dividends as refunds
        race = _race_not_run(tree, race_date, venue, language)
        key = {"race_date": race_date, "racecourse_published": venue, "race_no": race["race_no"]}
        runners: list[dict[str, Any]] = []
    else:
        race = _race(race_tab, race_date, venue, language)
        key = {"race_date": race_date, "racecourse_published": venue, "race_no": race["race_no"]}
        runners = _runners(tree, key)
        if not runners:  # race details but no runner table: only a race that was not run, with its notice
            race["race_notice"] = _notice(tree)
            if race["race_notice"] is None:
                raise ParseError("results page without a runner table and without a notice (changed or truncated page)")
    return {
        "races": arrow_table([race], RACES),
        "runners": arrow_table(runners, RUNNERS),
        "dividends": arrow_table(_dividends(tree, key), DIVIDENDS),
    }


KAGGLE_RACE_COLUMNS = {
    "race_id": "race_id",
    "date": "race_date",
    "venue": "racecourse",
    "race_no": "race_no",
    "config": "course",
    "surface": "surface_code",
    "distance": "distance_m",
    "going": "going",
    "horse_ratings": "rating_band",
    "prize": "prize_hkd",
    "race_class": "race_class",
}
KAGGLE_RUN_COLUMNS = {
    "race_id": "race_id",
    "horse_no": "horse_no",
    "horse_id": "horse_id",
    "result": "finish_position",
    "lengths_behind": "lbw_lengths",
    "declared_weight": "declared_weight_lb",
    "actual_weight": "actual_weight_lb",
    "draw": "draw",
    "finish_time": "finish_time_seconds",
    "win_odds": "win_odds",
    "trainer_id": "trainer_id",
    "jockey_id": "jockey_id",
    "position_sec1": "position_sec1",
    "position_sec2": "position_sec2",
    "position_sec3": "position_sec3",
    "position_sec4": "position_sec4",
    "position_sec5": "position_sec5",
    "position_sec6": "position_sec6",
}


def _csv_columns(data: bytes, columns: Mapping[str, str], what: str) -> pa.Table:
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(io.BytesIO(data))
    except pa.ArrowInvalid as exc:
        raise ParseError(f"unreadable {what} CSV: {exc}") from exc
    missing = sorted(set(columns) - set(table.column_names))
    if missing:
        raise ParseError(f"not the Kaggle hkracing {what} file: missing columns {missing}")
    return table.select(list(columns)).rename_columns(list(columns.values()))


def parse_kaggle_races(data: bytes) -> dict[str, pa.Table]:
    table = _csv_columns(data, KAGGLE_RACE_COLUMNS, "races")
    return {
        "history_races": table.set_column(
            table.schema.get_field_index("race_class"), "race_class", table["race_class"].cast(pa.string())
        )
    }


def parse_kaggle_runs(data: bytes) -> dict[str, pa.Table]:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [n for n in archive.namelist() if n.endswith(".csv")]
            if not members:
                raise ParseError("zip holds no CSV")
            data = archive.read(members[0])
    return {"history_runs": _csv_columns(data, KAGGLE_RUN_COLUMNS, "runs")}


def parse(endpoint: str, data: bytes, params: Mapping[str, Any]) -> dict[str, pa.Table]:
    if endpoint == "results":
        return parse_results_page(data)
    if endpoint == "kaggle_races":
        return parse_kaggle_races(data)
    if endpoint == "kaggle_runs":
        return parse_kaggle_runs(data)
    raise ParseError(f"unknown HKJC endpoint {endpoint!r}")


def classify(filename: str, data: bytes) -> tuple[str, dict[str, Any]]:
    head = data[:4096].lower()
    if b"<html" in head or b"<!doctype" in head:
        return "results", {}
    if data[:2] == b"PK" or head.startswith(b"race_id,horse_no"):
        return "kaggle_runs", {}
    if head.startswith(b"race_id,date,venue"):
        return "kaggle_races", {}
    raise UnknownFormat(f"{filename}: not an HKJC results page nor a Kaggle hkracing races/runs file")


def is_results_page(data: bytes) -> bool:
    """True when the page holds a race's results, or says why a race was not run (its tab, its refund dividends).

    The live scraper reports anything else clearly.
    """
    tree = LexborHTMLParser(data)
    if tree.css_first("div.race_tab table") is not None:
        return True
    return _current_race_no(tree) is not None and tree.css_first("div.dividend_tab table") is not None


def meeting_race_numbers(data: bytes) -> list[int]:
    """The race numbers a meeting's results page links to (its race tabs), so the scraper knows how many to fetch."""
    found = {int(n) for n in re.findall(rb"[?&]RaceNo=(\d{1,2})", data, flags=re.I)}
    return sorted(found)
