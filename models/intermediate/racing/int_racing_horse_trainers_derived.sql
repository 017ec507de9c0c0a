-- One row per horse and trainer spell: the trainer each horse ran for, from its first run for that trainer until the
-- first run for the next one. Derived from the runs with window functions, so it is complete for all of history and
-- equal after a backfill (a snapshot would only know what it had seen at each build).
with

runs as (
    select * from {{ ref('int_racing_runs_joined_to_races') }}
    where trainer_key is not null
),

ordered as (
    select
        horse_key,
        trainer_key,
        race_date,
        race_key,
        lag(trainer_key) over (partition by horse_key order by race_date, race_key) as previous_trainer_key
    from runs
),

spell_starts as (
    select
        *,
        sum(
            case when previous_trainer_key is null or previous_trainer_key != trainer_key then 1 else 0 end
        ) over (partition by horse_key order by race_date, race_key rows unbounded preceding) as spell_number
    from ordered
),

spells as (
    select
        horse_key,
        spell_number,
        trainer_key,
        min(race_date) as valid_from,
        count(*) as runs_in_spell
    from spell_starts
    group by horse_key, spell_number, trainer_key
),

final as (
    select
        {{ surrogate_key(['horse_key', 'spell_number']) }} as horse_trainer_key,
        horse_key,
        spell_number,
        trainer_key,
        valid_from,
        lead(valid_from) over (partition by horse_key order by spell_number) as valid_to,
        runs_in_spell
    from spells
)

select * from final
