with

source as (
    select * from {{ source('hkjc', 'races') }}
),

racecourses as (
    select * from {{ ref('racecourses') }}
),

race_classes as (
    select * from {{ ref('hkjc_race_classes') }}
),

going_words as (
    select * from {{ ref('hkjc_going') }}
),

surfaces as (
    select * from {{ ref('hkjc_surfaces') }}
),

race_statuses as (
    select * from {{ ref('hkjc_race_statuses') }}
),

renamed as (
    select
        cast(race_date as date) as race_date,
        racecourse_published,
        cast(race_no as integer) as race_no,
        cast(race_index as integer) as race_index,
        race_class_published,
        cast(distance_m as integer) as distance_m,
        rating_band,
        going_published,
        surface_published,
        course as course_config,
        race_name,
        cast(prize_hkd as bigint) as prize_hkd,
        cast(race_time_seconds as double) as race_time_seconds,
        race_notice,
        page_language,
        _landing_path as landing_path,
        _fetched_at
    from source
),

-- the page's words (English or Chinese) to codes, case-insensitively; a class or going the seeds do not list is kept
-- as published (upper-cased going), a racecourse or surface they do not list is null (a failing test)
coded as (
    select
        renamed.*,
        racecourses.racecourse,
        coalesce(race_classes.race_class, renamed.race_class_published) as race_class,
        coalesce(going_words.going, upper(renamed.going_published)) as going,
        surfaces.surface
    from renamed
    left join racecourses
        on
            upper(renamed.racecourse_published)
            in (upper(racecourses.racecourse_name), upper(racecourses.racecourse_name_zh))
    left join race_classes on upper(renamed.race_class_published) = upper(race_classes.published_word)
    left join going_words on upper(renamed.going_published) = upper(going_words.published_word)
    left join surfaces
        on
            upper(renamed.surface_published) = upper(surfaces.published_word)
            and surfaces.language in ('en', 'zh')
),

-- an English and a Chinese page of the same race are one race
deduped as (
    {{ dedupe('coded', ['race_date', 'racecourse', 'race_no'], '_fetched_at desc') }}
),

-- the status a notice's words mean; a page with no notice is a race that was run
notice_statuses as (
    select
        deduped.race_date,
        deduped.racecourse,
        deduped.race_no,
        min(race_statuses.race_status) as race_status
    from deduped
    inner join race_statuses
        on lower(deduped.race_notice) like '%' || lower(race_statuses.published_word) || '%'
    group by deduped.race_date, deduped.racecourse, deduped.race_no
),

statused as (
    select
        deduped.race_date,
        deduped.racecourse,
        deduped.race_no,
        deduped.race_index,
        deduped.race_class,
        deduped.distance_m,
        deduped.rating_band,
        deduped.going,
        deduped.surface,
        deduped.course_config,
        deduped.race_name,
        deduped.prize_hkd,
        deduped.race_time_seconds,
        deduped.race_notice,
        deduped.page_language,
        deduped.landing_path,
        case when deduped.race_notice is null then 'run' else notice_statuses.race_status end as race_status
    from deduped
    left join notice_statuses
        on
            deduped.race_date = notice_statuses.race_date
            and deduped.racecourse = notice_statuses.racecourse
            and deduped.race_no = notice_statuses.race_no
)

select * from statused
