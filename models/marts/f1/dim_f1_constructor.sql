with

dump_constructors as (
    select * from {{ ref('stg_ergast__constructors') }}
),

api_constructors as (
    select * from {{ ref('stg_jolpica__constructors') }}
),

unioned as (
    {{ union_by_priority(
        ['api_constructors', 'dump_constructors'],
        [
            'constructor_id',
            'constructor_name',
            'nationality',
            'wikipedia_url',
        ],
    ) }}
),

chosen as (
    {{ dedupe('unioned', ['constructor_id'], 'source_priority') }}
),

final as (
    select
        constructor_id,
        constructor_name,
        nationality,
        wikipedia_url,
        case source_priority when 1 then 'jolpica' else 'ergast_dump' end as data_source
    from chosen
)

select * from final
