with

runs as (
    select * from {{ ref('int_racing_runs_joined_to_races') }}
),

latest as (
    {{ dedupe('runs', ['horse_key'], 'race_date desc, race_no desc') }}
),

careers as (
    select
        horse_key,
        count(case when is_starter then 1 end) as career_runs,
        count(case when is_starter and finish_position = 1 then 1 end) as career_wins,
        min(case when is_starter then race_date end) as first_run_date,
        max(case when is_starter then race_date end) as last_run_date
    from runs
    group by horse_key
),

final as (
    select
        latest.horse_key,
        latest.horse_code,
        latest.horse_name,
        latest.trainer_key as current_trainer_key,
        careers.career_runs,
        careers.career_wins,
        careers.first_run_date,
        careers.last_run_date,
        latest.data_source,
        {{ racing_display_name('horse', 'latest.horse_key', 'latest.horse_name') }} as display_name,
        latest.horse_name is not null as is_named
    from latest
    inner join careers on latest.horse_key = careers.horse_key
)

select * from final
