with

source as (
    select * from {{ source('events', 'wikiticker_edits') }}
),

keyed as (
    select
        {{ surrogate_key([
            epoch_microseconds(adapter.quote('time')),
            'channel', 'page', adapter.quote('user'), 'comment', 'delta', 'added', 'deleted',
        ]) }} as event_id,
        *
    from source
),

deduped as (
    {{ dedupe('keyed', ['event_id'], '_fetched_at, _landing_path') }}
),

renamed as (
    select
        event_id,
        cast({{ adapter.quote('time') }} as {{ type_timestamptz() }}) as occurred_at,  -- noqa: RF06
        cast(_fetched_at as {{ type_timestamptz() }}) as ingested_at,
        {{ pii_hash(adapter.quote('user')) }} as user_hash,
        is_anonymous,
        channel as wiki_channel,
        namespace,
        {{ mask_ip_addresses('page') }} as page,
        is_minor,
        is_new,
        is_robot,
        cast(delta as bigint) as delta_bytes,
        cast(added as bigint) as added_bytes,
        cast(deleted as bigint) as deleted_bytes,
        country_iso_code,
        _dlt_load_id as dlt_load_id
    from deduped
)

select * from renamed
