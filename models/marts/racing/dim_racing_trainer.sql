with

runs as (
    select * from {{ ref('int_racing_runs_joined_to_races') }}
),

latest as (
    {{ dedupe('runs', ['trainer_key'], 'race_date desc, race_no desc') }}
),

final as (
    select
        trainer_key,
        trainer_name,
        data_source
    from latest
    where trainer_key is not null
)

select * from final
