with

source as (
    select * from {{ source('ergast', 'circuits') }}
),

deduped as (
    {{ dedupe('source', ['circuit_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(circuit_id as bigint) as ergast_circuit_id,
        circuit_ref as circuit_id,
        name as circuit_name,
        location as locality,
        country,
        cast(lat as double) as latitude,
        cast(lng as double) as longitude,
        url as wikipedia_url
    from deduped
)

select * from renamed
