"""Racing (HKJC): meetings, races, runners, horses and their form, jockey and trainer strike rates."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from pipelines.serve.api.models import (
    KEY_PATTERN,
    HorsesQuery,
    Items,
    Page,
    PageQuery,
    Problem,
    RacesQuery,
    RidersQuery,
)
from pipelines.serve.api.resources import Resource, rows
from pipelines.serve.api.responses import (
    CSV_RESPONSE,
    Parent,
    Reader,
    date_filters,
    items_response,
    one_response,
    page_response,
)

router = APIRouter(prefix="/racing", tags=["racing"], responses={404: {"model": Problem}})
RaceKey = Annotated[str, Path(pattern=KEY_PATTERN, description="race_key of a race")]
HorseKey = Annotated[str, Path(pattern=KEY_PATTERN, description="horse_key (the HKJC brand code)")]
RiderKey = Annotated[str, Path(pattern=KEY_PATTERN)]

MEETING = Resource(
    "RacingMeeting",
    """(select race_date, racecourse, count(*) as races, sum(prize_hkd) as total_prize_hkd,
               count(case when is_abandoned then 1 end) as abandoned_races
        from marts.fct_racing_races group by race_date, racecourse) as meetings""",
    {"race_date": date, "racecourse": str, "races": int, "total_prize_hkd": int, "abandoned_races": int},
    keys=("race_date", "racecourse"),
    description="One race meeting: a day's racing at one racecourse.",
)
RACE = Resource(
    "RacingRace",
    "marts.fct_racing_races",
    {
        "race_key": str,
        "race_date": date,
        "racecourse": str,
        "race_no": int,
        "race_class": str,
        "distance_m": int,
        "rating_band": str,
        "going": str,
        "surface": str,
        "course_config": str,
        "race_name": str,
        "prize_hkd": int,
        "race_time_seconds": float,
        "race_status": str,
        "is_abandoned": bool,
        "starters": int,
        "finishers": int,
        "withdrawn_runners": int,
        "data_source": str,
    },
    keys=("race_date", "racecourse", "race_no", "race_key"),
    description="One race (fct_racing_races).",
)
RUNNER = Resource(
    "RacingRunner",
    "marts.fct_racing_runs",
    {
        "run_key": str,
        "race_key": str,
        "race_date": date,
        "racecourse": str,
        "race_no": int,
        "horse_no": int,
        "horse_key": str,
        "horse_name": str,
        "jockey_key": str,
        "jockey_name": str,
        "trainer_key": str,
        "trainer_name": str,
        "placing": str,
        "finish_position": int,
        "is_dead_heat": bool,
        "is_withdrawn": bool,
        "draw": int,
        "actual_weight_lb": int,
        "declared_weight_lb": int,
        "lbw": str,
        "finish_time_seconds": float,
        "win_odds": float,
        "implied_win_probability": float,
        "is_favourite": bool,
    },
    keys=("run_key",),
    description="One runner in one race (fct_racing_runs).",
)
HORSE = Resource(
    "RacingHorse",
    "marts.dim_racing_horse",
    {
        "horse_key": str,
        "horse_code": str,
        "horse_name": str,
        "current_trainer_key": str,
        "career_runs": int,
        "career_wins": int,
        "first_run_date": date,
        "last_run_date": date,
        "data_source": str,
        "display_name": str,
        "is_named": bool,
    },
    keys=("horse_key",),
    description="One horse (dim_racing_horse).",
)
FORM = Resource(
    "RacingHorseForm",
    "marts.racing_horse_form",
    {
        "horse_key": str,
        "last_run_date": date,
        "recent_runs": int,
        "last_six_placings": str,
        **{f"placing_{n}_runs_ago": str for n in range(1, 7)},
    },
    keys=("horse_key",),
    description="A horse's last six placings, newest first (racing_horse_form).",
)
RATE_COLUMNS = {"rides": int, "wins": int, "places": int, "win_rate": float, "place_rate": float}
JOCKEY = Resource(
    "RacingJockeyStrikeRate",
    "marts.racing_jockey_strike_rates",
    {"jockey_key": str, "jockey_name": str, "display_name": str, "is_named": bool, **RATE_COLUMNS}
    | {"first_ride_date": date, "last_ride_date": date},
    keys=("jockey_key",),
    description="A jockey's rides, wins and places (racing_jockey_strike_rates).",
)
TRAINER = Resource(
    "RacingTrainerStrikeRate",
    "marts.racing_trainer_strike_rates",
    {"trainer_key": str, "trainer_name": str, "display_name": str, "is_named": bool, **RATE_COLUMNS}
    | {"first_ride_date": date, "last_ride_date": date},
    keys=("trainer_key",),
    description="A trainer's runners, wins and places (racing_trainer_strike_rates).",
)


@router.get("/meetings", response_model=Page[MEETING.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_meetings(q: Annotated[RacesQuery, Query()], read: Reader) -> Response:
    """Race meetings, oldest first."""
    filters = date_filters("race_date", q.date_from, q.date_to)
    if q.racecourse:
        filters.append(("racecourse = ?", [q.racecourse]))
    return page_response(read, MEETING, filters, q)


@router.get("/races", response_model=Page[RACE.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_races(q: Annotated[RacesQuery, Query()], read: Reader) -> Response:
    """Races, oldest first; filter by racecourse and date range (a meeting: date_from = date_to)."""
    filters = date_filters("race_date", q.date_from, q.date_to)
    if q.racecourse:
        filters.append(("racecourse = ?", [q.racecourse]))
    return page_response(read, RACE, filters, q)


@router.get("/races/{race_key}", response_model=RACE.model)
def get_race(race_key: RaceKey, read: Reader) -> Response:
    return one_response(read, RACE, [("race_key = ?", [race_key])], f"race {race_key}")


@router.get("/races/{race_key}/runners", response_model=Items[RUNNER.model])  # type: ignore[name-defined]
def list_runners(race_key: RaceKey, read: Reader) -> Response:
    """The runners of a race, by horse number."""
    found = rows(read.con, RUNNER, [("race_key = ?", [race_key])], order_by="horse_no, run_key")
    return items_response(read, RUNNER, found, Parent(RACE, [("race_key = ?", [race_key])], f"race {race_key}"))


@router.get("/horses", response_model=Page[HORSE.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_horses(q: Annotated[HorsesQuery, Query()], read: Reader) -> Response:
    filters = [("horse_name ilike ?", [f"%{q.name}%"])] if q.name else []
    return page_response(read, HORSE, filters, q)


@router.get("/horses/{horse_key}", response_model=HORSE.model)
def get_horse(horse_key: HorseKey, read: Reader) -> Response:
    return one_response(read, HORSE, [("horse_key = ?", [horse_key])], f"horse {horse_key}")


@router.get("/horses/{horse_key}/form", response_model=FORM.model)
def get_horse_form(horse_key: HorseKey, read: Reader) -> Response:
    """The horse's last six placings (newest first)."""
    return one_response(read, FORM, [("horse_key = ?", [horse_key])], f"form of horse {horse_key}")


@router.get("/horses/{horse_key}/runs", response_model=Page[RUNNER.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_horse_runs(horse_key: HorseKey, q: Annotated[PageQuery, Query()], read: Reader) -> Response:
    """Every run of the horse (by run key; sort by race_date client-side)."""
    parent = Parent(HORSE, [("horse_key = ?", [horse_key])], f"horse {horse_key}")
    return page_response(read, RUNNER, parent.filters, q, parent)


@router.get("/jockeys", response_model=Page[JOCKEY.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_jockeys(q: Annotated[RidersQuery, Query()], read: Reader) -> Response:
    return page_response(read, JOCKEY, [("rides >= ?", [q.min_rides])], q)


@router.get("/jockeys/{jockey_key}", response_model=JOCKEY.model)
def get_jockey(jockey_key: RiderKey, read: Reader) -> Response:
    return one_response(read, JOCKEY, [("jockey_key = ?", [jockey_key])], f"jockey {jockey_key}")


@router.get("/trainers", response_model=Page[TRAINER.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_trainers(q: Annotated[RidersQuery, Query()], read: Reader) -> Response:
    return page_response(read, TRAINER, [("rides >= ?", [q.min_rides])], q)


@router.get("/trainers/{trainer_key}", response_model=TRAINER.model)
def get_trainer(trainer_key: RiderKey, read: Reader) -> Response:
    return one_response(read, TRAINER, [("trainer_key = ?", [trainer_key])], f"trainer {trainer_key}")
