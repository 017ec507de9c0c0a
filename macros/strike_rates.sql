{#- Rides, wins, places and their rates per `key` (jockey or trainer): one definition for both marts. Only starts
    count (`is_starter`: not withdrawn runners, not TNP, not a race that was abandoned or void). -#}
{% macro strike_rates(runs_relation, key, name_column) -%}
    select
        {{ key }},
        max({{ name_column }}) as {{ name_column }},
        count(*) as rides,
        count(case when finish_position = 1 then 1 end) as wins,
        count(case when finish_position between 1 and 3 then 1 end) as places,
        cast(count(case when finish_position = 1 then 1 end) as double) / count(*) as win_rate,
        cast(count(case when finish_position between 1 and 3 then 1 end) as double) / count(*) as place_rate,
        min(race_date) as first_ride_date,
        max(race_date) as last_ride_date
    from {{ runs_relation }}
    where {{ key }} is not null and is_starter
    group by {{ key }}
{%- endmacro %}
