with

dividends as (
    select * from {{ ref('stg_hkjc__dividends') }}
),

final as (
    select
        {{ surrogate_key(['race_date', 'racecourse', 'race_no', 'pool', 'line_no']) }} as dividend_key,
        {{ surrogate_key(['race_date', 'racecourse', 'race_no']) }} as race_key,
        race_date,
        racecourse,
        race_no,
        pool,
        pool_published,
        line_no,
        winning_combination,
        dividend_hkd,
        is_refund
    from dividends
)

select * from final
