"""Product events: active users, the funnel, channels."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from pipelines.serve.api.models import ActiveUsersQuery, Items
from pipelines.serve.api.resources import Resource, rows
from pipelines.serve.api.responses import Reader, date_filters, items_response

router = APIRouter(prefix="/product", tags=["product"])

ACTIVE_USERS = Resource(
    "ProductActiveUsers",
    "marts.product_active_users",
    {"activity_date": date, "daily_active_users": int, "weekly_active_users": int, "monthly_active_users": int},
    keys=("activity_date",),
    description="Daily, weekly and monthly active users on a day (product_active_users).",
)
FUNNEL_STEP = Resource(
    "ProductFunnelStep",
    "marts.product_funnel_conversion",
    {
        "step_order": int,
        "event_type": str,
        "step_name": str,
        "users_reached": int,
        "conversion_from_first": float,
        "conversion_from_previous": float,
    },
    keys=("step_order",),
    description="One step of the purchase funnel (product_funnel_conversion).",
)
CHANNEL = Resource(
    "ProductChannel",
    "marts.product_channel_performance",
    {
        "channel": str,
        "sessions": int,
        "users": int,
        "first_touch_signups": int,
        "purchasing_sessions": int,
        "revenue_usd": float,
        "session_conversion_rate": float,
        "revenue_per_session_usd": float,
    },
    keys=("channel",),
    description="One acquisition channel's sessions, conversion and revenue (product_channel_performance).",
)


@router.get("/active-users", response_model=Items[ACTIVE_USERS.model])  # type: ignore[name-defined]
def list_active_users(q: Annotated[ActiveUsersQuery, Query()], read: Reader) -> Response:
    found = rows(read.con, ACTIVE_USERS, date_filters("activity_date", q.date_from, q.date_to))
    return items_response(read, ACTIVE_USERS, found)


@router.get("/funnel-steps", response_model=Items[FUNNEL_STEP.model])  # type: ignore[name-defined]
def list_funnel_steps(read: Reader) -> Response:
    return items_response(read, FUNNEL_STEP, rows(read.con, FUNNEL_STEP, []))


@router.get("/channels", response_model=Items[CHANNEL.model])  # type: ignore[name-defined]
def list_channels(read: Reader) -> Response:
    found = rows(read.con, CHANNEL, [], order_by="revenue_usd desc, channel")
    return items_response(read, CHANNEL, found)
