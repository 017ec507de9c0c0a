with

source as (
    select * from {{ source('ergast', 'races') }}
),

deduped as (
    {{ dedupe('source', ['race_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(race_id as bigint) as ergast_race_id,
        cast({{ adapter.quote('year') }} as integer) as season,  -- noqa: RF06
        cast(round as integer) as round_number,
        cast(circuit_id as bigint) as ergast_circuit_id,
        name as race_name,
        cast({{ adapter.quote('date') }} as date) as race_date,  -- noqa: RF06
        {{ adapter.quote('time') }} as race_time_utc,  -- noqa: RF06
        url as wikipedia_url
    from deduped
)

select * from renamed
