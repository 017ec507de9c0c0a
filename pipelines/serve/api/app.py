"""The app factory: `create_app(settings)` builds the API over one warehouse (run it with `grandstand api`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response

from pipelines.config import Settings, load_settings
from pipelines.serve.api.auth import key_policy, require_key
from pipelines.serve.api.models import Meta, Problem
from pipelines.serve.api.responses import NotModified, Read, read_warehouse, render
from pipelines.serve.api.routers import crypto, f1, markets, product, racing

VERSION = "1.0.0"
DESCRIPTION = """Read-only access to Grandstand's marts: racing (HKJC), Formula 1, markets (Yahoo), crypto
(CoinCap) and product events.

- Large collections are paged: `limit` (1–1000) and `cursor` (the previous page's `next_cursor`).
- Large collections also answer in CSV: `?format=csv` or `Accept: text/csv`.
- Responses carry an `ETag` and `Cache-Control` from the warehouse's last successful build; send `If-None-Match`
  for a 304.
- A bad filter is a 422 whose `detail[].loc` names the parameter; an unknown id is a 404.
- While a run writes, answers come from the last good copy (header `X-Grandstand-Source: last-good-copy`).
- With API keys configured (live mode only), send `X-API-Key`; each key is rate limited.
"""
NO_WAREHOUSE: dict[int | str, dict[str, Any]] = {
    503: {"model": Problem, "description": "no warehouse has been built yet"},
}
ERRORS: dict[int | str, dict[str, Any]] = {
    **NO_WAREHOUSE,
    401: {"model": Problem, "description": "the API key is missing or unknown"},
    429: {"model": Problem, "description": "the key's rate limit is exceeded (see Retry-After)"},
}


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API over `settings.warehouse`. The key check (and the X-API-Key scheme in the spec) exists only when
    keys are configured and the mode is live: the spec describes the server as it runs."""
    settings = settings or load_settings()
    policy = key_policy(settings)
    app = FastAPI(
        title="Grandstand API",
        version=VERSION,
        description=DESCRIPTION,
        dependencies=[Depends(require_key)] if policy else [],
        responses=ERRORS if policy else NO_WAREHOUSE,
    )
    app.state.settings = settings
    app.state.key_policy = policy

    @app.exception_handler(NotModified)
    def not_modified(_: Request, exc: NotModified) -> Response:
        return Response(status_code=304, headers=exc.headers)

    @app.get("/meta", response_model=Meta, tags=["meta"])
    def meta(read: Annotated[Read, Depends(read_warehouse)]) -> Response:
        """The build the API is serving, and whether it is the last good copy (a run is writing)."""
        return render(
            read, Meta(last_build_at=read.last_build, serving_last_good_copy=read.is_copy, mode=settings.mode)
        )

    for router in (racing.router, f1.router, markets.router, crypto.router, product.router):
        app.include_router(router)
    return app


def create_default_app() -> FastAPI:
    """For `uvicorn --factory`: settings from the environment (GRANDSTAND_WAREHOUSE, GRANDSTAND_MODE)."""
    return create_app(load_settings())
