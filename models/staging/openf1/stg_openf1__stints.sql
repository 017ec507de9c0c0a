with

source as (
    select * from {{ source('openf1', 'stints') }}
),

deduped as (
    {{ dedupe('source', ['session_key', 'driver_number', 'stint_number'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(session_key as bigint) as session_key,
        cast(meeting_key as bigint) as meeting_key,
        cast(driver_number as integer) as driver_number,
        cast(stint_number as integer) as stint_number,
        cast(lap_start as integer) as first_lap,
        cast(lap_end as integer) as last_lap,
        upper(compound) as tyre_compound,
        cast(tyre_age_at_start as integer) as tyre_age_at_start,
        _dlt_load_id as dlt_load_id
    from deduped
)

select * from renamed
