with

stints as (
    select * from {{ ref('stg_openf1__stints') }}
),

drivers as (
    select * from {{ ref('int_f1_openf1_sessions_mapped') }}
),

final as (
    select
        {{ surrogate_key(['stints.session_key', 'stints.driver_number', 'stints.stint_number']) }} as stint_key,
        drivers.race_key,
        stints.session_key,
        drivers.driver_id,
        stints.driver_number,
        stints.stint_number,
        stints.first_lap,
        stints.last_lap,
        stints.last_lap - stints.first_lap + 1 as laps_in_stint,
        stints.tyre_compound,
        stints.tyre_age_at_start
    from stints
    left join drivers
        on stints.session_key = drivers.session_key and stints.driver_number = drivers.driver_number
)

select * from final
