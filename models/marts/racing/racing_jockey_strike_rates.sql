with

runs as (
    select * from {{ ref('fct_racing_runs') }}
),

rates as (
    {{ strike_rates('runs', 'jockey_key', 'jockey_name') }}
)

select * from rates
