-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#- The number of rows per group (or in the whole model) lies within [min_count, max_count]. -#}
{% test row_count_between(model, min_count=none, max_count=none, group_by=[], where_sql=none) %}
    with counts as (
        select
            {%- for column in group_by %}
            {{ column }},
            {%- endfor %}
            count(*) as row_count
        from {{ model }}
        {%- if where_sql %}
        where {{ where_sql }}
        {%- endif %}
        {%- if group_by %}
        group by {{ group_by | join(', ') }}
        {%- endif %}
    )

    select *
    from counts
    where
        1 = 0
        {%- if min_count is not none %} or row_count < {{ min_count }}{% endif %}
        {%- if max_count is not none %} or row_count > {{ max_count }}{% endif %}
{% endtest %}
