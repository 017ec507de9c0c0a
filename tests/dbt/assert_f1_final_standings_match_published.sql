-- The computed table after each season's final round agrees with the published championship table
-- (seeds/f1_published_final_standings.csv) in position and points.
with

published as (
    select * from {{ ref('f1_published_final_standings') }}
),

drivers as (
    select * from {{ ref('fct_f1_driver_standings') }}
),

constructors as (
    select * from {{ ref('fct_f1_constructor_standings') }}
),

final_rounds as (
    select
        season,
        max(round_number) as final_round
    from drivers
    group by season
),

computed as (
    select
        'drivers' as championship,
        drivers.season,
        drivers.driver_id as competitor_id,
        drivers.position,
        drivers.points
    from drivers
    inner join final_rounds
        on drivers.season = final_rounds.season and drivers.round_number = final_rounds.final_round
    union all
    select
        'constructors' as championship,
        constructors.season,
        constructors.constructor_id as competitor_id,
        constructors.position,
        constructors.points
    from constructors
    inner join final_rounds
        on constructors.season = final_rounds.season and constructors.round_number = final_rounds.final_round
)

select
    published.season,
    published.championship,
    published.competitor_id,
    published.position as published_position,
    computed.position as computed_position,
    published.points as published_points,
    computed.points as computed_points
from published
left join computed
    on
        published.season = computed.season
        and published.championship = computed.championship
        and published.competitor_id = computed.competitor_id
where
    computed.position is null
    or computed.position != published.position
    or abs(computed.points - published.points) > 0.001
