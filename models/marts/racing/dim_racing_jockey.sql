with

runs as (
    select * from {{ ref('int_racing_runs_joined_to_races') }}
),

latest as (
    {{ dedupe('runs', ['jockey_key'], 'race_date desc, race_no desc') }}
),

final as (
    select
        jockey_key,
        jockey_name,
        data_source,
        {{ racing_display_name('jockey', 'jockey_key', 'jockey_name') }} as display_name,
        jockey_name is not null as is_named
    from latest
    where jockey_key is not null
)

select * from final
