with

source as (
    select * from {{ source('jolpica', 'results') }}
),

deduped as (
    {{ dedupe('source', ['season', 'round', 'session', 'driver_id'], '_fetched_at desc') }}
),

renamed as (
    select
        cast(season as integer) as season,
        cast(round as integer) as round_number,
        session as session_type,
        driver_id,
        constructor_id,
        number as car_number,
        cast(grid as integer) as grid,
        -- Jolpica's `position` is the classification order for every car; positionText says whether it finished
        case
            when {{ regex_matches('position_text', "'^[0-9]+$'") }} then cast(position as integer)
        end as finish_position,
        position_text,
        cast(position as integer) as position_order,
        cast(points as double) as points,
        cast(laps as integer) as laps,
        cast(time_millis as bigint) as race_time_ms,
        cast(fastest_lap as integer) as fastest_lap,
        fastest_lap_time,
        status as status_text,
        _dlt_load_id as dlt_load_id
    from deduped
)

select * from renamed
