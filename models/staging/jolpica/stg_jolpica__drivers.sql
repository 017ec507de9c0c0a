with

source as (
    select * from {{ source('jolpica', 'drivers') }}
),

deduped as (
    {{ dedupe('source', ['driver_id'], '_fetched_at desc') }}
),

renamed as (
    select
        driver_id,
        permanent_number,
        code as driver_code,
        given_name,
        family_name,
        cast(date_of_birth as date) as date_of_birth,
        nationality,
        url as wikipedia_url
    from deduped
)

select * from renamed
