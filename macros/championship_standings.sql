-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#- The championship table after every round, as the published (Ergast) tables rank it.
    scoring_results: one row per scoring result (int_f1_round_points' columns): season, round_number, competitor_id,
        name_sort_key, session_type, points, finish_position, unclassified_order, is_win, makes_listed.
    dropped_scores: a relation (season, first_round, last_round, best_results_counted, segment) or none; the best N
        results (not rounds: a driver who shared two cars in a race has two results) of each segment count.
    exclusions: a relation (season, competitor_id, from_round) or none; an excluded competitor keeps points and wins
        but is ranked after everyone else, from that round on.
    Ranking: points; then countback over every finishing position of the races (most wins, then most seconds, ... to
    countback_depth); then, where the season's conventions count them, retirements by their order in the race; then
    the name (family name, given name), which is how the published tables order competitors countback cannot part.
    A competitor appears once one of its results makes it listed (see f1_standings_conventions). -#}
{% macro championship_standings(scoring_results, dropped_scores=none, exclusions=none, countback_depth=40) -%}
    with

    rounds as (
        select distinct
            season,
            round_number
        from {{ scoring_results }}
    ),

    as_of as (
        select
            rounds.season,
            rounds.round_number as as_of_round,
            scored.competitor_id,
            scored.name_sort_key,
            scored.round_number,
            scored.session_type,
            scored.points,
            scored.finish_position,
            scored.unclassified_order,
            scored.is_win,
            scored.makes_listed
        from rounds
        inner join {{ scoring_results }} as scored
            on rounds.season = scored.season and scored.round_number <= rounds.round_number
    ),

    segmented as (
        select
            as_of.*,
            {%- if dropped_scores %}
            dropped.best_results_counted,
            row_number() over (
                partition by as_of.season, as_of.as_of_round, as_of.competitor_id, dropped.segment
                order by as_of.points desc, as_of.round_number, as_of.finish_position
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
            max(name_sort_key) as name_sort_key,
            max(makes_listed) as is_listed,
            sum(case
                when best_results_counted is null or rank_in_segment <= best_results_counted then points else 0
            end) as points,
            sum(points) as gross_points,
            sum(case when session_type = 'race' then is_win else 0 end) as wins,
            {%- for place in range(1, countback_depth + 1) %}
            count(case when session_type = 'race' and finish_position = {{ place }} then 1 end)
                as finishes_p{{ place }},
            {%- endfor %}
            {%- for place in range(1, countback_depth + 1) %}
            count(case when session_type = 'race' and unclassified_order = {{ place }} then 1 end)
                as retirements_p{{ place }}
            {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from segmented
        group by season, as_of_round, competitor_id
    ),

    flagged as (
        select
            totals.*,
            {%- if exclusions %}
            case when excluded.competitor_id is null then 0 else 1 end as is_excluded
        from totals
        left join {{ exclusions }} as excluded
            on
                totals.season = excluded.season
                and totals.competitor_id = excluded.competitor_id
                and totals.as_of_round >= excluded.from_round
            {%- else %}
            0 as is_excluded
        from totals
            {%- endif %}
        where totals.is_listed = 1
    ),

    ranked as (
        select
            season,
            as_of_round,
            competitor_id,
            points,
            gross_points,
            wins,
            is_excluded,
            row_number() over (
                partition by season, as_of_round
                order by
                    is_excluded,
                    points desc
                    {%- for place in range(1, countback_depth + 1) %}, finishes_p{{ place }} desc{% endfor %}
                    {%- for place in range(1, countback_depth + 1) %}, retirements_p{{ place }} desc{% endfor %},
                    name_sort_key,
                    competitor_id
            ) as championship_position
        from flagged
    )

    select * from ranked
{%- endmacro %}
