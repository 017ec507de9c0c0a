{% snapshot coincap_assets_history %}
    {#- CoinCap's asset metadata (symbol, name, supply cap, explorer) can change upstream; prices and ranks are facts
        (fct_crypto_prices). The latest snapshot of each asset is tracked. Off on Spark, as yahoo_instruments_history. -#}
    {{ config(
        unique_key='id',
        strategy='check',
        check_cols=['symbol', 'asset_name', 'max_supply', 'explorer_url'],
        enabled=target.type != 'spark',
    ) }}

    with

    assets as (
        select * from {{ source('coincap', 'assets') }}
    ),

    latest as (
        {{ dedupe('assets', ['id'], 'snapshot_at desc, _fetched_at desc') }}
    )

    select
        id,
        symbol,
        name as asset_name,
        max_supply,
        explorer as explorer_url,
        snapshot_at as seen_at
    from latest
{% endsnapshot %}
