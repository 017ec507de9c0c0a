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
    Usage: inner join the model's rows to `{{ partitions_loaded_since('partition_loads', 'season') }}`.
-#}
{% macro partitions_loaded_since(loads, partition_column) -%}
    select
        {{ partition_column }},
        max(dlt_load_id) as source_load_id
    from {{ loads }}
    group by {{ partition_column }}
    {%- if is_incremental() %}
        having max(dlt_load_id) > (select coalesce(max(built.source_load_id), '') from {{ this }} as built)
    {%- endif %}
{%- endmacro %}
