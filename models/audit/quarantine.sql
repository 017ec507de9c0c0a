-- One row per landing file that failed to parse, with the error that names it.
with

files as (
    select * from {{ ref('landing_files') }}
),

quarantined as (
    select
        source_name,
        landing_path,
        endpoint,
        origin,
        fetched_at,
        file_bytes,
        error_message,
        run_id,
        loaded_at as quarantined_at
    from files
    where load_status = 'quarantined'
)

select * from quarantined
