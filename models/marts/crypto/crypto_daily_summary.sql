with

prices as (
    select * from {{ ref('fct_crypto_prices') }}
),

assets as (
    select * from {{ ref('stg_coincap__assets') }}
),

ordered as (
    select
        asset_id,
        price_source,
        price_date,
        price_usd,
        -- a bar (Yahoo) carries its own open, high and low; a point price (CoinCap) is its own open, high and low
        coalesce(open_usd, price_usd) as bar_open_usd,
        coalesce(high_usd, price_usd) as bar_high_usd,
        coalesce(low_usd, price_usd) as bar_low_usd,
        row_number() over (
            partition by asset_id, price_source, price_date order by price_at
        ) as row_from_open,
        row_number() over (
            partition by asset_id, price_source, price_date order by price_at desc
        ) as row_from_close
    from prices
),

daily as (
    select
        asset_id,
        price_source,
        price_date,
        max(case when row_from_open = 1 then bar_open_usd end) as open_usd,
        max(bar_high_usd) as high_usd,
        min(bar_low_usd) as low_usd,
        max(case when row_from_close = 1 then price_usd end) as close_usd,
        avg(price_usd) as mean_usd,
        count(*) as price_points,
        {{ dbt.datediff("cast('1970-01-01' as date)", 'price_date', 'day') }} as day_number  -- noqa: LT05
    from ordered
    group by asset_id, price_source, price_date
),

daily_snapshot as (
    select
        asset_id,
        {{ to_utc_date('snapshot_at') }} as snapshot_date,
        market_cap_usd,
        row_number() over (
            partition by asset_id, {{ to_utc_date('snapshot_at') }} order by snapshot_at desc
        ) as row_in_day
    from assets
),

market_cap_ranks as (
    select
        asset_id,
        snapshot_date,
        market_cap_usd,
        rank() over (partition by snapshot_date order by market_cap_usd desc) as market_cap_rank
    from daily_snapshot
    where row_in_day = 1 and market_cap_usd is not null
),

windowed as (
    select
        *,
        avg(close_usd) over (
            partition by asset_id, price_source order by day_number
            range between 6 preceding and current row
        ) as rolling_mean_7d_usd,
        avg(close_usd) over (
            partition by asset_id, price_source order by day_number
            range between 29 preceding and current row
        ) as rolling_mean_30d_usd,
        lag(close_usd) over (partition by asset_id, price_source order by day_number) as previous_close_usd,
        lag(day_number) over (partition by asset_id, price_source order by day_number) as previous_day_number
    from daily
),

final as (
    select
        {{ surrogate_key(['windowed.asset_id', 'windowed.price_source', 'windowed.price_date']) }} as summary_key,
        windowed.asset_id,
        windowed.price_source,
        windowed.price_date,
        windowed.open_usd,
        windowed.high_usd,
        windowed.low_usd,
        windowed.close_usd,
        windowed.mean_usd,
        windowed.price_points,
        windowed.rolling_mean_7d_usd,
        windowed.rolling_mean_30d_usd,
        market_cap_ranks.market_cap_usd,
        market_cap_ranks.market_cap_rank,
        case
            when windowed.previous_day_number = windowed.day_number - 1 and windowed.previous_close_usd != 0
                then windowed.close_usd / windowed.previous_close_usd - 1
        end as change_1d_fraction
    from windowed
    left join market_cap_ranks
        on
            windowed.asset_id = market_cap_ranks.asset_id
            and windowed.price_date = market_cap_ranks.snapshot_date
)

select * from final
