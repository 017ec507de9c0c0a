{#-
    One incremental contract, each engine's strategy. The model's incremental filter always selects whole
    `partition_by` values (whole sessions, seasons or days), so both strategies replace exactly what was selected:
    - DuckDB: delete+insert on the unique key;
    - Spark (Parquet; no Delta or Iceberg jars here): insert_overwrite of the selected partitions.
    Usage: {{ config(**incremental_config(unique_key='bar_key', partition_by='session_date')) }}
-#}
{% macro incremental_config(unique_key, partition_by) -%}
    {{ return(adapter.dispatch('incremental_config', 'grandstand')(unique_key, partition_by)) }}
{%- endmacro %}

{% macro default__incremental_config(unique_key, partition_by) -%}
    {{ return({
        'materialized': 'incremental',
        'unique_key': unique_key,
        'incremental_strategy': 'delete+insert',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}

{% macro spark__incremental_config(unique_key, partition_by) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [partition_by],
        'file_format': 'parquet',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}
