{#- Union the `_landing_files` table of every raw_<source> schema that exists, so audit models work whatever
    subset of sources has been loaded. -#}
{% macro landing_files_union() -%}
    {%- set relations = [] -%}
    {%- if execute -%}
        {%- for source_name in var('grandstand_sources') -%}
            {%- set relation = adapter.get_relation(
                database=target.database, schema='raw_' ~ source_name, identifier='_landing_files') -%}
            {%- if relation is not none -%}
                {%- do relations.append((source_name, relation)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if relations | length == 0 %}
    select
        cast(null as {{ dbt.type_string() }}) as source_name,
        cast(null as {{ dbt.type_string() }}) as sha256,
        cast(null as {{ dbt.type_string() }}) as landing_path,
        cast(null as {{ dbt.type_string() }}) as endpoint,
        cast(null as {{ dbt.type_string() }}) as origin,
        cast(null as {{ dbt.type_timestamp() }}) as fetched_at,
        cast(null as {{ dbt.type_bigint() }}) as file_bytes,
        cast(null as {{ dbt.type_string() }}) as load_status,
        cast(null as {{ dbt.type_string() }}) as error_message,
        cast(null as {{ dbt.type_bigint() }}) as row_count,
        cast(null as {{ dbt.type_string() }}) as run_id,
        cast(null as {{ dbt.type_timestamp() }}) as loaded_at
    where 1 = 0
    {%- else %}
        {%- for source_name, relation in relations %}
    select
        '{{ source_name }}' as source_name,
        sha256,
        path as landing_path,
        endpoint,
        origin,
        fetched_at,
        bytes as file_bytes,
        status as load_status,
        error as error_message,
        rows as row_count,
        run_id,
        loaded_at
    from {{ relation }}
            {%- if not loop.last %}
    union all
            {%- endif %}
        {%- endfor %}
    {%- endif %}
{%- endmacro %}
