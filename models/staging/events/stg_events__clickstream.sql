with

source as (
    select * from {{ source('events', 'clickstream') }}
),

deduped as (
    -- at-least-once delivery: keep the first copy of each event_id by ingestion time
    {{ dedupe('source', ['event_id'], '_fetched_at, received_at, _landing_path') }}
),

renamed as (
    select
        event_id,
        event_type,
        cast(occurred_at as {{ type_timestamptz() }}) as occurred_at,
        cast(received_at as {{ type_timestamptz() }}) as received_at,
        cast(_fetched_at as {{ type_timestamptz() }}) as ingested_at,
        user_id as user_key,
        {{ pii_hash('email') }} as email_hash,
        {{ pii_hash('ip') }} as ip_hash,
        channel,
        campaign,
        source as client_platform,
        page,
        cast(revenue_usd as double) as revenue_usd,
        coalesce({{ adapter.quote('generated') }}, false) as is_generated,  -- noqa: RF06
        _dlt_load_id as dlt_load_id
    from deduped
)

select * from renamed
