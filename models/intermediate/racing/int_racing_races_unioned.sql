-- One row per race from either source: results pages win over the Kaggle history for the same race.
with

page_races as (
    select * from {{ ref('stg_hkjc__races') }}
),

history_races as (
    select * from {{ ref('stg_hkjc__history_races') }}
),

from_pages as (
    select
        race_date,
        racecourse,
        race_no,
        race_index,
        race_class,
        distance_m,
        rating_band,
        going,
        surface,
        course_config,
        race_name,
        prize_hkd,
        race_time_seconds,
        race_status,
        'hkjc_results_page' as data_source
    from page_races
),

from_history as (
    select
        history_races.race_date,
        history_races.racecourse,
        history_races.race_no,
        cast(null as integer) as race_index,
        history_races.race_class,
        history_races.distance_m,
        history_races.rating_band,
        history_races.going,
        history_races.surface,
        history_races.course_config,
        cast(null as {{ dbt.type_string() }}) as race_name,
        history_races.prize_hkd,
        cast(null as double) as race_time_seconds,
        'run' as race_status,
        'kaggle_hkracing' as data_source
    from history_races
    left join from_pages
        on
            history_races.race_date = from_pages.race_date
            and history_races.racecourse = from_pages.racecourse
            and history_races.race_no = from_pages.race_no
    where from_pages.race_no is null
),

unioned as (
    select * from from_pages
    union all
    select * from from_history
),

keyed as (
    select
        {{ surrogate_key(['race_date', 'racecourse', 'race_no']) }} as race_key,
        *
    from unioned
)

select * from keyed
