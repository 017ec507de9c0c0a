{#-
    One incremental contract, each engine's strategy. The model selects whole `partition_by` values (whole sessions,
    seasons or days: those holding newly loaded rows, see partitions_loaded_since), and both strategies replace
    exactly those partitions, so a row that a rebuilt partition no longer produces does not linger:
    - DuckDB: delete+insert keyed on the partition column (every row of a rebuilt partition is deleted first);
    - Spark (Parquet; no Delta or Iceberg jars here): insert_overwrite of the selected partitions.
    The row key (`unique_key`) is tested unique by the model's data tests on both engines.
    Usage: {{ config(**incremental_config(partition_by='session_date')) }}
-#}
{% macro incremental_config(partition_by) -%}
    {{ return(adapter.dispatch('incremental_config', 'grandstand')(partition_by)) }}
{%- endmacro %}

{% macro default__incremental_config(partition_by) -%}
    {{ return({
        'materialized': 'incremental',
        'unique_key': partition_by,
        'incremental_strategy': 'delete+insert',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__incremental_config(partition_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [partition_by],
        'file_format': 'parquet',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}
