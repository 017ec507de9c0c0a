-- Every email and IP present in the raw clickstream has its hash in staging: a missing salt once made them all null.
with

raw_events as (
    select * from {{ source('events', 'clickstream') }}
),

staged as (
    select * from {{ ref('stg_events__clickstream') }}
),

unhashed as (
    select
        staged.event_id,
        raw_events.email is not null and staged.email_hash is null as email_unhashed,
        raw_events.ip is not null and staged.ip_hash is null as ip_unhashed
    from staged
    inner join raw_events on staged.event_id = raw_events.event_id
)

select * from unhashed
where email_unhashed or ip_unhashed
