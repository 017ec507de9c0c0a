{{ config(**incremental_config(partition_by='season')) }}

with

api_laps as (
    select * from {{ ref('stg_jolpica__laps') }}
),

openf1_laps as (
    select * from {{ ref('stg_openf1__laps') }}
),

openf1_drivers as (
    select * from {{ ref('int_f1_openf1_sessions_mapped') }}
),

openf1_stints as (
    select * from {{ ref('stg_openf1__stints') }}
),

api_results as (
    select * from {{ ref('stg_jolpica__results') }}
),

openf1_sessions as (
    select distinct
        session_key,
        season
    from openf1_drivers
),

-- what a season's laps are built from: its laps from both APIs, and the OpenF1 stints and race results that map
-- OpenF1's car numbers to drivers
season_loads as (
    select
        season,
        dlt_load_id
    from api_laps
    union all
    select
        api_results.season,
        api_results.dlt_load_id
    from api_results
    union all
    select
        openf1_sessions.season,
        openf1_laps.dlt_load_id
    from openf1_laps
    inner join openf1_sessions on openf1_laps.session_key = openf1_sessions.session_key
    union all
    select
        openf1_sessions.season,
        openf1_stints.dlt_load_id
    from openf1_stints
    inner join openf1_sessions on openf1_stints.session_key = openf1_sessions.session_key
),

-- every season holding rows loaded since the last build, however old (a backfill), is rebuilt whole
seasons_to_build as (
    {{ partitions_loaded_since('season_loads', 'season') }}
),

from_api as (
    select
        {{ surrogate_key(['season', 'round_number']) }} as race_key,
        season,
        round_number,
        driver_id,
        lap_number,
        lap_time_ms,
        position_at_lap_end
    from api_laps
),

from_openf1 as (
    select
        openf1_drivers.race_key,
        openf1_drivers.season,
        openf1_drivers.round_number,
        openf1_drivers.driver_id,
        openf1_laps.lap_number,
        openf1_laps.lap_time_ms,
        openf1_laps.sector_1_ms,
        openf1_laps.sector_2_ms,
        openf1_laps.sector_3_ms,
        openf1_laps.is_pit_out_lap,
        openf1_laps.lap_started_at
    from openf1_laps
    inner join openf1_drivers
        on
            openf1_laps.session_key = openf1_drivers.session_key
            and openf1_laps.driver_number = openf1_drivers.driver_number
    where openf1_drivers.driver_id is not null
),

joined as (
    select
        coalesce(from_api.race_key, from_openf1.race_key) as race_key,
        coalesce(from_api.season, from_openf1.season) as season,
        coalesce(from_api.round_number, from_openf1.round_number) as round_number,
        coalesce(from_api.driver_id, from_openf1.driver_id) as driver_id,
        coalesce(from_api.lap_number, from_openf1.lap_number) as lap_number,
        coalesce(from_api.lap_time_ms, from_openf1.lap_time_ms) as lap_time_ms,
        from_api.position_at_lap_end,
        from_openf1.sector_1_ms,
        from_openf1.sector_2_ms,
        from_openf1.sector_3_ms,
        from_openf1.is_pit_out_lap,
        from_openf1.lap_started_at,
        case
            when from_api.race_key is not null and from_openf1.race_key is not null then 'jolpica+openf1'
            when from_api.race_key is not null then 'jolpica'
            else 'openf1'
        end as data_source
    from from_api
    full outer join from_openf1
        on
            from_api.race_key = from_openf1.race_key
            and from_api.driver_id = from_openf1.driver_id
            and from_api.lap_number = from_openf1.lap_number
),

final as (
    select
        {{ surrogate_key(['joined.race_key', 'joined.driver_id', 'joined.lap_number']) }} as lap_key,
        joined.*,
        seasons_to_build.source_load_id
    from joined
    inner join seasons_to_build on joined.season = seasons_to_build.season
)

select * from final
