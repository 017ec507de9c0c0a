-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#- Integers 0 .. n-1 as a column `n`, from cross-joined digits: portable, no generate_series. -#}
{% macro number_spine(upper_bound) -%}
    {%- set digits = (upper_bound | string | length) -%}
    select
        {%- for i in range(digits) %}
        d{{ i }}.digit * {{ 10 ** i }}{% if not loop.last %} +{% endif %}
        {%- endfor %} as n
    from
        {%- for i in range(digits) %}
        (
            select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
            union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
        ) as d{{ i }}{% if not loop.last %} cross join{% endif %}
        {%- endfor %}
    where
        {%- for i in range(digits) %}
        d{{ i }}.digit * {{ 10 ** i }}{% if not loop.last %} +{% endif %}
        {%- endfor %} < {{ upper_bound }}
{%- endmacro %}
