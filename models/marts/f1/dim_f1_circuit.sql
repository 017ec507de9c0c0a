with

dump_circuits as (
    select * from {{ ref('stg_ergast__circuits') }}
),

api_circuits as (
    select * from {{ ref('stg_jolpica__circuits') }}
),

unioned as (
    {{ union_by_priority(
        ['api_circuits', 'dump_circuits'],
        [
            'circuit_id',
            'circuit_name',
            'locality',
            'country',
            'latitude',
            'longitude',
            'wikipedia_url',
        ],
    ) }}
),

chosen as (
    {{ dedupe('unioned', ['circuit_id'], 'source_priority') }}
),

final as (
    select
        circuit_id,
        circuit_name,
        locality,
        country,
        latitude,
        longitude,
        wikipedia_url,
        case source_priority when 1 then 'jolpica' else 'ergast_dump' end as data_source
    from chosen
)

select * from final
