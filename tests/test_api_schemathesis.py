"""schemathesis over the whole OpenAPI spec, through its ASGI transport, on a warehouse built from the sample: no
response is a 5xx, and every response matches the spec (status code, content type, headers, body schema).

Every built-in check runs but one: "schema-valid request rejected" (positive_data_acceptance). Two rules are beyond
what OpenAPI can say: a range must be in order (date_to not before date_from, end after start), and a cursor must be
one the API issued. Those, and only those, may turn a schema-valid request into a 422, which the test asserts itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from pipelines.config import Settings
from pipelines.serve.api.app import create_app

pytestmark = pytest.mark.slow

BEYOND_THE_SPEC = {("query", "cursor"), ("query", "date_to"), ("query", "end")}
NOT_BUILT = Path("/nonexistent/warehouse.duckdb")
app = create_app(Settings(mode="sample", warehouse=NOT_BUILT, landing=NOT_BUILT.parent))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module", autouse=True)
def _serve_the_sample(sample_warehouse: Path) -> Iterator[None]:
    """Point the app at the session's sample warehouse (the spec itself never needs one)."""
    app.state.settings = Settings(mode="sample", warehouse=sample_warehouse / "warehouse.duckdb", landing=NOT_BUILT)
    yield
    app.state.settings = Settings(mode="sample", warehouse=NOT_BUILT, landing=NOT_BUILT.parent)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    if response.status_code == 422 and case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
        names = {tuple(d["loc"]) for d in response.json()["detail"]}
        assert names <= BEYOND_THE_SPEC, f"a schema-valid request was rejected: {response.text}"
