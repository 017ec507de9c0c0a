{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}

with

events as (
    select * from {{ ref('int_events_unioned') }}
    {% if is_incremental() %}
        -- new files have a later ingestion time; the lookback also takes events re-processed after a late fix
        where ingested_at >= (
            select {{ dbt.dateadd('hour', -var('events_lookback_hours'), 'max(ingested_at)') }} from {{ this }}
        )
    {% endif %}
),

final as (
    select
        event_id,
        event_type,
        occurred_at,
        {{ to_utc_date('occurred_at') }} as event_date,
        received_at,
        ingested_at,
        user_key,
        email_hash,
        ip_hash,
        channel,
        source_system,
        is_generated,
        properties,
        revenue_usd
    from events
)

select * from final
