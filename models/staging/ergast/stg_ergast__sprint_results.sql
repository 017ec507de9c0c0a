with

source as (
    select * from {{ source('ergast', 'sprint_results') }}
),

deduped as (
    {{ dedupe('source', ['result_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(result_id as bigint) as ergast_result_id,
        cast(race_id as bigint) as ergast_race_id,
        cast(driver_id as bigint) as ergast_driver_id,
        cast(constructor_id as bigint) as ergast_constructor_id,
        'sprint' as session_type,
        number as car_number,
        cast(grid as integer) as grid,
        cast(position as integer) as finish_position,
        position_text,
        cast(position_order as integer) as position_order,
        cast(points as double) as points,
        cast(laps as integer) as laps,
        cast(milliseconds as bigint) as race_time_ms,
        cast(fastest_lap as integer) as fastest_lap,
        fastest_lap_time,
        cast(status_id as bigint) as ergast_status_id
    from deduped
)

select * from renamed
