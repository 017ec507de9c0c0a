with

events as (
    select * from {{ ref('fct_product_events') }}
    where received_at is not null
),

latencies as (
    select
        {{ dbt.date_trunc('hour', 'received_at') }} as received_hour,
        source_system,
        -- microseconds since the epoch on both sides: exact on every engine (Spark's datediff has no milliseconds)
        (
            {{ epoch_microseconds('received_at') }} - {{ epoch_microseconds('occurred_at') }}
        ) / 1000000.0 as latency_seconds
    from events
),

final as (
    select
        {{ surrogate_key([epoch_microseconds('received_hour'), 'source_system']) }} as latency_key,
        cast(received_hour as {{ type_timestamptz() }}) as received_hour,
        source_system,
        count(*) as events,
        cast({{ percentile('latency_seconds', 0.5) }} as double) as p50_latency_seconds,
        cast({{ percentile('latency_seconds', 0.95) }} as double) as p95_latency_seconds,
        {{ var('ingestion_latency_target_seconds') }} as target_seconds,
        {{ percentile('latency_seconds', 0.95) }} <= {{ var('ingestion_latency_target_seconds') }} as meets_target
    from latencies
    group by received_hour, source_system
)

select * from final
