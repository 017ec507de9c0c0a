"""F1 standings: the warehouse built from the real Ergast dump gives the published tables after every round.

The reference is Ergast's own driver_standings (tests/fixtures/f1_standings/README.md says where the rows come from):
every published (season, round, driver) row of six seasons, one or more from each era, must match the mart in
points, position (and D for an excluded driver) and wins, and no driver may be listed that the published table
does not list.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.sources.f1 import settings as f1_settings
from tests.e2e import run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "f1_standings" / "driver_standings.csv"
DUMP = f1_settings.SAMPLE_DIR / "ergast_csv"
SEASONS = (1951, 1956, 1988, 1997, 2008, 2021)

Key = tuple[int, int, str]
Row = tuple[float, int, str, int]


def _published() -> dict[Key, Row]:
    with (DUMP / "races.csv").open(newline="") as f:
        races = {r["raceId"]: (int(r["year"]), int(r["round"])) for r in csv.DictReader(f)}
    with (DUMP / "drivers.csv").open(newline="") as f:
        drivers = {r["driverId"]: r["driverRef"] for r in csv.DictReader(f)}
    rows: dict[Key, Row] = {}
    with FIXTURE.open(newline="") as f:
        for r in csv.DictReader(f):
            season, round_number = races[r["raceId"]]
            key = (season, round_number, drivers[r["driverId"]])
            rows[key] = (float(r["points"]), int(r["position"]), r["positionText"], int(r["wins"]))
    return rows


PUBLISHED = _published()


def _complete_rounds(published: dict[Key, Row]) -> set[tuple[int, int]]:
    """Rounds whose published positions run 1..n: every row of the table was copied."""
    positions: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (season, round_number, _), (_, position, _, _) in published.items():
        positions[(season, round_number)].append(position)
    return {k for k, v in positions.items() if sorted(v) == list(range(1, len(v) + 1))}


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> dict[Key, Row]:
    """Build the F1 warehouse from the shipped Ergast dump and Jolpica responses, as a user would."""
    root = tmp_path_factory.mktemp("f1_standings")
    run_cli(root, "run", "f1", "--full-refresh")
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        result = con.execute(
            "select season, round_number, driver_id, points, position, position_text, wins"
            " from marts.fct_f1_driver_standings where season in (" + ", ".join(map(str, SEASONS)) + ")"
        ).fetchall()
    finally:
        con.close()
    return {(s, r, d): (float(p), int(pos), str(text), int(w)) for s, r, d, p, pos, text, w in result}


def test_fixture_covers_every_era() -> None:
    seasons = {season for season, _, _ in PUBLISHED}
    assert seasons == set(SEASONS)
    assert {season // 10 * 10 for season in seasons} >= {1950, 1980, 1990, 2000, 2020}
    assert len(_complete_rounds(PUBLISHED)) >= 80


@pytest.mark.parametrize("season", SEASONS)
def test_every_published_row_matches(computed: dict[Key, Row], season: int) -> None:
    differences = []
    for key, (points, position, position_text, wins) in sorted(PUBLISHED.items()):
        if key[0] != season:
            continue
        got = computed.get(key)
        if got is None:
            differences.append(f"{key}: published {position_text} ({points} pts) but not in the mart")
            continue
        if abs(got[0] - points) > 1e-6 or got[1] != position or got[2] != position_text or got[3] != wins:
            differences.append(
                f"{key}: published pos {position_text} pts {points} wins {wins};"
                f" mart pos {got[2]} pts {got[0]} wins {got[3]}"
            )
    assert not differences, f"{len(differences)} rows differ:\n" + "\n".join(differences[:40])


@pytest.mark.parametrize("season", SEASONS)
def test_no_driver_listed_that_the_published_table_leaves_out(computed: dict[Key, Row], season: int) -> None:
    complete = {k for k in _complete_rounds(PUBLISHED) if k[0] == season}
    assert complete
    extra = sorted(key for key in computed if (key[0], key[1]) in complete and key not in PUBLISHED)
    assert not extra, f"listed in the mart but not in the published tables: {extra[:20]}"


def test_excluded_driver_is_last_with_points_and_wins(computed: dict[Key, Row]) -> None:
    final = {d: row for (s, r, d), row in computed.items() if s == 1997 and r == 17}
    assert final["michael_schumacher"] == (78.0, len(final), "D", 5)
    assert final["villeneuve"][1] == 1
    # before the decision the tables showed him as usual: leading after round 16
    assert computed[(1997, 16, "michael_schumacher")][1:3] == (1, "1")


def test_shared_drives_split_points_and_count_as_results(computed: dict[Key, Row]) -> None:
    # Fangio 1956: 34.5 points scored, the best 5 results (per car, the Monaco 1.5 dropping) made 30
    assert computed[(1956, 8, "fangio")][:2] == (30.0, 1)
    assert computed[(1956, 8, "moss")][:2] == (27.0, 2)
