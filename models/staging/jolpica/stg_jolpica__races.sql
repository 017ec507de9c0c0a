with

source as (
    select * from {{ source('jolpica', 'races') }}
),

deduped as (
    {{ dedupe('source', ['season', 'round'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(season as integer) as season,
        cast(round as integer) as round_number,
        race_name,
        circuit_id,
        cast({{ adapter.quote('date') }} as date) as race_date,  -- noqa: RF06
        replace({{ adapter.quote('time') }}, 'Z', '') as race_time_utc,  -- noqa: RF06
        url as wikipedia_url
    from deduped
)

select * from renamed
