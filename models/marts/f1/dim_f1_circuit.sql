with

dump_circuits as (
    select * from {{ ref('stg_ergast__circuits') }}
),

api_circuits as (
    select * from {{ ref('stg_jolpica__circuits') }}
),

unioned as (
    select
        circuit_id,
        circuit_name,
        locality,
        country,
        latitude,
        longitude,
        wikipedia_url,
        1 as source_priority
    from api_circuits
    union all
    select
        circuit_id,
        circuit_name,
        locality,
        country,
        latitude,
        longitude,
        wikipedia_url,
        2 as source_priority
    from dump_circuits
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
