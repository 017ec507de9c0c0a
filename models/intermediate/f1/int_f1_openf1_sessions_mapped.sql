-- One row per OpenF1 race session and driver number, mapped to the championship race (by date) and to Ergast's
-- driver id (by the car number the driver raced with in that race).
with

laps as (
    select * from {{ ref('stg_openf1__laps') }}
),

stints as (
    select * from {{ ref('stg_openf1__stints') }}
),

races as (
    select * from {{ ref('int_f1_races_reconciled') }}
),

results as (
    select * from {{ ref('int_f1_results_reconciled') }}
    where session_type = 'race'
),

session_drivers as (
    select
        session_key,
        driver_number,
        min(lap_started_at) as first_seen_at
    from laps
    group by session_key, driver_number
    union all
    select
        session_key,
        driver_number,
        cast(null as {{ type_timestamptz() }}) as first_seen_at
    from stints
),

session_dates as (
    select
        session_key,
        {{ to_utc_date('min(lap_started_at)') }} as session_date
    from laps
    group by session_key
),

mapped as (
    select distinct
        session_drivers.session_key,
        session_drivers.driver_number,
        races.race_key,
        races.season,
        races.round_number,
        results.driver_id
    from session_drivers
    inner join session_dates on session_drivers.session_key = session_dates.session_key
    inner join races on session_dates.session_date = races.race_date
    left join results
        on
            races.race_key = results.race_key
            and cast(session_drivers.driver_number as {{ dbt.type_string() }}) = results.car_number
)

select * from mapped
