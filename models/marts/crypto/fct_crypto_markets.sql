with

markets as (
    select * from {{ ref('stg_coincap__markets') }}
),

final as (
    select
        {{ surrogate_key([
            'exchange_id', 'base_asset_id', 'quote_asset_id', epoch_microseconds('snapshot_at'),
        ]) }} as market_key,
        exchange_id,
        base_asset_id,
        base_symbol,
        quote_asset_id,
        quote_symbol,
        market_rank,
        price_quote,
        price_usd,
        volume_usd_24h,
        percent_exchange_volume,
        trades_count_24h,
        updated_at,
        snapshot_at
    from markets
)

select * from final
