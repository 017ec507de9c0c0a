with

source as (
    select * from {{ source('openf1', 'sessions') }}
),

deduped as (
    {{ dedupe('source', ['session_key'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(session_key as bigint) as session_key,
        cast(meeting_key as bigint) as meeting_key,
        session_type,
        session_name,
        cast(date_start as {{ type_timestamptz() }}) as session_start_at,
        cast(date_end as {{ type_timestamptz() }}) as session_end_at,
        circuit_short_name,
        country_name,
        cast({{ adapter.quote('year') }} as integer) as season  -- noqa: RF06
    from deduped
)

select * from renamed
