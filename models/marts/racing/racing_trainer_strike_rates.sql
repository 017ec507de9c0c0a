with

runs as (
    select * from {{ ref('fct_racing_runs') }}
),

rates as (
    {{ strike_rates('runs', 'trainer_key', 'trainer_name') }}
)

select * from rates
