"""`python -m pipelines.serve.api.spec` writes the OpenAPI document to docs/api/openapi.json (`--check`: exit 1 if
the committed one differs). The spec does not depend on the warehouse; it is built in sample mode."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipelines.config import PROJECT_ROOT, Settings

SPEC_PATH = PROJECT_ROOT / "docs" / "api" / "openapi.json"


def spec_text() -> str:
    from pipelines.serve.api.app import create_app

    unused = Path("/nonexistent/warehouse.duckdb")  # the spec never opens the warehouse
    app = create_app(Settings(mode="sample", warehouse=unused, landing=unused.parent))
    return json.dumps(app.openapi(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if docs/api/openapi.json is out of date")
    args = parser.parse_args(argv)
    text = spec_text()
    if args.check:
        current = SPEC_PATH.read_text() if SPEC_PATH.exists() else ""
        if current != text:
            print(f"{SPEC_PATH} is out of date: run `python -m pipelines.serve.api.spec`", file=sys.stderr)
            return 1
        return 0
    SPEC_PATH.parent.mkdir(parents=True, exist_ok=True)
    SPEC_PATH.write_text(text)
    print(f"wrote {SPEC_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
