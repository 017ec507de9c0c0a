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
        data_source,
        {{ racing_display_name('trainer', 'trainer_key', 'trainer_name') }} as display_name,
        trainer_name is not null as is_named
    from latest
    where trainer_key is not null
)

select * from final
