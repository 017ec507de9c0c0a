with

source as (
    select * from {{ source('jolpica', 'circuits') }}
),

deduped as (
    {{ dedupe('source', ['circuit_id'], '_fetched_at desc') }}
),

renamed as (
    select
        circuit_id,
        circuit_name,
        locality,
        country,
        cast(lat as double) as latitude,
        cast(lng as double) as longitude,
        url as wikipedia_url
    from deduped
)

select * from renamed
