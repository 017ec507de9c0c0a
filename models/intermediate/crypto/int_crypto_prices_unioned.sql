-- One row per asset, price source, interval and timestamp, from every source of crypto prices.
with

coincap_history as (
    select * from {{ ref('stg_coincap__asset_history') }}
),

coincap_assets as (
    select * from {{ ref('stg_coincap__assets') }}
),

coincap_prices as (
    select
        asset_id,
        'coincap' as price_source,
        history_interval as price_interval,
        price_at,
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
        price_usd,
        volume_usd_24h as volume_usd
    from coincap_assets
    where price_usd is not null
),

unioned as (
    select * from coincap_prices
    union all
    select * from coincap_snapshot_prices
)

select * from unioned
