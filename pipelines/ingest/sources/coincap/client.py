"""Live CoinCap v3 fetch: raw bodies for assets (paginated), asset history (d1, h1), rates, exchanges, markets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

from dlt.sources.helpers.rest_client.paginators import OffsetPaginator

from pipelines.ingest.cursor import Window
from pipelines.ingest.http import paginate_bodies
from pipelines.ingest.landing import LandedFile, RawFile
from pipelines.ingest.parsing import load_json
from pipelines.ingest.sources.coincap import settings
from pipelines.ingest.sources.coincap.settings import CoinCapSettings
from pipelines.ingest.spec import FetchContext


def _auth_headers(config: CoinCapSettings) -> dict[str, str]:
    return {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}


def window_of(entry: LandedFile) -> Window | None:
    """A landed history body covers one asset and interval from `start` to `end` (recorded files without the two
    bounds are left out of the cursor)."""
    p = entry.params
    if entry.endpoint != "history" or not {"asset_id", "interval", "start", "end"} <= set(p):
        return None
    return Window((p["asset_id"], p["interval"]), datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"]))


def _offset_pages(ctx: FetchContext[CoinCapSettings], path: str, endpoint: str) -> Iterator[RawFile]:
    paginator = OffsetPaginator(limit=settings.PAGE_LIMIT, total_path=None, stop_after_empty_page=True)
    headers = _auth_headers(ctx.settings)
    bodies = paginate_bodies(ctx.client, ctx.settings.api_base, path, paginator, headers=headers, data_selector="data")
    for n, (url, body) in enumerate(bodies):
        yield RawFile(endpoint=endpoint, name=f"{endpoint}_page{n:04d}.json", data=body, origin=url)


def _history_window(ctx: FetchContext[CoinCapSettings], asset_id: str, interval: str) -> Window:
    """The window to ask for: the dates given, or else from the latest end already landed for this asset and interval
    (the cursor) to now."""
    end = datetime.combine(ctx.end, time.min, UTC) if ctx.end else datetime.now(UTC)
    default_start = end - timedelta(days=365 if interval == "d1" else 7)
    start = datetime.combine(ctx.start, time.min, UTC) if ctx.start else default_start
    last = ctx.cursor.latest_end((asset_id, interval))
    if last is not None and not ctx.start:
        start = max(start, last)
    return Window((asset_id, interval), start, end)


def fetch(ctx: FetchContext[CoinCapSettings]) -> Iterator[RawFile]:
    config = ctx.settings
    headers = _auth_headers(config)
    top_ids: list[str] = []
    for raw in _offset_pages(ctx, "assets", "assets"):
        yield raw
        top_ids += [a["id"] for a in load_json(raw.data).get("data", [])]
    for interval in settings.HISTORY_INTERVALS:
        for asset_id in top_ids[: settings.HISTORY_TOP_N]:
            window = _history_window(ctx, asset_id, interval)
            start, end = window.start, window.end
            if start >= end or ctx.cursor.skip(window):  # a backfill run twice asks for nothing the second time
                continue
            url = f"{config.api_base}/assets/{asset_id}/history"
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
        response = ctx.client.get(f"{config.api_base}/{path}", headers=headers)
        yield RawFile(endpoint=endpoint, name=f"{endpoint}.json", data=response.content, origin=response.url)
    yield from _offset_pages(ctx, "markets", "markets")
