with

source as (
    select * from {{ source('hkjc', 'history_runs') }}
),

deduped as (
    {{ dedupe('source', ['race_id', 'horse_no'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(race_id as bigint) as history_race_id,
        cast(horse_no as integer) as horse_no,
        cast(horse_id as bigint) as history_horse_id,
        cast(jockey_id as bigint) as history_jockey_id,
        cast(trainer_id as bigint) as history_trainer_id,
        cast(finish_position as integer) as finish_position,
        cast(lbw_lengths as double) as lbw_lengths,
        cast(actual_weight_lb as integer) as actual_weight_lb,
        cast(round(declared_weight_lb) as integer) as declared_weight_lb,  -- round, not truncate, on every engine
        cast(draw as integer) as draw,
        cast(finish_time_seconds as double) as finish_time_seconds,
        cast(win_odds as double) as win_odds,
        concat_ws(
            ' ',
            {% for n in range(1, 7) -%}
                cast(cast(position_sec{{ n }} as integer) as {{ dbt.type_string() }}){% if not loop.last %},{% endif %}
            {% endfor -%}
        ) as running_positions
    from deduped
)

select * from renamed
