with

source as (
    select * from {{ source('hkjc', 'runners') }}
),

placing_codes as (
    select * from {{ ref('hkjc_placing_codes') }}
),

deduped as (
    {{ dedupe('source', ['race_date', 'racecourse', 'race_no', 'horse_code'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(race_date as date) as race_date,
        racecourse,
        cast(race_no as integer) as race_no,
        horse_code,
        cast(horse_no as integer) as horse_no,
        {{ adapter.quote('placing') }},
        cast(finish_position as integer) as finish_position,
        is_dead_heat,
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
        cast(lbw_lengths as double) as lbw_lengths,
        running_positions,
        cast(finish_time_seconds as double) as finish_time_seconds,
        cast(win_odds as double) as win_odds
    from deduped
),

-- a numeric placing is a starter; a special placing (WV, TNP, PU, ...) says so in the seed
coded as (
    select
        renamed.*,
        case
            when renamed.finish_position is not null then true
            else placing_codes.is_starter
        end as is_starter,
        coalesce(placing_codes.is_withdrawn, false) as is_withdrawn
    from renamed
    left join placing_codes on renamed.{{ adapter.quote('placing') }} = placing_codes.placing_code
)

select * from coded
