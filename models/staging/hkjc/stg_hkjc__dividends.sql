with

source as (
    select * from {{ source('hkjc', 'dividends') }}
),

refund_words as (
    select * from {{ ref('hkjc_refund_words') }}
),

deduped as (
    {{ dedupe('source', ['race_date', 'racecourse', 'race_no', 'pool', 'line_no'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(race_date as date) as race_date,
        racecourse,
        cast(race_no as integer) as race_no,
        pool,
        pool_published,
        cast(line_no as integer) as line_no,
        winning_combination,
        cast(dividend_hkd as double) as dividend_hkd,
        dividend_published
    from deduped
),

coded as (
    select
        renamed.*,
        refund_words.published_word is not null as is_refund
    from renamed
    left join refund_words on upper(renamed.dividend_published) = upper(refund_words.published_word)
)

select * from coded
