with

runs as (
    select * from {{ ref('fct_racing_runs') }}
),

jockeys as (
    select * from {{ ref('dim_racing_jockey') }}
),

rates as (
    {{ strike_rates('runs', 'jockey_key', 'jockey_name') }}
),

final as (
    select
        rates.*,
        jockeys.display_name,
        jockeys.is_named
    from rates
    left join jockeys on rates.jockey_key = jockeys.jockey_key
)

select * from final
