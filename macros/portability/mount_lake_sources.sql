{#
    On engines that read the raw layer from the lake (Spark), mount every source table as an external Parquet table
    at <lake>/<schema>/<table>, under the same schema and name the models use on DuckDB. Run as an on-run-start hook;
    a no-op on DuckDB, where dlt loads the raw schemas directly.
#}
{% macro mount_lake_sources() %}
    {{ return(adapter.dispatch('mount_lake_sources', 'grandstand')()) }}
{% endmacro %}

{% macro default__mount_lake_sources() %}
    {{ return('') }}
{% endmacro %}

{% macro spark__mount_lake_sources() %}
    {% if execute %}
        {% set lake = env_var('GRANDSTAND_LAKE', 'data/lake') %}
        {% set schemas = [] %}
        {% for source in graph.sources.values() %}
            {% if source.schema not in schemas %}
                {% do schemas.append(source.schema) %}
                {% do run_query('create schema if not exists ' ~ source.schema) %}
            {% endif %}
            {% set relation = source.schema ~ '.' ~ source.identifier %}
            {% do run_query('drop table if exists ' ~ relation) %}
            {% do run_query(
                'create table ' ~ relation ~ ' using parquet location '
                ~ "'" ~ lake ~ '/' ~ source.schema ~ '/' ~ source.identifier ~ "'"
            ) %}
        {% endfor %}
    {% endif %}
    {{ return('') }}
{% endmacro %}
