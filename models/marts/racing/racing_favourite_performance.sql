with

runs as (
    select * from {{ ref('fct_racing_runs') }}
),

favourites as (
    select
        racecourse,
        data_source,
        {{ dbt.date_trunc('year', 'race_date') }} as race_year,
        race_key,
        finish_position,
        implied_win_probability
    from runs
    where is_favourite and is_starter
),

final as (
    select
        {{ surrogate_key(['racecourse', 'data_source', 'race_year']) }} as favourite_performance_key,
        racecourse,
        data_source,
        cast(race_year as date) as race_year,
        count(distinct race_key) as races,
        count(*) as favourites,
        count(case when finish_position = 1 then 1 end) as favourite_wins,
        cast(count(case when finish_position = 1 then 1 end) as double) / count(*) as favourite_win_rate,
        avg(implied_win_probability) as mean_implied_probability,
        cast(count(case when finish_position = 1 then 1 end) as double) / count(*)
        - avg(implied_win_probability) as win_rate_minus_implied
    from favourites
    group by racecourse, data_source, race_year
)

select * from final
