with

runs as (
    select * from {{ ref('int_racing_runs_joined_to_races') }}
),

latest as (
    {{ dedupe('runs', ['jockey_key'], 'race_date desc, race_no desc') }}
),

final as (
    select
        jockey_key,
        jockey_name,
        data_source,
        -- the history dataset numbers its jockeys without naming them: say so, rather than show a raw kaggle-<id>
        coalesce(
            jockey_name,
            case
                when data_source = 'kaggle_hkracing'
                    then 'History dataset jockey #' || replace(jockey_key, 'kaggle-', '') || ' (name not published)'
            end,
            'HKJC jockey ' || jockey_key || ' (name not on the page)'
        ) as display_name,
        jockey_name is not null as is_named
    from latest
    where jockey_key is not null
)

select * from final
