with

events as (
    select * from {{ ref('fct_product_events') }}
    where user_key is not null
),

daily_users as (
    select distinct
        event_date,
        user_key
    from events
),

days as (
    select distinct event_date as activity_date from daily_users
),

windows as (
    select
        days.activity_date,
        count(
            distinct case when daily_users.event_date = days.activity_date then daily_users.user_key end
        ) as daily_active_users,
        count(distinct case
            when daily_users.event_date > {{ dbt.dateadd('day', -7, 'days.activity_date') }} then daily_users.user_key
        end) as weekly_active_users,
        count(distinct daily_users.user_key) as monthly_active_users
    from days
    inner join daily_users
        on
            days.activity_date >= daily_users.event_date
            and {{ dbt.dateadd('day', -30, 'days.activity_date') }} < daily_users.event_date
    group by days.activity_date
)

select
    cast(activity_date as date) as activity_date,
    daily_active_users,
    weekly_active_users,
    monthly_active_users
from windows
