with

source as (
    select * from {{ source('yahoo', 'dividends') }}
),

deduped as (
    {{ dedupe('source', ['ticker', 'ex_ts'], '_fetched_at desc') }}
),

renamed as (
    select
        ticker,
        cast(ex_ts as {{ type_timestamptz() }}) as ex_ts_utc,
        {{ to_utc_date('ex_ts') }} as ex_date,
        cast(amount as double) as dividend_amount
    from deduped
)

select * from renamed
