with

runs as (
    select * from {{ source('grandstand', 'load_runs') }}
),

renamed as (
    select
        run_id,
        source as source_name,
        mode as extract_mode,
        started_at,
        ended_at,
        status as run_status,
        files_filed,
        files_loaded,
        files_quarantined,
        rows_loaded,
        duplicates_removed,
        data_from,
        data_to,
        rows_ingested,
        late_rows,
        transformed_at,
        checks_failed,
        error as error_message
    from runs
)

select * from renamed
