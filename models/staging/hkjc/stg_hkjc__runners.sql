with

source as (
    select * from {{ source('hkjc', 'runners') }}
),

racecourses as (
    select * from {{ ref('racecourses') }}
),

dead_heat_marks as (
    select * from {{ ref('hkjc_dead_heat_marks') }}
),

margins as (
    select * from {{ ref('hkjc_margins') }}
),

placing_codes as (
    select * from {{ ref('hkjc_placing_codes') }}
),

renamed as (
    select
        cast(race_date as date) as race_date,
        racecourse_published,
        cast(race_no as integer) as race_no,
        horse_code,
        cast(horse_no as integer) as horse_no,
        {{ adapter.quote('placing') }},
        horse_name,
        horse_id as hkjc_horse_id,
        jockey_name,
        jockey_code,
        trainer_name,
        trainer_code,
        cast(actual_weight_lb as integer) as actual_weight_lb,
        cast(declared_weight_lb as integer) as declared_weight_lb,
        cast(draw as integer) as draw,
        lbw,
        running_positions,
        cast(finish_time_seconds as double) as finish_time_seconds,
        cast(win_odds as double) as win_odds,
        _fetched_at
    from source
),

-- a placing as published is a number, maybe followed by a mark ('2 DH', '2 平頭馬'), or a special placing ('WV')
placing_parts as (
    select
        renamed.*,
        nullif(regexp_extract(renamed.{{ adapter.quote('placing') }}, '^[0-9]+', 0), '') as placing_number,
        upper(trim(regexp_replace(renamed.{{ adapter.quote('placing') }}, '^[0-9]+', ''))) as placing_mark
    from renamed
),

-- the page's words (English or Chinese) to codes: the racecourse, and whether the placing's mark is a dead heat
coded as (
    select
        placing_parts.*,
        racecourses.racecourse,
        dead_heat_marks.published_word is not null as has_dead_heat_mark
    from placing_parts
    left join racecourses
        on
            upper(placing_parts.racecourse_published)
            in (upper(racecourses.racecourse_name), upper(racecourses.racecourse_name_zh))
    left join dead_heat_marks
        on
            placing_parts.placing_mark != ''
            and placing_parts.placing_mark = upper(dead_heat_marks.published_word)
),

-- a number alone, or with a dead-heat mark, is a finishing position; a number with another mark is not
positioned as (
    select
        coded.*,
        case
            when coded.placing_number is not null and (coded.placing_mark = '' or coded.has_dead_heat_mark)
                then cast(coded.placing_number as integer)
        end as finish_position,
        coalesce(coded.placing_number is not null and coded.has_dead_heat_mark, false) as is_dead_heat
    from coded
),

-- lengths behind the winner for a finisher: a named margin from the seed ('-', 'SH', '短馬頭位' ...), a fraction
-- ('3/4', '1-1/4') or a number ('11'); anything else ('---') is null
measured as (
    select
        positioned.*,
        case
            when positioned.finish_position is null then null
            when margins.lengths_behind is not null then margins.lengths_behind
            when {{ regex_matches('positioned.lbw', "'^([0-9]+-)?[0-9]+/[0-9]+$'") }}
                then
                    coalesce(cast(nullif(regexp_extract(positioned.lbw, '^([0-9]+)-', 1), '') as double), 0)
                    + cast(regexp_extract(positioned.lbw, '([0-9]+)/', 1) as double)
                    / cast(regexp_extract(positioned.lbw, '/([0-9]+)$', 1) as double)
            when {{ regex_matches('positioned.lbw', "'^[0-9]+([.][0-9]+)?$'") }} then cast(positioned.lbw as double)
        end as lbw_lengths
    from positioned
    left join margins on upper(positioned.lbw) = upper(margins.published_word)
),

-- an English and a Chinese page of the same race are one race
deduped as (
    {{ dedupe('measured', ['race_date', 'racecourse', 'race_no', 'horse_code'], '_fetched_at desc') }}
),

-- a numeric placing is a starter; a special placing (WV, TNP, PU, ...) says so in the seed
final as (
    select
        deduped.race_date,
        deduped.racecourse,
        deduped.race_no,
        deduped.horse_code,
        deduped.horse_no,
        deduped.{{ adapter.quote('placing') }},
        deduped.finish_position,
        deduped.is_dead_heat,
        deduped.horse_name,
        deduped.hkjc_horse_id,
        deduped.jockey_name,
        deduped.jockey_code,
        deduped.trainer_name,
        deduped.trainer_code,
        deduped.actual_weight_lb,
        deduped.declared_weight_lb,
        deduped.draw,
        deduped.lbw,
        deduped.lbw_lengths,
        deduped.running_positions,
        deduped.finish_time_seconds,
        deduped.win_odds,
        case
            when deduped.finish_position is not null then true
            else placing_codes.is_starter
        end as is_starter,
        coalesce(placing_codes.is_withdrawn, false) as is_withdrawn
    from deduped
    left join placing_codes on deduped.{{ adapter.quote('placing') }} = placing_codes.placing_code
)

select * from final
