with

source as (
    select * from {{ source('events', 'github_events') }}
),

deduped as (
    {{ dedupe('source', ['id'], '_fetched_at, _landing_path') }}
),

renamed as (
    select
        id as event_id,
        type as github_event_type,
        cast(created_at as {{ type_timestamptz() }}) as occurred_at,
        cast(_fetched_at as {{ type_timestamptz() }}) as ingested_at,
        {{ pii_hash('actor_login') }} as user_hash,
        repo_name,
        org_login,
        public as is_public,
        _dlt_load_id as dlt_load_id
    from deduped
)

select * from renamed
