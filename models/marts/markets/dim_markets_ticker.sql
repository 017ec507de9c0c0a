with

tickers as (
    select * from {{ ref('int_markets_tickers_mapped_to_calendars') }}
),

final as (
    select
        ticker,
        exchange_calendar,
        asset_class,
        crypto_asset_id,
        currency,
        long_name,
        is_in_universe
    from tickers
)

select * from final
