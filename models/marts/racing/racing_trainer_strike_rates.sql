with

runs as (
    select * from {{ ref('fct_racing_runs') }}
),

trainers as (
    select * from {{ ref('dim_racing_trainer') }}
),

rates as (
    {{ strike_rates('runs', 'trainer_key', 'trainer_name') }}
),

final as (
    select
        rates.*,
        trainers.display_name,
        trainers.is_named
    from rates
    left join trainers on rates.trainer_key = trainers.trainer_key
)

select * from final
