with

source as (
    select * from {{ source('hkjc', 'history_races') }}
),

deduped as (
    {{ dedupe('source', ['race_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(race_id as bigint) as history_race_id,
        cast(race_date as date) as race_date,
        racecourse,
        cast(race_no as integer) as race_no,
        'Class ' || race_class as race_class,
        cast(distance_m as integer) as distance_m,
        rating_band,
        upper(going) as going,
        case cast(surface_code as integer) when 0 then 'TURF' when 1 then 'ALL WEATHER TRACK' end as surface,
        course as course_config,
        cast(prize_hkd as bigint) as prize_hkd
    from deduped
)

select * from renamed
