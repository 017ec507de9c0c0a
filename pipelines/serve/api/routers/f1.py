"""Formula 1: seasons, races, results, standings after a round, laps, pit stops, and the race-winner predictions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import duckdb
from fastapi import APIRouter, HTTPException, Path, Query, Response

from pipelines.serve.api.models import KEY_PATTERN, Items, Page, PageQuery, Problem, ResultsQuery, StandingsQuery
from pipelines.serve.api.resources import Resource, rows
from pipelines.serve.api.responses import (
    CSV_RESPONSE,
    Parent,
    Read,
    Reader,
    items_response,
    not_found,
    one_response,
    page_response,
)

router = APIRouter(prefix="/f1", tags=["f1"], responses={404: {"model": Problem}})
RaceKey = Annotated[str, Path(pattern=KEY_PATTERN, description="race_key of a race")]
Season = Annotated[int, Path(ge=1950, le=2100, description="championship year")]

SEASON = Resource(
    "F1Season",
    """(select season, count(*) as races, count(case when race_results > 0 then 1 end) as races_with_results,
               min(race_date) as first_race_date, max(race_date) as last_race_date
        from marts.dim_f1_race group by season) as seasons""",
    {"season": int, "races": int, "races_with_results": int, "first_race_date": date, "last_race_date": date},
    keys=("season",),
    description="One championship season.",
)
RACE = Resource(
    "F1Race",
    "marts.dim_f1_race",
    {
        "race_key": str,
        "season": int,
        "round_number": int,
        "race_name": str,
        "circuit_id": str,
        "race_date": date,
        "race_time_utc": str,
        "race_results": int,
        "has_sprint": bool,
        "wikipedia_url": str,
        "data_source": str,
    },
    keys=("season", "round_number", "race_key"),
    description="One Grand Prix (dim_f1_race).",
)
RESULT = Resource(
    "F1Result",
    "marts.fct_f1_results",
    {
        "result_key": str,
        "race_key": str,
        "season": int,
        "round_number": int,
        "session_type": str,
        "driver_id": str,
        "constructor_id": str,
        "car_number": str,
        "grid": int,
        "finish_position": int,
        "position_text": str,
        "position_order": int,
        "points": float,
        "laps": int,
        "race_time_ms": int,
        "fastest_lap": int,
        "fastest_lap_time_ms": int,
        "status_text": str,
        "data_source": str,
    },
    keys=("result_key",),
    description="One driver's classification in a race or sprint (fct_f1_results).",
)
LAP = Resource(
    "F1Lap",
    "marts.fct_f1_laps",
    {
        "lap_key": str,
        "race_key": str,
        "season": int,
        "round_number": int,
        "driver_id": str,
        "lap_number": int,
        "lap_time_ms": int,
        "position_at_lap_end": int,
        "sector_1_ms": int,
        "sector_2_ms": int,
        "sector_3_ms": int,
        "is_pit_out_lap": bool,
        "data_source": str,
    },
    keys=("lap_number", "lap_key"),
    description="One driver's lap (fct_f1_laps).",
)
PIT_STOP = Resource(
    "F1PitStop",
    "marts.fct_f1_pit_stops",
    {
        "pit_stop_key": str,
        "race_key": str,
        "season": int,
        "round_number": int,
        "driver_id": str,
        "stop_number": int,
        "lap_number": int,
        "local_time_of_day": str,
        "duration_ms": int,
        "data_source": str,
    },
    keys=("pit_stop_key",),
    description="One pit stop (fct_f1_pit_stops).",
)
DRIVER_STANDING = Resource(
    "F1DriverStanding",
    "marts.fct_f1_driver_standings",
    {
        "season": int,
        "round_number": int,
        "driver_id": str,
        "points": float,
        "gross_points": float,
        "position": int,
        "position_text": str,
        "wins": int,
    },
    keys=("season", "round_number", "driver_id"),
    description="A driver's championship standing after a round (fct_f1_driver_standings).",
)
CONSTRUCTOR_STANDING = Resource(
    "F1ConstructorStanding",
    "marts.fct_f1_constructor_standings",
    {"season": int, "round_number": int, "constructor_id": str, "points": float, "position": int, "wins": int},
    keys=("season", "round_number", "constructor_id"),
    description="A constructor's championship standing after a round (fct_f1_constructor_standings).",
)
PREDICTION = Resource(
    "F1RacePrediction",
    "marts.f1_race_predictions",
    {
        "race_key": str,
        "season": int,
        "round_number": int,
        "race_date": date,
        "driver_id": str,
        "win_probability": float,
        "predicted_rank": int,
        "model_version": str,
        "trained_through": date,
    },
    keys=("race_key", "driver_id"),
    description="The race-winner model's probability that a driver wins a race (f1_race_predictions).",
)


def _race_filter(race_key: str) -> list[tuple[str, list[object]]]:
    return [("race_key = ?", [race_key])]


def _race(race_key: str) -> Parent:
    return Parent(RACE, _race_filter(race_key), f"race {race_key}")


@router.get("/seasons", response_model=Items[SEASON.model])  # type: ignore[name-defined]
def list_seasons(read: Reader) -> Response:
    return items_response(read, SEASON, rows(read.con, SEASON, []))


@router.get("/seasons/{season}/races", response_model=Items[RACE.model])  # type: ignore[name-defined]
def list_season_races(season: Season, read: Reader) -> Response:
    found = rows(read.con, RACE, [("season = ?", [season])])
    if found.num_rows == 0:
        raise not_found(f"season {season}")
    return items_response(read, RACE, found)


def _standings(read: Read, res: Resource, season: int, after_round: int | None, who: str) -> Response:
    chosen = f"coalesce(?, (select max(round_number) from {res.table} where season = ?))"
    filters = [("season = ?", [season]), (f"round_number = {chosen}", [after_round, season])]
    found = rows(read.con, res, filters, order_by="position")
    if found.num_rows == 0:  # one more query, only to say what is missing
        if after_round is None:
            raise not_found(f"{who} standings of season {season}")
        raise not_found(f"round {after_round} of season {season}")
    return items_response(read, res, found)


@router.get("/seasons/{season}/driver-standings", response_model=Items[DRIVER_STANDING.model])  # type: ignore[name-defined]
def list_driver_standings(season: Season, q: Annotated[StandingsQuery, Query()], read: Reader) -> Response:
    """The drivers' championship after a round (default: the season's last round with standings)."""
    return _standings(read, DRIVER_STANDING, season, q.after_round, "driver")


@router.get("/seasons/{season}/constructor-standings", response_model=Items[CONSTRUCTOR_STANDING.model])  # type: ignore[name-defined]
def list_constructor_standings(season: Season, q: Annotated[StandingsQuery, Query()], read: Reader) -> Response:
    """The constructors' championship after a round (default: the season's last round with standings)."""
    return _standings(read, CONSTRUCTOR_STANDING, season, q.after_round, "constructor")


@router.get("/races/{race_key}", response_model=RACE.model)
def get_race(race_key: RaceKey, read: Reader) -> Response:
    return one_response(read, RACE, _race_filter(race_key), f"race {race_key}")


@router.get("/races/{race_key}/results", response_model=Items[RESULT.model])  # type: ignore[name-defined]
def list_results(race_key: RaceKey, q: Annotated[ResultsQuery, Query()], read: Reader) -> Response:
    """The classification of the race (or its sprint), in finishing order."""
    filters = [*_race_filter(race_key), ("session_type = ?", [q.session_type])]
    found = rows(read.con, RESULT, filters, order_by="position_order, result_key")
    return items_response(read, RESULT, found, _race(race_key))


@router.get("/races/{race_key}/laps", response_model=Page[LAP.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_laps(race_key: RaceKey, q: Annotated[PageQuery, Query()], read: Reader) -> Response:
    """Every driver's lap times, by lap number (an empty list when the sources have no laps for the race)."""
    return page_response(read, LAP, _race_filter(race_key), q, _race(race_key))


@router.get("/races/{race_key}/pit-stops", response_model=Items[PIT_STOP.model])  # type: ignore[name-defined]
def list_pit_stops(race_key: RaceKey, read: Reader) -> Response:
    found = rows(read.con, PIT_STOP, _race_filter(race_key), order_by="lap_number, driver_id, stop_number")
    return items_response(read, PIT_STOP, found, _race(race_key))


@router.get("/races/{race_key}/predictions", response_model=Items[PREDICTION.model])  # type: ignore[name-defined]
def list_predictions(race_key: RaceKey, read: Reader) -> Response:
    """The race-winner model's win probability for each driver, most likely first."""
    try:
        found = rows(read.con, PREDICTION, _race_filter(race_key), order_by="predicted_rank, driver_id")
    except duckdb.CatalogException:  # the mart is not in this warehouse
        raise HTTPException(
            404, "no predictions in this warehouse: the f1_race_predictions mart is not built yet"
        ) from None
    return items_response(read, PREDICTION, found, _race(race_key))
