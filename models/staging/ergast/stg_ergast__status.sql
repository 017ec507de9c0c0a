with

source as (
    select * from {{ source('ergast', 'status') }}
),

deduped as (
    {{ dedupe('source', ['status_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(status_id as bigint) as ergast_status_id,
        status as status_text
    from deduped
)

select * from renamed
