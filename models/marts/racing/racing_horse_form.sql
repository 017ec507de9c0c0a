with

runs as (
    select * from {{ ref('fct_racing_runs') }}
),

recent as (
    select
        horse_key,
        race_date,
        {{ adapter.quote('placing') }},
        row_number() over (partition by horse_key order by race_date desc, race_no desc) as runs_ago
    from runs
    where is_starter  -- a form line lists runs, not withdrawals
),

final as (
    select
        horse_key,
        max(case when runs_ago = 1 then race_date end) as last_run_date,
        count(*) as recent_runs,
        {% for n in range(1, 7) -%}
            max(case when runs_ago = {{ n }} then {{ adapter.quote('placing') }} end) as placing_{{ n }}_runs_ago,
        {% endfor -%}
        {{ ordered_listagg(adapter.quote('placing'), "'/'", 'runs_ago') }} as last_six_placings
    from recent
    where runs_ago <= 6
    group by horse_key
)

select * from final
