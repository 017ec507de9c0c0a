{#-
    Data tests that look only at what this run wrote.

    A test's `where` config may hold one of two placeholders, replaced here when the test is compiled (dbt renders
    a yml `where` without the project's macros, so they are placeholders, not macro calls):

    - `__first_load_of_run__(<source>)`: the id of the first dlt load of `<source>` that no build has carried to the
      marts yet, as a literal. For an incremental mart: `source_load_id >= __first_load_of_run__(yahoo)` keeps the
      partitions this run rebuilt (each stores the newest load among its rows).
    - `__first_day_of_run__(<source>.<table>, <ts column>)`: the first day (UTC) holding rows of that raw table
      loaded by those loads, as a date literal. For a staging view: `ts_utc >= __first_day_of_run__(yahoo.bars, ts)`;
      a filter on the view's dedupe key reaches the raw scan, where one on `dlt_load_id` would not.

    "Not carried to the marts yet" is the run log's `transformed_at` still null (raw_grandstand.load_runs): the
    loads of the run whose build this is, and of an earlier `load` on its own or a run whose build failed. The loads
    are those dlt recorded (`raw_<source>._dlt_loads`) since the first such run started.

    The test sees the whole table instead (no filter at all) on a full refresh, when the var `whole_table_tests` is
    true or GRANDSTAND_WHOLE_TABLE_TESTS=1 (the slower cadence: `make test-whole-tables`, and the weekly Dagster job),
    and whenever the run log
    names no pending run of the source (a `dbt build` or `dbt test` outside `grandstand run`): it narrows only when
    it knows what the run wrote.
-#}
-- The indentation rule (LT02) misreads the Jinja below, whose whitespace control joins lines: it is off for this
-- file (dbt ignores text outside the macros).
-- noqa: disable=LT02
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and '__first_' in where -%}
        {#- no alias: some tests alias the model themselves (`{{ model }} as bars`); DuckDB and Spark take both -#}
        {%- set where = run_scoped_where(where) -%}
        {{- return('(select * from ' ~ relation ~ ' where ' ~ where ~ ')' if where else relation) -}}
    {%- endif -%}
    {%- if where -%}
        {{- return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -}}
    {%- endif -%}
    {{- return(relation) -}}
{%- endmacro %}

{#- The `where` with its placeholders replaced; '' (the whole table) when the test is not to be narrowed. -#}
{% macro run_scoped_where(where) -%}
    {%- set whole = var('whole_table_tests', false) in (true, 'true', 'True')
        or env_var('GRANDSTAND_WHOLE_TABLE_TESTS', '') in ('1', 'true') -%}
    {%- if not execute or flags.FULL_REFRESH or whole -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set re = modules.re -%}
    {%- set scoped = namespace(where=where) -%}
    {%- for source_name in re.findall('__first_load_of_run__\\(\\s*(\\w+)\\s*\\)', where) -%}
        {%- set first_load = first_load_of_run(source_name) -%}
        {%- if first_load is none -%}{{ return('') }}{%- endif -%}
        {%- set scoped.where = re.sub(
            '__first_load_of_run__\\(\\s*' ~ source_name ~ '\\s*\\)', "'" ~ first_load ~ "'", scoped.where
        ) -%}
    {%- endfor -%}
    {%- for source_name, table_name, ts_column in re.findall(
        '__first_day_of_run__\\(\\s*(\\w+)\\.(\\w+)\\s*,\\s*(\\w+)\\s*\\)', where
    ) -%}
        {%- set first_load = first_load_of_run(source_name) -%}
        {%- if first_load is none -%}{{ return('') }}{%- endif -%}
        {%- set source_id = 'source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name -%}
        {%- set first_day = first_day_loaded(source_id, ts_column, ">= '" ~ first_load ~ "'") -%}
        {%- set scoped.where = re.sub(
            '__first_day_of_run__\\(\\s*' ~ source_name ~ '\\.' ~ table_name ~ '\\s*,\\s*' ~ ts_column ~ '\\s*\\)',
            first_day,
            scoped.where
        ) -%}
    {%- endfor -%}
    {{- return(scoped.where) -}}
{%- endmacro %}

{#-
    The id of the first dlt load of `source_name` that no build has carried to the marts yet, or none when the run
    log names no such run (or has no record of the source's loads).
-#}
{% macro first_load_of_run(source_name) -%}
    {%- set run_log = graph.sources['source.' ~ project_name ~ '.grandstand.load_runs'] -%}
    {%- set log_relation = adapter.get_relation(run_log.database, run_log.schema, run_log.identifier) -%}
    {%- set loads_relation = adapter.get_relation(target.database, 'raw_' ~ source_name, '_dlt_loads') -%}
    {%- if log_relation is none or loads_relation is none -%}{{ return(none) }}{%- endif -%}
    {%- set query -%}
        select min(loads.load_id)
        from {{ loads_relation }} as loads
        where loads.inserted_at >= (
            select min(runs.started_at)
            from {{ log_relation }} as runs
            where runs.source = '{{ source_name }}' and runs.transformed_at is null
        )
    {%- endset -%}
    {{- return(run_query(query).columns[0].values()[0]) -}}
{%- endmacro %}
