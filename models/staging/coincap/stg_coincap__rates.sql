with

source as (
    select * from {{ source('coincap', 'rates') }}
),

deduped as (
    {{ dedupe('source', ['id', 'snapshot_at'], '_fetched_at desc') }}
),

renamed as (
    select
        id as rate_id,
        symbol,
        currency_symbol,
        type as rate_type,
        cast(rate_usd as double) as rate_usd,
        cast(snapshot_at as {{ type_timestamptz() }}) as snapshot_at,
        cast(_fetched_at as {{ type_timestamptz() }}) as fetched_at
    from deduped
)

select * from renamed
