-- One row per event from every stream, in one envelope.
with

clickstream as (
    select * from {{ ref('stg_events__clickstream') }}
),

wikiticker as (
    select * from {{ ref('stg_events__wikiticker') }}
),

github as (
    select * from {{ ref('stg_events__github') }}
),

from_clickstream as (
    select
        event_id,
        event_type,
        occurred_at,
        received_at,
        ingested_at,
        user_key,
        email_hash,
        ip_hash,
        channel,
        'clickstream' as source_system,
        is_generated,
        {{ json_object([('page', 'page'), ('campaign', 'campaign'), ('platform', 'client_platform'),
            ('revenue_usd', 'revenue_usd')]) }} as properties,
        revenue_usd,
        dlt_load_id
    from clickstream
),

from_wikiticker as (
    select
        'wiki-' || event_id as event_id,
        'wiki_edit' as event_type,
        occurred_at,
        cast(null as {{ type_timestamptz() }}) as received_at,
        ingested_at,
        user_hash as user_key,
        cast(null as {{ dbt.type_string() }}) as email_hash,
        cast(null as {{ dbt.type_string() }}) as ip_hash,
        wiki_channel as channel,
        'wikipedia' as source_system,
        false as is_generated,
        {{ json_object([('page', 'page'), ('namespace', 'namespace'), ('delta_bytes', 'delta_bytes'),
            ('is_robot', 'is_robot'), ('is_new', 'is_new'), ('is_anonymous', 'is_anonymous')]) }} as properties,
        cast(null as double) as revenue_usd,
        dlt_load_id
    from wikiticker
),

from_github as (
    select
        'github-' || event_id as event_id,
        github_event_type as event_type,
        occurred_at,
        cast(null as {{ type_timestamptz() }}) as received_at,
        ingested_at,
        user_hash as user_key,
        cast(null as {{ dbt.type_string() }}) as email_hash,
        cast(null as {{ dbt.type_string() }}) as ip_hash,
        'github' as channel,
        'github' as source_system,
        false as is_generated,
        {{ json_object([('repo', 'repo_name'), ('org', 'org_login'), ('public', 'is_public')]) }} as properties,
        cast(null as double) as revenue_usd,
        dlt_load_id
    from github
),

unioned as (
    select * from from_clickstream
    union all
    select * from from_wikiticker
    union all
    select * from from_github
)

select * from unioned
