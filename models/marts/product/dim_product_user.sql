with

events as (
    select * from {{ ref('fct_product_events') }}
    where user_key is not null
),

firsts as (
    {{ dedupe('events', ['user_key'], 'occurred_at, event_id') }}
),

activity as (
    select
        user_key,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at,
        count(*) as events,
        count(case when event_type = 'purchase' then 1 end) as purchases,
        sum(revenue_usd) as revenue_usd
    from events
    group by user_key
),

final as (
    select
        activity.user_key,
        firsts.source_system,
        activity.first_seen_at,
        activity.last_seen_at,
        firsts.channel as first_channel,
        activity.events,
        activity.purchases,
        coalesce(activity.revenue_usd, 0) as revenue_usd
    from activity
    inner join firsts on activity.user_key = firsts.user_key
)

select * from final
