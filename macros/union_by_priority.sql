-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#- Union the same columns from several relations, numbering them by priority (1 = preferred), so that a dedupe on
    the natural key keeps the preferred source's row (the API over the dump, for example). -#}
{% macro union_by_priority(relations, columns) -%}
    {%- for relation in relations %}
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        {{ loop.index }} as source_priority
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
