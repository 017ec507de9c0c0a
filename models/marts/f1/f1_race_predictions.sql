-- Typed, contracted view of the rolling-origin predictions; the scoring itself is the Python model it selects from.
with

scored as (
    select * from {{ ref('int_f1_race_predictions_scored') }}
),

final as (
    select
        cast(race_key as varchar) as race_key,
        cast(season as integer) as season,
        cast(round_number as integer) as round_number,
        cast(race_date as date) as race_date,
        cast(driver_id as varchar) as driver_id,
        cast(win_probability as double) as win_probability,
        cast(predicted_rank as integer) as predicted_rank,
        cast(model_version as varchar) as model_version,
        cast(trained_through as date) as trained_through
    from scored
)

select * from final
