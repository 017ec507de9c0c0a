with

assets as (
    select * from {{ ref('stg_coincap__assets') }}
),

prices as (
    select * from {{ ref('int_crypto_prices_unioned') }}
),

markets as (
    select * from {{ ref('stg_coincap__markets') }}
),

known_ids as (
    select asset_id from assets
    union
    select asset_id from prices
    union
    select base_asset_id as asset_id from markets
),

latest_snapshot as (
    {{ dedupe('assets', ['asset_id'], 'snapshot_at desc') }}
),

seen as (
    select
        asset_id,
        min(snapshot_at) as first_snapshot_at,
        max(snapshot_at) as last_snapshot_at
    from assets
    group by asset_id
),

final as (
    select
        known_ids.asset_id,
        latest_snapshot.symbol,
        latest_snapshot.asset_name,
        latest_snapshot.market_cap_rank,
        latest_snapshot.supply,
        latest_snapshot.max_supply,
        latest_snapshot.market_cap_usd,
        latest_snapshot.price_usd,
        latest_snapshot.explorer_url,
        seen.first_snapshot_at,
        seen.last_snapshot_at,
        latest_snapshot.asset_id is not null as has_snapshot
    from known_ids
    left join latest_snapshot on known_ids.asset_id = latest_snapshot.asset_id
    left join seen on known_ids.asset_id = seen.asset_id
)

select * from final
