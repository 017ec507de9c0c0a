{{ config(**incremental_config(partition_by='session_date')) }}
{%- set first_session = first_partition_loaded_since('source.grandstand.yahoo.bars', 'ts') %}

-- Incremental by load: the sessions from the first one holding bars loaded since the last build are computed from
-- the bars; every earlier session is read back from this table as built (its inputs have not changed), so the
-- dividend factors, the gap runs, the returns and the 20/50-session windows run over the whole (small: one row per
-- ticker and session) series exactly as a full refresh would, while the bars are read for the new sessions only.
-- A dividend or split loaded late changes the adjustment of earlier sessions: every session whose adjustment
-- differs from the one stored is rebuilt with them.
with

minute_bars as (
    select * from {{ ref('fct_markets_bars_1m') }}
    where not is_filled and session_date >= {{ first_session }}
),

bars as (
    select * from {{ ref('stg_yahoo__bars') }}
    where ts_utc >= {{ first_session }}
),

tickers as (
    select * from {{ ref('int_markets_tickers_mapped_to_calendars') }}
),

dividends as (
    select * from {{ ref('stg_yahoo__dividends') }}
),

splits as (
    select * from {{ ref('stg_yahoo__splits') }}
),

exchange_sessions as (
    select * from {{ ref('exchange_sessions') }}
),

minute_ranked as (
    select
        *,
        row_number() over (partition by ticker, session_date order by ts_utc) as row_from_open,
        row_number() over (partition by ticker, session_date order by ts_utc desc) as row_from_close
    from minute_bars
),

from_minutes as (
    select
        ticker,
        session_date,
        max(case when row_from_open = 1 then open_price end) as open_price,
        max(high_price) as high_price,
        min(low_price) as low_price,
        max(case when row_from_close = 1 then close_price end) as close_price,
        cast(sum(volume) as bigint) as volume,
        sum((high_price + low_price + close_price) / 3 * volume) / nullif(sum(volume), 0) as session_vwap,
        cast(null as double) as reported_adj_close,
        'minute_bars' as bar_source
    from minute_ranked
    group by ticker, session_date
),

from_daily as (
    select
        bars.ticker,
        {{ to_utc_date('bars.ts_utc') }} as session_date,
        bars.open_price,
        bars.high_price,
        bars.low_price,
        bars.close_price,
        bars.volume,
        cast(null as double) as session_vwap,
        bars.reported_adj_close,
        'daily_bars' as bar_source
    from bars
    inner join tickers on bars.ticker = tickers.ticker
    where bars.bar_interval = '1d' and tickers.asset_class in ('equity', 'etf')
),

bar_loads as (
    select
        {{ to_utc_date('ts_utc') }} as session_date,
        dlt_load_id
    from bars
),

sessions_loaded as (
    {{ partitions_loaded_since('bar_loads', 'session_date') }}
),

new_sessions as (
    select * from from_minutes
    union all
    select from_daily.* from from_daily
    left join from_minutes
        on from_daily.ticker = from_minutes.ticker and from_daily.session_date = from_minutes.session_date
    where from_minutes.ticker is null
),

{% if is_incremental() %}
    built as (
        select * from {{ this }}
    ),

    earlier_sessions as (
        select
            ticker,
            session_date,
            open_price,
            high_price,
            low_price,
            close_price,
            volume,
            session_vwap,
            reported_adj_close,
            bar_source
        from built
        where session_date < {{ first_session }}
    ),
{% endif %}

combined as (
    select * from new_sessions
    {%- if is_incremental() %}
        union all
        select * from earlier_sessions
    {%- endif %}
),

previous_sessions as (
    -- the last session before each ex-date (a join and an aggregate: engines without correlated subqueries in joins)
    select
        dividends.ticker,
        dividends.ex_date,
        dividends.dividend_amount,
        max(earlier.session_date) as previous_session_date
    from dividends
    inner join combined as earlier
        on dividends.ticker = earlier.ticker and dividends.ex_date > earlier.session_date
    group by dividends.ticker, dividends.ex_date, dividends.dividend_amount
),

dividend_factors as (
    -- Yahoo's method: each dividend scales earlier prices by 1 - amount / the close before the ex-date
    select
        previous_sessions.ticker,
        previous_sessions.ex_date,
        1 - previous_sessions.dividend_amount / previous_session.close_price as dividend_factor
    from previous_sessions
    inner join combined as previous_session
        on
            previous_sessions.ticker = previous_session.ticker
            and previous_sessions.previous_session_date = previous_session.session_date
),

adjustments as (
    select
        combined.ticker,
        combined.session_date,
        exp(sum(ln(dividend_factors.dividend_factor))) as dividend_adjustment
    from combined
    inner join dividend_factors
        on combined.ticker = dividend_factors.ticker and combined.session_date < dividend_factors.ex_date
    group by combined.ticker, combined.session_date
),

later_splits as (
    select
        combined.ticker,
        combined.session_date,
        exp(sum(ln(splits.split_ratio))) as split_multiplier
    from combined
    inner join splits on combined.ticker = splits.ticker and combined.session_date < splits.ex_date
    group by combined.ticker, combined.session_date
),

adjusted as (
    select
        combined.*,
        coalesce(adjustments.dividend_adjustment, 1) as dividend_adjustment,
        coalesce(later_splits.split_multiplier, 1) as split_multiplier,
        combined.close_price * coalesce(adjustments.dividend_adjustment, 1) as adj_close
    from combined
    left join adjustments
        on combined.ticker = adjustments.ticker and combined.session_date = adjustments.session_date
    left join later_splits
        on combined.ticker = later_splits.ticker and combined.session_date = later_splits.session_date
),

calendar_sessions as (
    select
        exchange_calendar,
        session_date,
        lag(session_date) over (partition by exchange_calendar order by session_date) as calendar_previous_session
    from exchange_sessions
),

sequenced as (
    -- a bar follows on from the row before it only when that row is the exchange's previous session (outside the
    -- calendar seed's years: when it is at most 4 days earlier); a gap starts a new run, and no return or window
    -- reaches across it (AAPL's daily bars of 2020, then 2024)
    select
        adjusted.*,
        calendar_sessions.calendar_previous_session,
        lag(adjusted.session_date) over (
            partition by adjusted.ticker order by adjusted.session_date
        ) as previous_row_session
    from adjusted
    left join tickers on adjusted.ticker = tickers.ticker
    left join calendar_sessions
        on
            tickers.exchange_calendar = calendar_sessions.exchange_calendar
            and adjusted.session_date = calendar_sessions.session_date
),

contiguity as (
    select
        *,
        coalesce(
            case
                when calendar_previous_session is not null then previous_row_session = calendar_previous_session
                else {{ dbt.datediff('previous_row_session', 'session_date', 'day') }} <= 4  -- noqa: LT05
            end,
            false
        ) as follows_previous_session
    from sequenced
),

runs as (
    select
        *,
        sum(case when follows_previous_session then 0 else 1 end) over (
            partition by ticker order by session_date rows between unbounded preceding and current row
        ) as run_number
    from contiguity
),

windowed as (
    select
        *,
        case
            when follows_previous_session then ln(adj_close / nullif(lag(adj_close) over run_order, 0))
        end as log_return,
        avg(adj_close) over last_20 as moving_average_20d,
        count(*) over last_20 as sessions_in_20d,
        avg(adj_close) over last_50 as moving_average_50d,
        count(*) over last_50 as sessions_in_50d
    from runs
    window
        run_order as (partition by ticker, run_number order by session_date),
        last_20 as (partition by ticker, run_number order by session_date rows between 19 preceding and current row),
        last_50 as (partition by ticker, run_number order by session_date rows between 49 preceding and current row)
),

final as (
    select
        {{ surrogate_key(['ticker', 'session_date']) }} as daily_key,
        ticker,
        session_date,
        bar_source,
        open_price,
        high_price,
        low_price,
        close_price,
        volume,
        session_vwap,
        adj_close,
        reported_adj_close,
        dividend_adjustment,
        close_price * split_multiplier as as_traded_close,
        log_return,
        case when sessions_in_20d = 20 then moving_average_20d end as moving_average_20d,
        case when sessions_in_50d = 50 then moving_average_50d end as moving_average_50d,
        stddev_samp(log_return) over (
            partition by ticker, run_number order by session_date rows between 19 preceding and current row
        ) as volatility_20d
    from windowed
),

{% if is_incremental() %}
    -- the first session whose adjustment (a dividend or split loaded late) differs from the one stored
    first_readjusted as (
        select min(final.session_date) as session_date
        from final
        inner join built on final.daily_key = built.daily_key
        where
            final.dividend_adjustment is distinct from built.dividend_adjustment
            or final.as_traded_close is distinct from built.as_traded_close
    ),
{% endif %}

rebuilt as (
    select
        final.daily_key,
        final.ticker,
        final.session_date,
        final.bar_source,
        final.open_price,
        final.high_price,
        final.low_price,
        final.close_price,
        final.volume,
        final.session_vwap,
        final.adj_close,
        final.reported_adj_close,
        final.dividend_adjustment,
        final.as_traded_close,
        final.log_return,
        final.moving_average_20d,
        final.moving_average_50d,
        final.volatility_20d,
        {%- if is_incremental() %}
            greatest(
                coalesce(sessions_loaded.source_load_id, ''), coalesce(built.source_load_id, '')
            ) as source_load_id
        {%- else %}
            sessions_loaded.source_load_id
        {%- endif %}
    from final
    left join sessions_loaded on final.session_date = sessions_loaded.session_date
    {%- if is_incremental() %}
        left join built on final.daily_key = built.daily_key
        cross join first_readjusted
        where
            final.session_date >= {{ first_session }}
            or final.session_date >= first_readjusted.session_date
    {%- endif %}
)

select * from rebuilt
