-- The indentation rule (LT02) misreads the nested query this macro returns: it is off for this file.
-- noqa: disable=LT02
{#-
    Aligns 1-minute bars to the regular sessions of each ticker's exchange calendar: one row per ticker and minute of
    each regular session that has trades, from the first trade to the close, a missing minute carrying the last
    close with volume 0 (`is_filled`), never across sessions; plus every bar outside a regular session or outside
    the requested range, flagged. `bars` (1-minute rows of stg_yahoo__bars), `tickers`
    (int_markets_tickers_mapped_to_calendars) and `sessions` (the exchange_sessions seed) name relations or CTEs.
    One macro, two callers: int_markets_bars_aligned_to_sessions over every bar, and fct_markets_bars_1m over the
    bars of the sessions it rebuilds, so a daily run aligns the new sessions and never the history (DuckDB does not
    push a session bound through this query's windows from outside it).
-#}
{% macro align_bars_to_sessions(bars, tickers, sessions) -%}
    with

    minutes as (
        {{ number_spine(390) }}
    ),

    bars_in_sessions as (
        select
            bars.ticker,
            bars.ts_utc,
            bars.open_price,
            bars.high_price,
            bars.low_price,
            bars.close_price,
            bars.volume,
            bars.is_in_requested_range,
            sessions.session_date,
            sessions.open_utc,
            sessions.session_minutes,
            sessions.is_half_day,
            sessions.session_date is not null as is_regular_session
        from {{ bars }} as bars
        inner join {{ tickers }} as tickers on bars.ticker = tickers.ticker
        left join {{ sessions }} as sessions
            on
                tickers.exchange_calendar = sessions.exchange_calendar
                and {{ to_utc_date('bars.ts_utc') }} = sessions.session_date
                and bars.ts_utc >= sessions.open_utc
                and bars.ts_utc < sessions.close_utc
    ),

    in_session as (
        select * from bars_in_sessions
        where is_regular_session and is_in_requested_range
    ),

    session_tickers as (
        select distinct
            ticker,
            session_date,
            open_utc,
            session_minutes,
            is_half_day
        from in_session
    ),

    grid as (
        select
            session_tickers.ticker,
            session_tickers.session_date,
            session_tickers.is_half_day,
            minutes.n as minute_of_session,
            {{ dbt.dateadd('minute', 'minutes.n', 'session_tickers.open_utc') }} as ts_utc
        from session_tickers
        cross join minutes
        where minutes.n < session_tickers.session_minutes
    ),

    joined as (
        select
            grid.ticker,
            grid.session_date,
            grid.is_half_day,
            grid.minute_of_session,
            grid.ts_utc,
            in_session.open_price,
            in_session.high_price,
            in_session.low_price,
            in_session.close_price,
            in_session.volume,
            in_session.ts_utc is not null as has_bar,
            -- a new group starts at every real bar: the group's only close is the one to carry forward
            count(in_session.close_price) over (
                partition by grid.ticker, grid.session_date
                order by grid.ts_utc
                rows between unbounded preceding and current row
            ) as fill_group
        from grid
        left join in_session
            on
                grid.ticker = in_session.ticker
                and grid.ts_utc = in_session.ts_utc
    ),

    carried as (
        select
            *,
            max(close_price) over (partition by ticker, session_date, fill_group) as carried_close
        from joined
    ),

    regular as (
        select
            ticker,
            session_date,
            ts_utc,
            minute_of_session,
            is_half_day,
            coalesce(open_price, carried_close) as open_price,
            coalesce(high_price, carried_close) as high_price,
            coalesce(low_price, carried_close) as low_price,
            coalesce(close_price, carried_close) as close_price,
            case when has_bar then volume else 0 end as volume,
            not has_bar as is_filled,
            true as is_regular_session,
            true as is_in_requested_range
        from carried
        -- minutes before the session's first trade have nothing to carry
        where fill_group > 0
    ),

    flagged as (
        select
            ticker,
            session_date,
            ts_utc,
            cast(null as integer) as minute_of_session,
            is_half_day,
            open_price,
            high_price,
            low_price,
            close_price,
            volume,
            false as is_filled,
            is_regular_session,
            is_in_requested_range
        from bars_in_sessions
        where not (is_regular_session and is_in_requested_range)
    ),

    unioned as (
        select * from regular
        union all
        select * from flagged
    )

    select * from unioned
{%- endmacro %}
