-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#- Union the `_landing_files` table of every raw_<source> schema that exists, so audit models work whatever
    subset of sources has been loaded. Each table is read through source('raw_<source>', '_landing_files')
    (models/audit/_audit__sources.yml), called for every source while parsing so that lineage shows them all; when
    the model runs, a source whose table does not exist yet is left out. -#}
{% macro landing_files_union() -%}
    {%- set relations = [] -%}
    {%- for source_name in var('grandstand_sources') -%}
        {%- set relation = source('raw_' ~ source_name, '_landing_files') -%}
        {%- if execute and load_relation(relation) is not none -%}
            {%- do relations.append((source_name, relation)) -%}
        {%- endif -%}
    {%- endfor -%}
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
