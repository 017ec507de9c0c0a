"""Crypto (CoinCap, and Yahoo's daily crypto closes): assets, prices, the daily summary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from pipelines.serve.api.models import KEY_PATTERN, DailySummaryQuery, Items, Page, PricesQuery, Problem
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

router = APIRouter(prefix="/crypto", tags=["crypto"], responses={404: {"model": Problem}})
AssetId = Annotated[str, Path(pattern=KEY_PATTERN, description="CoinCap asset id, e.g. bitcoin")]

ASSET = Resource(
    "CryptoAsset",
    "marts.dim_crypto_asset",
    {
        "asset_id": str,
        "symbol": str,
        "asset_name": str,
        "market_cap_rank": int,
        "supply": float,
        "max_supply": float,
        "market_cap_usd": float,
        "price_usd": float,
        "explorer_url": str,
        "first_snapshot_at": datetime,
        "last_snapshot_at": datetime,
        "has_snapshot": bool,
    },
    keys=("asset_id",),
    description="One crypto asset (dim_crypto_asset).",
)
PRICE = Resource(
    "CryptoPrice",
    "marts.fct_crypto_prices",
    {
        "price_key": str,
        "asset_id": str,
        "price_source": str,
        "price_interval": str,
        "price_at": datetime,
        "price_date": date,
        "open_usd": float,
        "high_usd": float,
        "low_usd": float,
        "price_usd": float,
        "volume_usd": float,
    },
    keys=("price_at", "price_key"),
    description="One price observation (fct_crypto_prices).",
)
DAILY = Resource(
    "CryptoDailySummary",
    "marts.crypto_daily_summary",
    {
        "summary_key": str,
        "asset_id": str,
        "price_source": str,
        "price_date": date,
        "open_usd": float,
        "high_usd": float,
        "low_usd": float,
        "close_usd": float,
        "mean_usd": float,
        "price_points": int,
        "rolling_mean_7d_usd": float,
        "rolling_mean_30d_usd": float,
        "market_cap_usd": float,
        "market_cap_rank": int,
        "change_1d_fraction": float,
    },
    keys=("price_date", "summary_key"),
    description="One asset's day, per price source (crypto_daily_summary).",
)


def _asset(asset_id: str) -> Parent:
    return Parent(ASSET, [("asset_id = ?", [asset_id])], f"asset {asset_id}")


@router.get("/assets", response_model=Items[ASSET.model])  # type: ignore[name-defined]
def list_assets(read: Reader) -> Response:
    found = rows(read.con, ASSET, [], order_by="market_cap_rank nulls last, asset_id")
    return items_response(read, ASSET, found)


@router.get("/assets/{asset_id}", response_model=ASSET.model)
def get_asset(asset_id: AssetId, read: Reader) -> Response:
    return one_response(read, ASSET, [("asset_id = ?", [asset_id])], f"asset {asset_id}")


@router.get("/assets/{asset_id}/prices", response_model=Page[PRICE.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_prices(asset_id: AssetId, q: Annotated[PricesQuery, Query()], read: Reader) -> Response:
    """Prices in [start, end), oldest first."""
    parent = _asset(asset_id)
    filters = parent.filters + date_filters("price_at", q.start, q.end, inclusive_end=False)
    if q.price_source:
        filters.append(("price_source = ?", [q.price_source]))
    if q.price_interval:
        filters.append(("price_interval = ?", [q.price_interval]))
    return page_response(read, PRICE, filters, q, parent)


@router.get("/assets/{asset_id}/daily-summaries", response_model=Page[DAILY.model], responses=CSV_RESPONSE)  # type: ignore[name-defined]
def list_daily_summaries(asset_id: AssetId, q: Annotated[DailySummaryQuery, Query()], read: Reader) -> Response:
    """The asset's days in [date_from, date_to], oldest first."""
    parent = _asset(asset_id)
    filters = parent.filters + date_filters("price_date", q.date_from, q.date_to)
    if q.price_source:
        filters.append(("price_source = ?", [q.price_source]))
    return page_response(read, DAILY, filters, q, parent)
