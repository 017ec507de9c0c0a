with

source as (
    select * from {{ source('coincap', 'assets') }}
),

deduped as (
    {{ dedupe('source', ['id', 'snapshot_at'], '_fetched_at desc') }}
),

renamed as (
    select
        id as asset_id,
        symbol,
        name as asset_name,
        cast(rank as integer) as market_cap_rank,
        cast(supply as double) as supply,
        cast(max_supply as double) as max_supply,
        cast(market_cap_usd as double) as market_cap_usd,
        cast(volume_usd_24hr as double) as volume_usd_24h,
        cast(price_usd as double) as price_usd,
        cast(change_percent_24hr as double) as change_percent_24h,
        cast(vwap_24hr as double) as vwap_24h,
        explorer as explorer_url,
        cast(snapshot_at as {{ type_timestamptz() }}) as snapshot_at,
        cast(_fetched_at as {{ type_timestamptz() }}) as fetched_at
    from deduped
)

select * from renamed
