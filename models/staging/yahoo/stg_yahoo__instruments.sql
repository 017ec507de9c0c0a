with

source as (
    select * from {{ source('yahoo', 'instruments') }}
),

deduped as (
    {{ dedupe('source', ['ticker'], '_fetched_at desc') }}
),

renamed as (
    select
        ticker,
        currency,
        exchange_name as yahoo_exchange_code,
        full_exchange_name,
        lower(instrument_type) as instrument_type,
        exchange_timezone_name,
        cast(gmtoffset as integer) as gmt_offset_seconds,
        long_name,
        short_name,
        cast(first_trade_date as {{ type_timestamptz() }}) as first_trade_at,
        data_granularity
    from deduped
)

select * from renamed
