{#-
    Types whose names differ between engines. DuckDB's `timestamp with time zone` (an instant, shown in the session's
    time zone) is Spark's `timestamp`; dbt's own type_string() covers text.
-#}
{% macro type_timestamptz() -%}
    {{ return(adapter.dispatch('type_timestamptz', 'grandstand')()) }}
{%- endmacro %}

{% macro default__type_timestamptz() -%}
    timestamp with time zone
{%- endmacro %}

{% macro spark__type_timestamptz() -%}
    timestamp
{%- endmacro %}

{#-
    An instant as whole microseconds since the epoch: the same number on every engine, where the text of a timestamp
    is not (DuckDB writes the offset, Spark does not). Use it wherever a timestamp goes into a key.
-#}
{% macro epoch_microseconds(ts) -%}
    {{ return(adapter.dispatch('epoch_microseconds', 'grandstand')(ts)) }}
{%- endmacro %}

{% macro default__epoch_microseconds(ts) -%}
    epoch_us({{ ts }})
{%- endmacro %}

{% macro spark__epoch_microseconds(ts) -%}
    unix_micros({{ ts }})
{%- endmacro %}
