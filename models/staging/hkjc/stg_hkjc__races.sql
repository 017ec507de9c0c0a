with

source as (
    select * from {{ source('hkjc', 'races') }}
),

race_statuses as (
    select * from {{ ref('hkjc_race_statuses') }}
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
        race_notice,
        page_language,
        _landing_path as landing_path
    from deduped
),

-- the status a notice's words mean; a page with no notice is a race that was run
notice_statuses as (
    select
        renamed.race_date,
        renamed.racecourse,
        renamed.race_no,
        min(race_statuses.race_status) as race_status
    from renamed
    inner join race_statuses
        on lower(renamed.race_notice) like '%' || lower(race_statuses.published_word) || '%'
    group by renamed.race_date, renamed.racecourse, renamed.race_no
),

statused as (
    select
        renamed.*,
        case when renamed.race_notice is null then 'run' else notice_statuses.race_status end as race_status
    from renamed
    left join notice_statuses
        on
            renamed.race_date = notice_statuses.race_date
            and renamed.racecourse = notice_statuses.racecourse
            and renamed.race_no = notice_statuses.race_no
)

select * from statused
