# Thin wrappers around the `grandstand` CLI. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
GS := $(VENV)/bin/grandstand
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1
export RUNTIME__DLTHUB_TELEMETRY := false

.PHONY: setup setup-spark run test test-ui screenshots report api bench-quick test-whole-tables test-spark lint pytest dbt-test docs dashboard orchestrate bench clean

setup:  ## create .venv and install the project with pinned versions
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# DuckDB's httpfs, avro and iceberg extensions from their PyPI wheels into DuckDB's extension directory: nothing
	@# is downloaded at run time (LOAD still verifies each file's signature)
	$(PY) -m pipelines.lake.extensions
	$(GS) --version

setup-spark: setup  ## add the Spark target: dbt-spark and the pyspark wheel (and Debian's Java 17 when missing)
	command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless)
	$(PY) -m pip install --quiet -e '.[dev,spark]'

run:  ## full refresh: file anything new, rebuild raw + every model from the landing zone
	$(GS) run --full-refresh

lint:  ## ruff + sqlfluff
	$(VENV)/bin/ruff check pipelines tests bench
	$(VENV)/bin/ruff format --check pipelines tests bench
	@# the committed OpenAPI spec (docs/api/openapi.json) matches the app
	$(PY) -m pipelines.serve.api.spec --check
	@# against an empty warehouse, as on a clean clone: what dbt renders (is_incremental, adapter lookups) must not
	@# depend on whether `make run` has been run here
	rm -rf .lint-data && mkdir -p .lint-data
	GRANDSTAND_WAREHOUSE=.lint-data/warehouse.duckdb $(VENV)/bin/sqlfluff lint models snapshots tests/dbt --processes 2
	@# the dbt templater skips macro files; the jinja templater lints the SQL inside each macro's branches
	$(VENV)/bin/sqlfluff lint macros --templater jinja --processes 2

pytest:
	$(VENV)/bin/pytest -q

dbt-test:  ## dbt build on a warehouse freshly built from the sample, in a scratch location
	rm -rf .ci-data && GRANDSTAND_WAREHOUSE=.ci-data/warehouse.duckdb GRANDSTAND_LANDING=.ci-data/landing \
	  $(GS) run --full-refresh
	@# the semantic layer (models/semantic/) against that build: mf reads target/semantic_manifest.json
	GRANDSTAND_WAREHOUSE=.ci-data/warehouse.duckdb GRANDSTAND_DBT_TARGET=duckdb_readonly DBT_PROFILES_DIR=. \
	  $(VENV)/bin/mf validate-configs

test: lint pytest dbt-test  ## everything CI runs

test-whole-tables:  ## every data test over its whole table (a daily run tests only the partitions it wrote)
	GRANDSTAND_WHOLE_TABLE_TESTS=1 $(GS) transform --select "test_type:data"

test-ui:  ## browser tests of the dashboards in headless Chromium (installs Debian's chromium when missing)
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	$(VENV)/bin/pytest -q -m ui tests/test_browser.py tests/test_browser_dagster.py

screenshots:  ## retake the README's dashboard screenshots (docs/screenshots/) in headless Chromium
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	SCREENSHOTS=docs/screenshots $(VENV)/bin/pytest -q -m ui tests/test_browser.py -k test_page_in_chromium

test-spark:  ## build every model on Spark from the sample lake, run the tests, compare every mart with DuckDB
	rm -rf .ci-spark
	export GRANDSTAND_WAREHOUSE=.ci-spark/warehouse.duckdb GRANDSTAND_LANDING=.ci-spark/landing; \
	  $(GS) run --full-refresh \
	  && $(GS) export-raw \
	  && $(GS) transform --target spark --full-refresh \
	  && $(GS) compare-engines \
	  && $(GS) transform --target spark --select config.materialized:incremental \
	  && $(GS) compare-engines

api:  ## serve the read-only data API on http://127.0.0.1:8000 (docs at /docs)
	$(GS) api

report:  ## the daily KPI report from the semantic layer: data/reports/daily-<date>.html and .pdf
	$(GS) report daily

dashboard:  ## serve the dashboards on http://127.0.0.1:8501
	$(GS) dashboard

orchestrate:  ## the Dagster UI on http://127.0.0.1:3000 over the sample (DAGSTER_HOME=data/dagster); schedules start stopped
	$(GS) orchestrate

docs:  ## generate and serve the dbt docs site (the data dictionary)
	$(GS) docs --serve

bench:  ## benchmark; writes bench/results.json and docs/performance-scaling.png
	$(PY) -m bench

bench-quick:  ## every case at small sizes, for development; writes bench/data/results-partial.json
	$(PY) -m bench --quick

clean:
	rm -rf data/landing data/warehouse*.duckdb* data/.dlt data/reports data/dagster target logs .ci-data .lint-data .ci-spark data/lake data/spark bench/data artifacts
