with

dump_drivers as (
    select * from {{ ref('stg_ergast__drivers') }}
),

api_drivers as (
    select * from {{ ref('stg_jolpica__drivers') }}
),

unioned as (
    {{ union_by_priority(
        ['api_drivers', 'dump_drivers'],
        [
            'driver_id',
            'permanent_number',
            'driver_code',
            'given_name',
            'family_name',
            'date_of_birth',
            'nationality',
            'wikipedia_url',
        ],
    ) }}
),

chosen as (
    {{ dedupe('unioned', ['driver_id'], 'source_priority') }}
),

final as (
    select
        driver_id,
        permanent_number,
        driver_code,
        given_name,
        family_name,
        given_name || ' ' || family_name as full_name,
        date_of_birth,
        nationality,
        wikipedia_url,
        case source_priority when 1 then 'jolpica' else 'ergast_dump' end as data_source
    from chosen
)

select * from final
