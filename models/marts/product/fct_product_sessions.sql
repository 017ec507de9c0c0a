with

events as (
    select * from {{ ref('fct_product_events') }}
    where user_key is not null
),

gaps as (
    select
        event_id,
        user_key,
        occurred_at,
        channel,
        event_type,
        revenue_usd,
        lag(occurred_at) over (partition by user_key order by occurred_at, event_id) as previous_at
    from events
),

starts as (
    select
        *,
        -- a gap of more than the inactivity timeout starts a new session; exactly the timeout does not
        case
            when previous_at is null then 1
            when {{ dbt.datediff('previous_at', 'occurred_at', 'second') }} > {{ var('session_timeout_minutes') }} * 60  -- noqa: LT05
                then 1
            else 0
        end as is_session_start
    from gaps
),

numbered as (
    select
        *,
        sum(is_session_start) over (
            partition by user_key order by occurred_at, event_id rows between unbounded preceding and current row
        ) as session_number
    from starts
),

ordered as (
    select
        *,
        row_number() over (partition by user_key, session_number order by occurred_at, event_id) as event_in_session
    from numbered
),

final as (
    select
        {{ surrogate_key(['user_key', 'session_number']) }} as session_key,
        user_key,
        cast(session_number as integer) as session_number,
        min(occurred_at) as session_start_at,
        max(occurred_at) as session_end_at,
        {{ dbt.datediff('min(occurred_at)', 'max(occurred_at)', 'second') }} as duration_seconds,  -- noqa: LT05
        count(*) as events,
        max(case when event_in_session = 1 then channel end) as entry_channel,
        count(case when event_type = 'purchase' then 1 end) > 0 as has_purchase,
        coalesce(sum(revenue_usd), 0) as revenue_usd
    from ordered
    group by user_key, session_number
)

select * from final
