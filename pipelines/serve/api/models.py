"""Pydantic models for the API's envelopes and query filters: a bad filter is a 422 whose `loc` names it."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

MAX_LIMIT = 1000
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"
TICKER_PATTERN = r"^[A-Za-z0-9.^=-]{1,20}$"
KEY_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"  # ids and hashed keys as the marts publish them

T = TypeVar("T")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def _iso(pattern: re.Pattern[str], what: str) -> BeforeValidator:
    """Only ISO 8601 text: pydantic alone would also read a number as seconds since 1970."""

    def check(value: object) -> object:
        if isinstance(value, str) and not pattern.match(value):
            raise ValueError(f"must be an ISO 8601 {what}, not {value!r}")
        return value

    return BeforeValidator(check)


IsoDate = Annotated[date, _iso(ISO_DATE, "date (YYYY-MM-DD)")]
IsoDateTime = Annotated[datetime, _iso(ISO_DATETIME, "date-time (YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])")]


class Page(BaseModel, Generic[T]):
    """A page of a large collection, in key order. Pass `next_cursor` back as `cursor` for the next page; null on
    the last page."""

    items: list[T]
    next_cursor: str | None = None


class Items(BaseModel, Generic[T]):
    """A small collection, whole."""

    items: list[T]


class Meta(BaseModel):
    """What the API is serving: the last successful build, and whether it is the last good copy."""

    last_build_at: datetime | None
    serving_last_good_copy: bool
    mode: str


# ---- filters --------------------------------------------------------------------------------------------------


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageQuery(Filters):
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description="rows per page")
    cursor: str | None = Field(None, max_length=512, pattern=CURSOR_PATTERN, description="next_cursor of a page")
    format: Literal["json", "csv"] | None = Field(None, description="csv, or send Accept: text/csv")


class DateRange(Filters):
    date_from: IsoDate | None = Field(None, description="first date, inclusive")
    date_to: IsoDate | None = Field(None, description="last date, inclusive; not before date_from")

    @field_validator("date_to")
    @classmethod
    def _ordered(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("date_from")
        if value is not None and start is not None and value < start:
            raise ValueError(f"date_to {value} is before date_from {start}")
        return value


class DateRangeQuery(PageQuery, DateRange):
    pass


class TimeRangeQuery(PageQuery):
    start: IsoDateTime | None = Field(None, description="first instant, inclusive (ISO 8601; UTC when no offset)")
    end: IsoDateTime | None = Field(None, description="end instant, exclusive; after start")

    @field_validator("start", "end")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        from datetime import UTC

        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

    @field_validator("end")
    @classmethod
    def _ordered(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("start")
        if value is not None and start is not None and value <= start:
            raise ValueError(f"end {value.isoformat()} is not after start {start.isoformat()}")
        return value


class RacesQuery(DateRangeQuery):
    racecourse: Literal["ST", "HV"] | None = Field(None, description="ST (Sha Tin) or HV (Happy Valley)")


class RidersQuery(PageQuery):
    min_rides: int = Field(0, ge=0, description="only those with at least this many rides")


class HorsesQuery(PageQuery):
    name: str | None = Field(None, min_length=1, max_length=60, description="part of the horse's name")


class PricesQuery(TimeRangeQuery):
    price_source: Literal["coincap", "yahoo"] | None = None
    price_interval: Literal["h1", "1d", "snapshot"] | None = None


class DailySummaryQuery(DateRangeQuery):
    price_source: Literal["coincap", "yahoo"] | None = None


class ResultsQuery(Filters):
    session_type: Literal["race", "sprint"] = "race"


class StandingsQuery(Filters):
    after_round: int | None = Field(None, ge=1, le=30, description="round number; default the season's last")


class ActiveUsersQuery(DateRange):
    pass


class Problem(BaseModel):
    """An error: what went wrong, in one line."""

    detail: str
