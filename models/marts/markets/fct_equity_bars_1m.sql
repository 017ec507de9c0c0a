{{ config(**incremental_config(unique_key='bar_key', partition_by='session_date')) }}

with

aligned as (
    select * from {{ ref('int_bars_aligned_to_sessions') }}
    where
        is_regular_session
        and is_in_requested_range
    {% if is_incremental() %}
        -- whole sessions are rebuilt, so VWAP and returns stay correct; late bars within the lookback land
        and session_date >= (
            select {{ dbt.dateadd('day', -var('bars_lookback_days'), 'max(session_date)') }} from {{ this }}
        )
    {% endif %}
),

measured as (
    select
        {{ surrogate_key(['ticker', epoch_microseconds('ts_utc')]) }} as bar_key,
        ticker,
        ts_utc,
        session_date,
        minute_of_session,
        open_price,
        high_price,
        low_price,
        close_price,
        volume,
        is_filled,
        sum((high_price + low_price + close_price) / 3 * volume) over session_to_date
        / nullif(sum(volume) over session_to_date, 0) as session_vwap,
        close_price / nullif(lag(close_price, 1) over session_order, 0) - 1 as return_1m,
        close_price / nullif(lag(close_price, 5) over session_order, 0) - 1 as return_5m,
        close_price / nullif(lag(close_price, 15) over session_order, 0) - 1 as return_15m
    from aligned
    window
        session_order as (partition by ticker, session_date order by ts_utc),
        session_to_date as (
            partition by ticker, session_date order by ts_utc rows between unbounded preceding and current row
        )
)

select * from measured
