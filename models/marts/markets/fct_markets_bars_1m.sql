{{ config(**incremental_config(partition_by='session_date')) }}
{%- set first_session = first_partition_loaded_since('source.grandstand.yahoo.bars', 'ts') %}

-- The sessions it rebuilds are aligned here, with the macro the intermediate view uses, over only their bars: a daily
-- run reads and aligns the new sessions, however long the history.
with

bars as (
    select * from {{ ref('stg_yahoo__bars') }}
    where
        bar_interval = '1m'
        and ts_utc >= {{ first_session }}
),

tickers as (
    select * from {{ ref('int_markets_tickers_mapped_to_calendars') }}
),

sessions as (
    select * from {{ ref('exchange_sessions') }}
    where session_date >= {{ first_session }}
),

aligned_bars as (
    {{ align_bars_to_sessions('bars', 'tickers', 'sessions') }}
),

aligned as (
    select * from aligned_bars
    where is_regular_session and is_in_requested_range
),

bar_loads as (
    select
        {{ to_utc_date('ts_utc') }} as session_date,
        dlt_load_id
    from bars
),

-- every session holding 1-minute bars loaded since the last build, however old (a backfill), is rebuilt whole,
-- so VWAP and returns stay correct
sessions_to_build as (
    {{ partitions_loaded_since('bar_loads', 'session_date') }}
),

measured as (
    select
        {{ surrogate_key(['aligned.ticker', epoch_microseconds('aligned.ts_utc')]) }} as bar_key,
        aligned.ticker,
        aligned.ts_utc,
        aligned.session_date,
        aligned.minute_of_session,
        aligned.open_price,
        aligned.high_price,
        aligned.low_price,
        aligned.close_price,
        aligned.volume,
        aligned.is_filled,
        sum((aligned.high_price + aligned.low_price + aligned.close_price) / 3 * aligned.volume) over session_to_date
        / nullif(sum(aligned.volume) over session_to_date, 0) as session_vwap,
        aligned.close_price / nullif(lag(aligned.close_price, 1) over session_order, 0) - 1 as return_1m,
        aligned.close_price / nullif(lag(aligned.close_price, 5) over session_order, 0) - 1 as return_5m,
        aligned.close_price / nullif(lag(aligned.close_price, 15) over session_order, 0) - 1 as return_15m,
        sessions_to_build.source_load_id
    from aligned
    inner join sessions_to_build on aligned.session_date = sessions_to_build.session_date
    window
        session_order as (partition by aligned.ticker, aligned.session_date order by aligned.ts_utc),
        session_to_date as (
            partition by aligned.ticker, aligned.session_date
            order by aligned.ts_utc
            rows between unbounded preceding and current row
        )
)

select * from measured
