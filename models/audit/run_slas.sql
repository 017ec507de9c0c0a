-- Every run of a source against its SLA (seeds/source_slas.csv): met, missed or not judged, and by how much, with
-- the run's metrics (rows ingested, late rows, failed checks). A view: always as current as the run log.
with

runs as (
    select * from {{ ref('load_runs') }}
),

slas as (
    select * from {{ ref('source_slas') }}
),

xnys_sessions as (
    select
        session_date,
        close_utc
    from {{ ref('exchange_sessions') }}
    where exchange_calendar = 'XNYS'
),

timed as (
    select
        run_id,
        source_name,
        extract_mode,
        run_status,
        started_at,
        rows_ingested,
        late_rows,
        checks_failed,
        transformed_at as delivered_at,
        cast(data_to as {{ type_timestamptz() }}) as data_to_at
    from runs
),

with_previous as (
    select
        *,
        -- the newest data any earlier run of the source loaded: a run that does not pass it (a backfill of old
        -- windows, a re-run) brings no new data to be late with
        max(data_to_at) over (
            partition by source_name order by started_at rows between unbounded preceding and 1 preceding
        ) as previous_data_to_at
    from timed
),

measured as (
    select
        with_previous.*,
        coalesce(slas.sla_name, 'none') as sla_name,
        slas.sla_kind,
        slas.allowance_minutes,
        case
            when slas.sla_kind = 'lag' then with_previous.data_to_at
            -- midnight UTC after the newest data: the allowance counts from the start of that day
            when slas.sla_kind = 'next_day_deadline' then {{ dbt.date_trunc('day', 'with_previous.data_to_at') }}
            when slas.sla_kind = 'after_session_close' then xnys_sessions.close_utc
        end as anchor_at
    from with_previous
    left join slas on with_previous.source_name = slas.source_name
    left join xnys_sessions
        on
            slas.sla_kind = 'after_session_close'
            and cast(with_previous.data_to_at as date) = xnys_sessions.session_date
),

deadlines as (
    select
        *,
        {{ add_minutes(
            'anchor_at',
            "allowance_minutes + case when sla_kind = 'next_day_deadline' then 1440 else 0 end",
        ) }} as deadline_at
    from measured
),

judged as (
    select
        *,
        case
            when sla_kind is null then 'no SLA for this source'
            when extract_mode != 'live' then 'sample run: replayed recordings, not live data'
            when run_status = 'failed' then 'the run failed (the failed-run alert covers it)'
            when data_to_at is null then 'no new data loaded'
            when
                previous_data_to_at is not null and data_to_at <= previous_data_to_at
                then 'no data newer than earlier runs (a backfill or re-run)'
            when delivered_at is null then 'no dbt build recorded after the load'
            when anchor_at is null then 'no XNYS session on the date of the newest bar'
        end as not_judged_reason
    from deadlines
),

final as (
    select
        {{ surrogate_key(['run_id', 'source_name', 'sla_name']) }} as run_sla_key,
        run_id,
        source_name,
        sla_name,
        extract_mode,
        run_status,
        started_at,
        data_to_at,
        delivered_at,
        deadline_at,
        case
            when not_judged_reason is not null then 'not judged'
            when delivered_at <= deadline_at then 'met'
            else 'missed'
        end as sla_status,
        -- positive: missed by that many minutes; negative: met with that many to spare
        case
            when not_judged_reason is null
                then ({{ epoch_microseconds('delivered_at') }} - {{ epoch_microseconds('deadline_at') }}) / 60000000.0
        end as minutes_past_deadline,
        not_judged_reason,
        rows_ingested,
        late_rows,
        checks_failed
    from judged
)

select * from final
