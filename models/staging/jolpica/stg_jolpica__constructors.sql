with

source as (
    select * from {{ source('jolpica', 'constructors') }}
),

deduped as (
    {{ dedupe('source', ['constructor_id'], '_fetched_at desc') }}
),

renamed as (
    select
        constructor_id,
        name as constructor_name,
        nationality,
        url as wikipedia_url
    from deduped
)

select * from renamed
