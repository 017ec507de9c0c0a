-- One row per ticker and minute of each regular session that has trades, forward-filled within the session only,
-- plus every 1-minute bar that falls outside a regular session or outside the requested range, flagged. The
-- aligning is the align_bars_to_sessions macro, which fct_markets_bars_1m applies to the sessions it rebuilds.
with

bars as (
    select * from {{ ref('stg_yahoo__bars') }}
    where bar_interval = '1m'
),

tickers as (
    select * from {{ ref('int_markets_tickers_mapped_to_calendars') }}
),

sessions as (
    select * from {{ ref('exchange_sessions') }}
),

aligned as (
    {{ align_bars_to_sessions('bars', 'tickers', 'sessions') }}
)

select * from aligned
