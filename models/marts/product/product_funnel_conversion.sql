with

events as (
    select * from {{ ref('fct_product_events') }}
    where source_system = 'clickstream'
),

steps as (
    select * from {{ ref('funnel_steps') }}
),

users as (
    select distinct user_key from events
),

user_steps as (
    select
        users.user_key,
        steps.step_order,
        steps.event_type,
        steps.step_name,
        min(events.occurred_at) as first_at
    from users
    cross join steps
    left join events on users.user_key = events.user_key and steps.event_type = events.event_type
    group by users.user_key, steps.step_order, steps.event_type, steps.step_name
),

checked as (
    select
        *,
        -- a step counts only when it happened, and not before the previous step
        case
            when first_at is null then 1
            when
                first_at < lag(first_at) over (partition by user_key order by step_order)
                then 1
            else 0
        end as is_broken
    from user_steps
),

reached as (
    select
        *,
        sum(is_broken) over (
            partition by user_key order by step_order rows between unbounded preceding and current row
        ) = 0 as has_reached
    from checked
),

counts as (
    select
        step_order,
        event_type,
        step_name,
        count(case when has_reached then 1 end) as users_reached
    from reached
    group by step_order, event_type, step_name
),

final as (
    select
        cast(step_order as integer) as step_order,
        event_type,
        step_name,
        users_reached,
        cast(users_reached as double) / nullif(max(users_reached) over (), 0) as conversion_from_first,
        cast(users_reached as double)
        / nullif(lag(users_reached) over (order by step_order), 0) as conversion_from_previous
    from counts
)

select * from final
