-- The win probabilities of every race in f1_race_predictions sum to 1 (within floating-point error).
{{ config(enabled=target.type != 'spark') }}

with

predictions as (
    select * from {{ ref('f1_race_predictions') }}
),

per_race as (
    select
        race_key,
        sum(win_probability) as total_probability,
        count(*) as drivers
    from predictions
    group by race_key
),

final as (
    select * from per_race
    where abs(total_probability - 1.0) > 1e-9
)

select * from final
