with

scoring_results as (
    select * from {{ ref('int_f1_round_points') }}
    -- the constructors' championship began in 1958
    where championship = 'constructor' and season >= 1958
),

standings as (
    {{ championship_standings('scoring_results') }}
),

final as (
    select
        {{ surrogate_key(['season', 'as_of_round', 'competitor_id']) }} as standing_key,
        cast(season as integer) as season,
        cast(as_of_round as integer) as round_number,
        competitor_id as constructor_id,
        cast(points as double) as points,
        cast(championship_position as integer) as position,  -- noqa: RF04
        cast(wins as integer) as wins
    from standings
)

select * from final
