-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#- Every non-null value lies within [min_value, max_value] (either bound optional; inclusive by default). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    select *
    from {{ model }}
    where
        {{ column_name }} is not null
        and (
            1 = 0
            {%- if min_value is not none %}
                or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }}
            {%- endif %}
            {%- if max_value is not none %}
                or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}
            {%- endif %}
        )
{% endtest %}
