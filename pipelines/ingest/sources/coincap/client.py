"""Live CoinCap v3 fetch: raw bodies for assets (paginated), asset history (d1, h1), rates, exchanges, markets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from dlt.sources.helpers.rest_client.paginators import OffsetPaginator

from pipelines.ingest.http import paginate_bodies
from pipelines.ingest.landing import RawFile
from pipelines.ingest.parsing import load_json
from pipelines.ingest.sources.coincap import settings
from pipelines.ingest.spec import FetchContext


def api_key() -> str | None:
    """The key comes from .dlt/secrets.toml ([sources.coincap] api_key) or COINCAP_API_KEY; never printed."""
    key = os.environ.get("COINCAP_API_KEY") or os.environ.get("SOURCES__COINCAP__API_KEY")
    if key:
        return key
    try:
        import dlt

        return dlt.secrets.get("sources.coincap.api_key")
    except Exception:
        return None


def _auth_headers() -> dict[str, str]:
    key = api_key()
    return {"Authorization": f"Bearer {key}"} if key else {}


def _offset_pages(ctx: FetchContext, path: str, endpoint: str) -> Iterator[RawFile]:
    paginator = OffsetPaginator(limit=settings.PAGE_LIMIT, total_path=None, stop_after_empty_page=True)
    for n, (url, body) in enumerate(
        paginate_bodies(ctx.client, settings.API_BASE, path, paginator, headers=_auth_headers(), data_selector="data")
    ):
        yield RawFile(endpoint=endpoint, name=f"{endpoint}_page{n:04d}.json", data=body, origin=url)


def _history_window(ctx: FetchContext, asset_id: str, interval: str) -> tuple[datetime, datetime]:
    """Incremental cursor: start after the latest window already landed for this asset and interval."""
    end = datetime.combine(ctx.end, time.min, UTC) if ctx.end else datetime.now(UTC)
    default_start = end - timedelta(days=365 if interval == "d1" else 7)
    start = datetime.combine(ctx.start, time.min, UTC) if ctx.start else default_start
    done = [
        datetime.fromisoformat(e.params["end"])
        for e in ctx.landed
        if e.endpoint == "history" and e.params.get("asset_id") == asset_id and e.params.get("interval") == interval
    ]
    if done and not ctx.start:
        start = max(start, max(done))
    return start, end


def fetch(ctx: FetchContext) -> Iterator[RawFile]:
    headers = _auth_headers()
    top_ids: list[str] = []
    for raw in _offset_pages(ctx, "assets", "assets"):
        yield raw
        top_ids += [a["id"] for a in load_json(raw.data).get("data", [])]
    for interval in settings.HISTORY_INTERVALS:
        for asset_id in top_ids[: settings.HISTORY_TOP_N]:
            start, end = _history_window(ctx, asset_id, interval)
            if start >= end:
                continue
            url = f"{settings.API_BASE}/assets/{asset_id}/history"
            params = {
                "interval": interval,
                "start": int(start.timestamp() * 1000),
                "end": int(end.timestamp() * 1000),
            }
            response = ctx.client.get(url, params=params, headers=headers)
            yield RawFile(
                endpoint="history",
                name=f"history_{asset_id}_{interval}.json",
                data=response.content,
                origin=response.url,
                params={
                    "asset_id": asset_id,
                    "interval": interval,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
            )
    for path, endpoint in (("rates", "rates"), ("exchanges", "exchanges")):
        response = ctx.client.get(f"{settings.API_BASE}/{path}", headers=headers)
        yield RawFile(endpoint=endpoint, name=f"{endpoint}.json", data=response.content, origin=response.url)
    yield from _offset_pages(ctx, "markets", "markets")
