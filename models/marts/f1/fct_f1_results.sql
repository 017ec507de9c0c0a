with

results as (
    select * from {{ ref('int_f1_results_reconciled') }}
),

final as (
    select
        result_key,
        race_key,
        season,
        round_number,
        session_type,
        driver_id,
        constructor_id,
        car_number,
        grid,
        finish_position,
        position_text,
        position_order,
        points,
        laps,
        race_time_ms,
        fastest_lap,
        {{ lap_time_to_ms('fastest_lap_time') }} as fastest_lap_time_ms,
        status_text,
        data_source
    from results
)

select * from final
