with

source as (
    select * from {{ source('hkjc', 'history_races') }}
),

going_words as (
    select * from {{ ref('hkjc_going') }}
),

surfaces as (
    select * from {{ ref('hkjc_surfaces') }}
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
        going as going_published,
        cast(cast(surface_code as integer) as {{ dbt.type_string() }}) as surface_published,
        course as course_config,
        cast(prize_hkd as bigint) as prize_hkd
    from deduped
),

-- the dataset's going words (English) and surface codes (0 turf, 1 all weather) to codes from the seeds; a going
-- the seed does not list is kept as published, upper-cased
coded as (
    select
        renamed.history_race_id,
        renamed.race_date,
        renamed.racecourse,
        renamed.race_no,
        renamed.race_class,
        renamed.distance_m,
        renamed.rating_band,
        coalesce(going_words.going, upper(renamed.going_published)) as going,
        surfaces.surface,
        renamed.course_config,
        renamed.prize_hkd
    from renamed
    left join going_words on upper(renamed.going_published) = upper(going_words.published_word)
    left join surfaces
        on
            renamed.surface_published = surfaces.published_word
            and surfaces.language = 'kaggle'
)

select * from coded
