with

races as (
    select * from {{ ref('int_f1_races_reconciled') }}
),

results as (
    select * from {{ ref('int_f1_results_reconciled') }}
),

sessions as (
    select
        race_key,
        count(case when session_type = 'race' then 1 end) as race_results,
        count(case when session_type = 'sprint' then 1 end) > 0 as has_sprint
    from results
    group by race_key
),

final as (
    select
        races.race_key,
        races.season,
        races.round_number,
        races.race_name,
        races.circuit_id,
        races.race_date,
        races.race_time_utc,
        coalesce(sessions.race_results, 0) as race_results,
        coalesce(sessions.has_sprint, false) as has_sprint,
        races.wikipedia_url,
        races.data_source
    from races
    left join sessions on races.race_key = sessions.race_key
)

select * from final
