with

source as (
    select * from {{ source('hkjc', 'dividends') }}
),

racecourses as (
    select * from {{ ref('racecourses') }}
),

pools as (
    select * from {{ ref('hkjc_pools') }}
),

refund_words as (
    select * from {{ ref('hkjc_refund_words') }}
),

renamed as (
    select
        cast(race_date as date) as race_date,
        racecourse_published,
        cast(race_no as integer) as race_no,
        pool_published,
        cast(line_no as integer) as line_no,
        winning_combination,
        cast(dividend_hkd as double) as dividend_hkd,
        dividend_published,
        _fetched_at
    from source
),

-- the page's words (English or Chinese) to codes, case-insensitively; a pool the seed does not list (a numbered
-- double such as 第一口孖寶 or 6TH DOUBLE) keeps its published name, upper-cased
coded as (
    select
        renamed.*,
        racecourses.racecourse,
        coalesce(pools.pool, upper(renamed.pool_published)) as pool,
        refund_words.published_word is not null as is_refund
    from renamed
    left join racecourses
        on
            upper(renamed.racecourse_published)
            in (upper(racecourses.racecourse_name), upper(racecourses.racecourse_name_zh))
    left join pools on upper(renamed.pool_published) = upper(pools.published_word)
    left join refund_words on upper(renamed.dividend_published) = upper(refund_words.published_word)
),

deduped as (
    {{ dedupe('coded', ['race_date', 'racecourse', 'race_no', 'pool', 'line_no'], '_fetched_at desc') }}
),

final as (
    select
        race_date,
        racecourse,
        race_no,
        pool,
        pool_published,
        line_no,
        winning_combination,
        dividend_hkd,
        dividend_published,
        is_refund
    from deduped
)

select * from final
