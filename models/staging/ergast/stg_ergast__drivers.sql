with

source as (
    select * from {{ source('ergast', 'drivers') }}
),

deduped as (
    {{ dedupe('source', ['driver_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(driver_id as bigint) as ergast_driver_id,
        driver_ref as driver_id,
        nullif(number, '') as permanent_number,
        code as driver_code,
        forename as given_name,
        surname as family_name,
        cast(dob as date) as date_of_birth,
        nationality,
        url as wikipedia_url
    from deduped
)

select * from renamed
