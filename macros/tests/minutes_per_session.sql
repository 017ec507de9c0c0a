{#- One-minute bars per ticker and regular session against the session's length from exchange-calendars (390
    minutes, 210 on a half day). Fails a (ticker, session) with more bars than minutes, on a day that is not a
    session, or with fewer than min_fraction of the session's minutes. -#}
{% test minutes_per_session(model, min_fraction=0.0, ticker_column='ticker', session_column='session_date') %}
    with

    counted as (
        select
            bars.{{ ticker_column }} as ticker,
            bars.{{ session_column }} as session_date,
            tickers.exchange_calendar,
            count(*) as minutes
        from {{ model }} as bars
        inner join {{ ref('dim_markets_ticker') }} as tickers on bars.{{ ticker_column }} = tickers.ticker
        group by bars.{{ ticker_column }}, bars.{{ session_column }}, tickers.exchange_calendar
    )

    select
        counted.*,
        sessions.session_minutes
    from counted
    left join {{ ref('exchange_sessions') }} as sessions
        on counted.exchange_calendar = sessions.exchange_calendar and counted.session_date = sessions.session_date
    where
        sessions.session_minutes is null
        or counted.minutes > sessions.session_minutes
        or counted.minutes < {{ min_fraction }} * sessions.session_minutes
{% endtest %}
