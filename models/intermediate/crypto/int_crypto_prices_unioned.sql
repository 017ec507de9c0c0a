-- One row per asset, price source, interval and timestamp, from every source of crypto prices. Bars (Yahoo) keep
-- their open, high and low; point prices (CoinCap history and snapshots) have none, so those columns are null.
with

coincap_history as (
    select * from {{ ref('stg_coincap__asset_history') }}
),

coincap_assets as (
    select * from {{ ref('stg_coincap__assets') }}
),

yahoo_bars as (
    select * from {{ ref('stg_yahoo__bars') }}
),

crypto_tickers as (
    select * from {{ ref('yahoo_tickers') }}
    where asset_class = 'crypto' and crypto_asset_id is not null
),

coincap_prices as (
    select
        asset_id,
        'coincap' as price_source,
        history_interval as price_interval,
        price_at,
        cast(null as double) as open_usd,
        cast(null as double) as high_usd,
        cast(null as double) as low_usd,
        price_usd,
        cast(null as double) as volume_usd
    from coincap_history
),

coincap_snapshot_prices as (
    select
        asset_id,
        'coincap' as price_source,
        'snapshot' as price_interval,
        snapshot_at as price_at,
        cast(null as double) as open_usd,
        cast(null as double) as high_usd,
        cast(null as double) as low_usd,
        price_usd,
        volume_usd_24h as volume_usd
    from coincap_assets
    where price_usd is not null
),

yahoo_prices as (
    -- Yahoo crypto tickers quoted in USD (BTC-USD) are a second price source; their volume is in USD
    select
        crypto_tickers.crypto_asset_id as asset_id,
        'yahoo' as price_source,
        yahoo_bars.bar_interval as price_interval,
        yahoo_bars.ts_utc as price_at,
        yahoo_bars.open_price as open_usd,
        yahoo_bars.high_price as high_usd,
        yahoo_bars.low_price as low_usd,
        yahoo_bars.close_price as price_usd,
        cast(yahoo_bars.volume as double) as volume_usd
    from yahoo_bars
    inner join crypto_tickers on yahoo_bars.ticker = crypto_tickers.ticker
    where yahoo_bars.is_in_requested_range
),

unioned as (
    select * from coincap_prices
    union all
    select * from coincap_snapshot_prices
    union all
    select * from yahoo_prices
)

select * from unioned
