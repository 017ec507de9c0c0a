-- Every email and IP present in the raw clickstream has its hash in staging: a missing salt once made them all null.
with

raw_events as (
    select * from {{ source('events', 'clickstream') }}
),

staged as (
    select * from {{ ref('stg_events__clickstream') }}
),

-- from raw, so a raw event that staging lost (or whose id it rewrote) is a failure too
unhashed as (
    select
        raw_events.event_id,
        staged.event_id is null as missing_in_staging,
        raw_events.email is not null and staged.email_hash is null as email_unhashed,
        raw_events.ip is not null and staged.ip_hash is null as ip_unhashed
    from raw_events
    left join staged on raw_events.event_id = staged.event_id
)

select * from unhashed
where missing_in_staging or email_unhashed or ip_unhashed
