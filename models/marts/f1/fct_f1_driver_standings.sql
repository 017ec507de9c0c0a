with

scoring_results as (
    select * from {{ ref('int_f1_round_points') }}
    where championship = 'driver'
),

dropped_scores as (
    select * from {{ ref('f1_dropped_scores') }}
),

exclusions as (
    select
        season,
        driver_id as competitor_id,
        from_round
    from {{ ref('f1_championship_exclusions') }}
),

standings as (
    {{ championship_standings('scoring_results', 'dropped_scores', 'exclusions') }}
),

final as (
    select
        {{ surrogate_key(['season', 'as_of_round', 'competitor_id']) }} as standing_key,
        cast(season as integer) as season,
        cast(as_of_round as integer) as round_number,
        competitor_id as driver_id,
        cast(points as double) as points,
        cast(gross_points as double) as gross_points,
        cast(championship_position as integer) as position,  -- noqa: RF04
        case
            when is_excluded = 1 then 'D'
            else cast(championship_position as {{ dbt.type_string() }})
        end as position_text,
        cast(wins as integer) as wins
    from standings
)

select * from final
