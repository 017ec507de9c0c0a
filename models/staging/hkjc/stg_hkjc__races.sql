with

source as (
    select * from {{ source('hkjc', 'races') }}
),

deduped as (
    {{ dedupe('source', ['race_date', 'racecourse', 'race_no'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(race_date as date) as race_date,
        racecourse,
        cast(race_no as integer) as race_no,
        cast(race_index as integer) as race_index,
        race_class,
        cast(distance_m as integer) as distance_m,
        rating_band,
        going,
        surface,
        course as course_config,
        race_name,
        cast(prize_hkd as bigint) as prize_hkd,
        cast(race_time_seconds as double) as race_time_seconds,
        is_abandoned,
        page_language,
        _landing_path as landing_path
    from deduped
)

select * from renamed
