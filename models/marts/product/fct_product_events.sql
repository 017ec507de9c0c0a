{{ config(**incremental_config(partition_by='event_date')) }}

with

events as (
    select * from {{ ref('int_product_events_unioned') }}
),

event_loads as (
    select
        {{ to_utc_date('occurred_at') }} as event_date,
        dlt_load_id
    from events
),

-- every event day holding events loaded since the last build, however late they arrive, is rebuilt whole: late
-- events land in their own day, and a day is replaced at once (delete+insert of the day on DuckDB,
-- insert_overwrite of the partition on Spark)
days_to_build as (
    {{ partitions_loaded_since('event_loads', 'event_date') }}
),

final as (
    select
        events.event_id,
        events.event_type,
        events.occurred_at,
        days_to_build.event_date,
        events.received_at,
        events.ingested_at,
        events.user_key,
        events.email_hash,
        events.ip_hash,
        events.channel,
        events.source_system,
        events.is_generated,
        events.properties,
        events.revenue_usd,
        days_to_build.source_load_id
    from events
    inner join days_to_build on {{ to_utc_date('events.occurred_at') }} = days_to_build.event_date
)

select * from final
