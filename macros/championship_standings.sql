{#- The championship table after every round, from per-round points.
    round_points: season, round_number, competitor_id, points, best_race_position.
    dropped_scores: a relation (season, first_round, last_round, best_results_counted, segment) or none.
    Ties are broken by countback: most wins, then most second places, and so on to tenth. -#}
{% macro championship_standings(round_points, dropped_scores=none, countback_depth=10) -%}
    with

    rounds as (
        select distinct
            season,
            round_number
        from {{ round_points }}
    ),

    as_of as (
        select
            rounds.season,
            rounds.round_number as as_of_round,
            scored.competitor_id,
            scored.round_number,
            scored.points,
            scored.best_race_position
        from rounds
        inner join {{ round_points }} as scored
            on rounds.season = scored.season and scored.round_number <= rounds.round_number
    ),

    segmented as (
        select
            as_of.*,
            {%- if dropped_scores %}
            dropped.best_results_counted,
            row_number() over (
                partition by as_of.season, as_of.as_of_round, as_of.competitor_id, dropped.segment
                order by as_of.points desc, as_of.round_number
            ) as rank_in_segment
        from as_of
        left join {{ dropped_scores }} as dropped
            on
                as_of.season = dropped.season
                and as_of.round_number between dropped.first_round and dropped.last_round
            {%- else %}
            cast(null as integer) as best_results_counted,
            1 as rank_in_segment
        from as_of
            {%- endif %}
    ),

    totals as (
        select
            season,
            as_of_round,
            competitor_id,
            sum(case
                when best_results_counted is null or rank_in_segment <= best_results_counted then points else 0
            end) as points,
            sum(points) as gross_points,
            {%- for place in range(1, countback_depth + 1) %}
            count(case when best_race_position = {{ place }} then 1 end) as finishes_p{{ place }}
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from segmented
        group by season, as_of_round, competitor_id
    )

    select
        season,
        as_of_round,
        competitor_id,
        points,
        gross_points,
        finishes_p1 as wins,
        rank() over (
            partition by season, as_of_round
            order by points desc
            {%- for place in range(1, countback_depth + 1) %}, finishes_p{{ place }} desc{% endfor %}
        ) as championship_position
    from totals
{%- endmacro %}
