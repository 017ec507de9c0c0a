"""Per-request warehouse access and the response: JSON or CSV, with ETag, Last-Modified and Cache-Control taken
from the last successful build, and 304 Not Modified when the client's copy is still that build's."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Annotated, Any

import duckdb
from fastapi import Depends, HTTPException, Request, Response
from pydantic import BaseModel

from pipelines.config import Settings
from pipelines.serve.api.models import Items, Page, PageQuery
from pipelines.serve.api.resources import Filter, Resource, one, page
from pipelines.serve.api.warehouse import last_build_at, open_warehouse

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
    con, is_copy = open_warehouse(settings)
    if con is None:
        raise HTTPException(503, f"no warehouse at {settings.warehouse} yet: run `grandstand run` first")
    try:
        built = last_build_at(con)
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


def _csv(columns: list[str], records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in record.items()})
    return out.getvalue()


def render(read: Read, body: BaseModel, csv_columns: list[str] | None = None) -> Response:
    """`body` as JSON (validated by its model), or its items as CSV when the resource offers CSV (`csv_columns`)
    and the client asked for it; a CSV page's next cursor goes in the X-Next-Cursor header."""
    headers = dict(read.headers)
    if read.wants_csv and csv_columns is not None:
        next_cursor = getattr(body, "next_cursor", None)
        if next_cursor:
            headers["X-Next-Cursor"] = next_cursor
        records = [item.model_dump() for item in getattr(body, "items", [])]
        return Response(_csv(csv_columns, records), 200, headers, "text/csv")
    return Response(body.model_dump_json(), 200, headers, "application/json")


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"{what} not found")


def page_response(read: Read, res: Resource, filters: list[Filter], query: PageQuery) -> Response:
    """One page of a large collection, JSON or CSV."""
    items, next_cursor = page(read.con, res, filters, query.limit, query.cursor)
    return render(read, Page[res.model](items=items, next_cursor=next_cursor), list(res.columns))  # type: ignore[name-defined]


def items_response(read: Read, res: Resource, records: list[dict[str, Any]]) -> Response:
    return render(read, Items[res.model](items=records))  # type: ignore[name-defined]


def one_response(read: Read, res: Resource, filters: list[Filter], what: str) -> Response:
    found = one(read.con, res, filters)
    if found is None:
        raise not_found(what)
    return render(read, res.model(**found))


def date_filters(
    column: str, date_from: object | None, date_to: object | None, *, inclusive_end: bool = True
) -> list[Filter]:
    found: list[Filter] = []
    if date_from is not None:
        found.append((f'"{column}" >= ?', [date_from]))
    if date_to is not None:
        found.append((f'"{column}" {"<=" if inclusive_end else "<"} ?', [date_to]))
    return found
