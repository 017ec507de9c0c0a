with

sessions as (
    select * from {{ ref('fct_product_sessions') }}
),

events as (
    select * from {{ ref('fct_product_events') }}
    where source_system = 'clickstream'
),

clickstream_users as (
    select * from {{ ref('dim_product_user') }}
    where source_system = 'clickstream'
),

signups as (
    select
        clickstream_users.first_channel as channel,
        count(distinct events.user_key) as signed_up_users
    from events
    inner join clickstream_users on events.user_key = clickstream_users.user_key
    where events.event_type = 'signup_completed'
    group by clickstream_users.first_channel
),

by_channel as (
    select
        sessions.entry_channel as channel,
        count(*) as sessions,
        count(distinct sessions.user_key) as users,  -- noqa: RF04
        count(case when sessions.has_purchase then 1 end) as purchasing_sessions,
        sum(sessions.revenue_usd) as revenue_usd
    from sessions
    inner join clickstream_users on sessions.user_key = clickstream_users.user_key
    group by sessions.entry_channel
),

final as (
    select
        by_channel.channel,
        by_channel.sessions,
        by_channel.users,
        coalesce(signups.signed_up_users, 0) as first_touch_signups,
        by_channel.purchasing_sessions,
        by_channel.revenue_usd,
        cast(by_channel.purchasing_sessions as double) / by_channel.sessions as session_conversion_rate,
        by_channel.revenue_usd / by_channel.sessions as revenue_per_session_usd
    from by_channel
    left join signups on by_channel.channel = signups.channel
)

select * from final
