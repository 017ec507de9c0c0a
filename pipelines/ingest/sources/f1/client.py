"""Live F1 fetch: Jolpica season schedules and, for every round not yet landed, its results, sprint, qualifying, laps
and pit stops (paginated with limit/offset against MRData.total); then OpenF1, by session_key, for every session not
yet landed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dlt.sources.helpers.rest_client.paginators import OffsetPaginator

from pipelines.ingest.cursor import Window
from pipelines.ingest.http import paginate_bodies
from pipelines.ingest.landing import LandedFile, RawFile
from pipelines.ingest.parsing import load_json
from pipelines.ingest.sources.f1 import settings
from pipelines.ingest.sources.f1.settings import F1Settings
from pipelines.ingest.spec import FetchContext


def round_window(season: int, rnd: int) -> Window:
    return Window(("round", season, rnd))


def session_window(session_key: str) -> Window:
    return Window(("openf1_session", str(session_key)))


def window_of(entry: LandedFile) -> Window | None:
    """A round is landed once its results are; an OpenF1 session once any of its bodies is."""
    p = entry.params
    if p.get("kind") == "results" and "round" in p and "season" in p:
        return round_window(int(p["season"]), int(p["round"]))
    if entry.endpoint == "openf1" and p.get("session_key"):
        return session_window(p["session_key"])
    return None


def _pages(ctx: FetchContext[F1Settings], path: str, name: str, params: dict[str, str]) -> Iterator[RawFile]:
    paginator = OffsetPaginator(limit=settings.PAGE_LIMIT, total_path="MRData.total")
    for n, (url, body) in enumerate(paginate_bodies(ctx.client, ctx.settings.jolpica_base, path, paginator)):
        yield RawFile(endpoint="jolpica", name=f"{name}_p{n:03d}.json", data=body, origin=url, params=params)


def fetch(ctx: FetchContext[F1Settings]) -> Iterator[RawFile]:
    config = ctx.settings
    today = date.today()
    first = (ctx.start or date(today.year, 1, 1)).year
    last = (ctx.end or today).year
    for season in range(first, last + 1):
        schedule = list(_pages(ctx, f"{season}.json", f"schedule_{season}", {"season": str(season), "kind": "races"}))
        yield from schedule
        races = [r for page in schedule for r in load_json(page.data)["MRData"]["RaceTable"]["Races"]]
        for race in races:
            rnd, race_day = int(race["round"]), date.fromisoformat(race["date"])
            if race_day >= today or ctx.cursor.skip(round_window(season, rnd)):
                continue
            for kind in settings.ROUND_ENDPOINTS:
                params = {"season": str(season), "round": str(rnd), "kind": kind}
                yield from _pages(ctx, f"{season}/{rnd}/{kind}.json", f"{kind}_{season}_{rnd}", params)
    sessions = ctx.client.get(f"{config.openf1_base}/sessions", params={"year": last, "session_type": "Race"})
    yield RawFile("openf1", f"sessions_{last}.json", sessions.content, sessions.url, {"kind": "sessions"})
    for session in load_json(sessions.content):
        key = str(session["session_key"])
        if date.fromisoformat(session["date_start"][:10]) >= today or ctx.cursor.skip(session_window(key)):
            continue
        for kind in settings.OPENF1_ENDPOINTS:
            response = ctx.client.get(f"{config.openf1_base}/{kind}", params={"session_key": key})
            yield RawFile("openf1", f"{kind}_session{key}.json", response.content, response.url,
                          {"kind": kind, "session_key": key})  # fmt: skip
