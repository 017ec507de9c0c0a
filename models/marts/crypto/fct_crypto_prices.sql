with

prices as (
    select * from {{ ref('int_crypto_prices_unioned') }}
),

final as (
    select
        {{ surrogate_key([
            'asset_id', 'price_source', 'price_interval', epoch_microseconds('price_at'),
        ]) }} as price_key,
        asset_id,
        price_source,
        price_interval,
        price_at,
        {{ to_utc_date('price_at') }} as price_date,
        open_usd,
        high_usd,
        low_usd,
        price_usd,
        volume_usd
    from prices
)

select * from final
