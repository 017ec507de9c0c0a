with

source as (
    select * from {{ source('coincap', 'asset_history') }}
),

deduped as (
    {{ dedupe('source', ['asset_id', 'interval', adapter.quote('time')], '_fetched_at desc') }}
),

renamed as (
    select
        asset_id,
        {{ adapter.quote('interval') }} as history_interval,  -- noqa: RF06
        cast({{ adapter.quote('time') }} as {{ type_timestamptz() }}) as price_at,  -- noqa: RF06
        cast(price_usd as double) as price_usd,
        cast(circulating_supply as double) as circulating_supply,
        cast(_fetched_at as {{ type_timestamptz() }}) as fetched_at
    from deduped
)

select * from renamed
