{{ config(**incremental_config(unique_key='event_id', partition_by='event_date')) }}

with

events as (
    select * from {{ ref('int_events_unioned') }}
    {% if is_incremental() %}
        -- rebuild every event day that received events within the lookback, whole: late events land in their own
        -- day, and a day is replaced at once (delete+insert on DuckDB, insert_overwrite of the partition on Spark)
        where {{ to_utc_date('occurred_at') }} in (
            select {{ to_utc_date('touched.occurred_at') }}
            from {{ ref('int_events_unioned') }} as touched
            where touched.ingested_at >= (
                select {{ dbt.dateadd('hour', -var('events_lookback_hours'), 'max(ingested_at)') }} from {{ this }}
            )
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
