"""Live F1 fetch: Jolpica season schedules and, for every round newer than what is landed, its results, sprint,
qualifying, laps and pit stops (paginated with limit/offset against MRData.total); then OpenF1 by session_key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dlt.sources.helpers.rest_client.paginators import OffsetPaginator

from pipelines.ingest.http import paginate_bodies
from pipelines.ingest.landing import RawFile
from pipelines.ingest.parsing import load_json
from pipelines.ingest.sources.f1 import settings
from pipelines.ingest.spec import FetchContext


def _pages(ctx: FetchContext, path: str, name: str, params: dict[str, str]) -> Iterator[RawFile]:
    paginator = OffsetPaginator(limit=settings.PAGE_LIMIT, total_path="MRData.total")
    for n, (url, body) in enumerate(paginate_bodies(ctx.client, settings.JOLPICA_BASE, path, paginator)):
        yield RawFile(endpoint="jolpica", name=f"{name}_p{n:03d}.json", data=body, origin=url, params=params)


def loaded_rounds(ctx: FetchContext) -> set[tuple[int, int]]:
    """The incremental cursor: (season, round) pairs whose results are already landed."""
    return {
        (int(e.params["season"]), int(e.params["round"]))
        for e in ctx.landed
        if e.params.get("kind") == "results" and "round" in e.params
    }


def fetch(ctx: FetchContext) -> Iterator[RawFile]:
    today = date.today()
    first = (ctx.start or date(today.year, 1, 1)).year
    last = (ctx.end or today).year
    done = loaded_rounds(ctx)
    for season in range(first, last + 1):
        schedule = list(_pages(ctx, f"{season}.json", f"schedule_{season}", {"season": str(season), "kind": "races"}))
        yield from schedule
        races = [r for page in schedule for r in load_json(page.data)["MRData"]["RaceTable"]["Races"]]
        for race in races:
            rnd, race_day = int(race["round"]), date.fromisoformat(race["date"])
            if race_day >= today or (season, rnd) in done:
                continue
            for kind in settings.ROUND_ENDPOINTS:
                params = {"season": str(season), "round": str(rnd), "kind": kind}
                yield from _pages(ctx, f"{season}/{rnd}/{kind}.json", f"{kind}_{season}_{rnd}", params)
    sessions = ctx.client.get(f"{settings.OPENF1_BASE}/sessions", params={"year": last, "session_type": "Race"})
    yield RawFile("openf1", f"sessions_{last}.json", sessions.content, sessions.url, {"kind": "sessions"})
    landed_sessions = {e.params.get("session_key") for e in ctx.landed if e.endpoint == "openf1"}
    for session in load_json(sessions.content):
        key = str(session["session_key"])
        if key in landed_sessions or date.fromisoformat(session["date_start"][:10]) >= today:
            continue
        for kind in settings.OPENF1_ENDPOINTS:
            response = ctx.client.get(f"{settings.OPENF1_BASE}/{kind}", params={"session_key": key})
            yield RawFile("openf1", f"{kind}_session{key}.json", response.content, response.url,
                          {"kind": kind, "session_key": key})  # fmt: skip
