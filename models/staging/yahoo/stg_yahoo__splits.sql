with

source as (
    select * from {{ source('yahoo', 'splits') }}
),

deduped as (
    {{ dedupe('source', ['ticker', 'ex_ts'], '_fetched_at desc') }}
),

renamed as (
    select
        ticker,
        cast(ex_ts as {{ type_timestamptz() }}) as ex_ts_utc,
        {{ to_utc_date('ex_ts') }} as ex_date,
        cast(numerator as double) as split_numerator,
        cast(denominator as double) as split_denominator,
        cast(numerator as double) / cast(denominator as double) as split_ratio
    from deduped
)

select * from renamed
