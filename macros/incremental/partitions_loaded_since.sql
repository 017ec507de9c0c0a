{#-
    Incremental models select by load, not by event time.

    `loads` is a relation (or CTE) with one row per raw row that feeds the model: its partition value (a session,
    a season, an event day) and `dlt_load_id`, the id of the dlt load that wrote it. This returns one row per
    partition with the newest load among its rows (`source_load_id`). On an incremental run it keeps only the
    partitions holding rows loaded after the newest load the model has already seen, wherever they fall in time,
    so a backfilled session or season is rebuilt whole, exactly as a full refresh would build it.

    The model stores `source_load_id` on each row; that column is the watermark, and it is written in the same
    transaction as the rows, so a crash can never leave the watermark ahead of the data. Load ids are dlt's
    `<unix seconds>.<fraction>` strings, which sort as text in load order.

    The rows are filtered on the watermark before they are grouped, and the watermark is read when the model is
    compiled (a literal, not a subquery), so DuckDB skips every row group of raw loaded before it (min/max zone
    maps): an incremental run reads only the new loads, however long the history. Give `loads` straight from the
    source table (raw `_dlt_load_id`), not through a deduplicating view, or the view's window reads everything.
    Usage: inner join the model's rows to `{{ partitions_loaded_since('partition_loads', 'season') }}`.
-#}
{% macro partitions_loaded_since(loads, partition_column) -%}
    select
        {{ partition_column }},
        max(dlt_load_id) as source_load_id
    from {{ loads }}
    {%- if is_incremental() %}
        where dlt_load_id > {{ load_watermark() }}
    {%- endif %}
    group by {{ partition_column }}
{%- endmacro %}

{#-
    The newest load id the incremental model `this` has built from, as a literal; the subquery that reads it when
    the model is not a table in the warehouse (a unit test's `this` fixture).
-#}
{% macro load_watermark() -%}
    {%- set subquery = "(select coalesce(max(built.source_load_id), '') from " ~ this ~ " as built)" -%}
    {%- if not execute or this is string or model.resource_type == 'unit_test' -%}{{ return(subquery) }}{%- endif -%}
    {%- set built = adapter.get_relation(this.database, this.schema, this.identifier) -%}
    {%- if built is none -%}{{ return(subquery) }}{%- endif -%}
    {%- set found = run_query("select coalesce(max(source_load_id), '') from " ~ built) -%}
    {{- return("'" ~ (found.columns[0].values()[0] | replace("'", "")) ~ "'") -}}
{%- endmacro %}

{#-
    The first partition (a date) holding rows of the source table `source_id` (a dbt source's unique_id) loaded after
    the model's watermark, read from raw when the model is compiled: a literal that an incremental model's where
    lines can bound its reads with, so filters reach the raw scans through the staging views and a daily run reads
    the new days, not the history. The first date there is on a full refresh, before the model exists, and in unit
    tests (their `this` is a fixture); the date after every date when nothing new was loaded.
    The source is looked up in the graph, not with source(), so the model's parents stay what its refs say.
-#}
{% macro first_partition_loaded_since(source_id, ts_column) -%}
    {%- set everything = "cast('0001-01-01' as date)" -%}
    {%- if not execute or this is string or model.resource_type == 'unit_test' or not is_incremental() -%}
        {{- return(everything) -}}
    {%- endif -%}
    {%- set built = adapter.get_relation(this.database, this.schema, this.identifier) -%}
    {%- if built is none -%}{{ return(everything) }}{%- endif -%}
    {{- return(first_day_loaded(source_id, ts_column, '> ' ~ load_watermark())) -}}
{%- endmacro %}

{#-
    The first day (UTC, a date literal) holding rows of the source table `source_id` whose `_dlt_load_id` satisfies
    `load_condition` (e.g. `> '1700000000.1'`), read from raw; the date after every date when there are none. One
    query for the incremental models' read bounds and the run-scoped data tests (tests_on_new_partitions.sql).
-#}
{% macro first_day_loaded(source_id, ts_column, load_condition) -%}
    {%- set query -%}
        select cast(min({{ to_utc_date(ts_column) }}) as {{ dbt.type_string() }})
        from {{ graph.sources[source_id].relation_name }}
        where _dlt_load_id {{ load_condition }}
    {%- endset -%}
    {%- set first = run_query(query).columns[0].values()[0] -%}
    {{- return("cast('" ~ (first or '9999-12-31') ~ "' as date)") -}}
{%- endmacro %}
