{#-
    How a racing person (jockey, trainer) is shown: the published name; for the history dataset, which numbers people
    without naming them, "History dataset <role> #<n> (name not published)" rather than a raw kaggle-<n> key; else
    the HKJC code and a note that the page gave no name. Reads `data_source` from the row.
-#}
{% macro racing_display_name(role, key_column, name_column) -%}
    coalesce(
        {{ name_column }},
        case
            when data_source = 'kaggle_hkracing'
                then 'History dataset {{ role }} #' || replace({{ key_column }}, 'kaggle-', '') || ' (name not published)'
        end,
        'HKJC {{ role }} ' || {{ key_column }} || ' (name not on the page)'
    )
{%- endmacro %}
