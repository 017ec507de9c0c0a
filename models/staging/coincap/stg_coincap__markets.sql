with

source as (
    select * from {{ source('coincap', 'markets') }}
),

deduped as (
    {{ dedupe('source', ['exchange_id', 'base_id', 'quote_id', 'snapshot_at'], '_fetched_at desc') }}
),

renamed as (
    select
        exchange_id,
        base_id as base_asset_id,
        base_symbol,
        quote_id as quote_asset_id,
        quote_symbol,
        cast(rank as integer) as market_rank,
        cast(price_quote as double) as price_quote,
        cast(price_usd as double) as price_usd,
        cast(volume_usd_24hr as double) as volume_usd_24h,
        cast(percent_exchange_volume as double) as percent_exchange_volume,
        cast(trades_count_24hr as bigint) as trades_count_24h,
        cast(updated_at as {{ type_timestamptz() }}) as updated_at,
        cast(snapshot_at as {{ type_timestamptz() }}) as snapshot_at,
        cast(_fetched_at as {{ type_timestamptz() }}) as fetched_at
    from deduped
)

select * from renamed
