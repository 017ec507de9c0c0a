{#-
    String aggregation in a given order. dbt.listagg takes an order on DuckDB but not on Spark, where the ordered
    form is collect_list of (key, value) pairs, sorted, then joined. Nulls are skipped on both engines.
-#}
{% macro ordered_listagg(expression, delimiter_text, order_by) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'grandstand')(expression, delimiter_text, order_by)) }}
{%- endmacro %}

{% macro default__ordered_listagg(expression, delimiter_text, order_by) -%}
    {{ dbt.listagg(expression, delimiter_text, 'order by ' ~ order_by) }}
{%- endmacro %}

{% macro spark__ordered_listagg(expression, delimiter_text, order_by) -%}
    array_join(
        transform(
            array_sort(collect_list(named_struct('sort_key', {{ order_by }}, 'item', {{ expression }}))),
            pair -> pair.item
        ),
        {{ delimiter_text }}
    )
{%- endmacro %}
