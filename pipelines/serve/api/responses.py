"""Per-request warehouse access and the response: JSON or CSV, with ETag, Last-Modified and Cache-Control taken
from the last successful build, and 304 Not Modified when the client's copy is still that build's.

Resource rows are rendered from Arrow by pipelines.serve.api.rendering (no pydantic model per row); only small
envelopes such as /meta go through a pydantic model."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Annotated, Any

import duckdb
import pyarrow as pa
from fastapi import Depends, HTTPException, Request, Response
from pydantic import BaseModel

from pipelines.config import Settings
from pipelines.serve.api.models import PageQuery
from pipelines.serve.api.rendering import Form, csv_bytes, json_items, json_object, json_page
from pipelines.serve.api.resources import Filter, Resource, exists, one, page
from pipelines.serve.api.warehouse import open_warehouse

CACHE_CONTROL = "public, max-age=60, must-revalidate"
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "JSON, or CSV with ?format=csv or Accept: text/csv (next cursor in the X-Next-Cursor header)",
    }
}


class NotModified(Exception):
    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


@dataclass
class Read:
    """One request's read-only view of the warehouse."""

    con: duckdb.DuckDBPyConnection
    is_copy: bool
    last_build: datetime | None
    headers: dict[str, str]
    wants_csv: bool


def _etag(request: Request, last_build: datetime | None, is_copy: bool, wants_csv: bool) -> str:
    parts = [
        last_build.isoformat() if last_build else "never",
        "copy" if is_copy else "live",
        "csv" if wants_csv else "json",
        request.url.path,
        str(sorted(request.query_params.multi_items())),
    ]
    return 'W/"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = {t.strip() for t in if_none_match.split(",")}
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


def read_warehouse(request: Request) -> Iterator[Read]:
    """FastAPI dependency: a read-only connection for the request, closed when the response is built."""
    settings: Settings = request.app.state.settings
    opened = open_warehouse(settings)
    if opened is None:
        raise HTTPException(503, f"no warehouse at {settings.warehouse} yet: run `grandstand run` first")
    con, is_copy, built = opened
    try:
        wants_csv = request.query_params.get("format") == "csv" or (
            "format" not in request.query_params and "text/csv" in request.headers.get("accept", "")
        )
        headers = {"ETag": _etag(request, built, is_copy, wants_csv), "Cache-Control": CACHE_CONTROL}
        if built is not None:
            headers["Last-Modified"] = format_datetime(built.astimezone(UTC), usegmt=True)
        if is_copy:
            headers["X-Grandstand-Source"] = "last-good-copy"
        if _matches(request.headers.get("if-none-match"), headers["ETag"]):
            raise NotModified(headers)
        yield Read(con, is_copy, built, headers, wants_csv)
    finally:
        con.close()


# what a route takes to read the warehouse: `read: Reader`
Reader = Annotated[Read, Depends(read_warehouse)]


def render(read: Read, body: BaseModel) -> Response:
    """A small envelope (such as /meta) as JSON, validated by its model."""
    return Response(body.model_dump_json(), 200, dict(read.headers), "application/json")


def _json(read: Read, text: str) -> Response:
    return Response(text, 200, dict(read.headers), "application/json")


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"{what} not found")


@dataclass(frozen=True)
class Parent:
    """What a collection belongs to (a ticker, for its bars). It is looked up only when the collection comes back
    empty: a known parent's rows cost one query, and an unknown parent is still a 404."""

    res: Resource
    filters: list[Filter]
    what: str

    def require(self, read: Read, found: pa.Table) -> None:
        if found.num_rows == 0 and not exists(read.con, self.res, self.filters):
            raise not_found(self.what)


def page_response(
    read: Read, res: Resource, filters: list[Filter], query: PageQuery, parent: Parent | None = None
) -> Response:
    """One page of a large collection: JSON, or CSV when the client asked for it (the next cursor in the
    X-Next-Cursor header)."""
    form: Form = "csv" if read.wants_csv else "json"
    table, next_cursor = page(read.con, res, filters, query.limit, query.cursor, form)
    if parent is not None:
        parent.require(read, table)
    if read.wants_csv:
        headers = dict(read.headers)
        if next_cursor:
            headers["X-Next-Cursor"] = next_cursor
        return Response(csv_bytes(table, list(res.columns)), 200, headers, "text/csv")
    return _json(read, json_page(table, next_cursor))


def items_response(read: Read, res: Resource, table: pa.Table, parent: Parent | None = None) -> Response:
    if parent is not None:
        parent.require(read, table)
    return _json(read, json_items(table))


def one_response(read: Read, res: Resource, filters: list[Filter], what: str) -> Response:
    found = one(read.con, res, filters)
    if found is None:
        raise not_found(what)
    return _json(read, json_object(found))


def date_filters(
    column: str, date_from: object | None, date_to: object | None, *, inclusive_end: bool = True
) -> list[Filter]:
    found: list[Filter] = []
    if date_from is not None:
        found.append((f'"{column}" >= ?', [date_from]))
    if date_to is not None:
        found.append((f'"{column}" {"<=" if inclusive_end else "<"} ?', [date_to]))
    return found
