with

runs as (
    select * from {{ ref('int_racing_runs_joined_to_races') }}
),

latest as (
    {{ dedupe('runs', ['trainer_key'], 'race_date desc, race_no desc') }}
),

final as (
    select
        trainer_key,
        trainer_name,
        data_source,
        -- the history dataset numbers its trainers without naming them: say so, rather than show a raw kaggle-<id>
        coalesce(
            trainer_name,
            case
                when data_source = 'kaggle_hkracing'
                    then 'History dataset trainer #' || replace(trainer_key, 'kaggle-', '') || ' (name not published)'
            end,
            'HKJC trainer ' || trainer_key || ' (name not on the page)'
        ) as display_name,
        trainer_name is not null as is_named
    from latest
    where trainer_key is not null
)

select * from final
