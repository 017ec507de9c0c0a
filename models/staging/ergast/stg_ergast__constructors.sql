with

source as (
    select * from {{ source('ergast', 'constructors') }}
),

deduped as (
    {{ dedupe('source', ['constructor_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(constructor_id as bigint) as ergast_constructor_id,
        constructor_ref as constructor_id,
        name as constructor_name,
        nationality,
        url as wikipedia_url
    from deduped
)

select * from renamed
