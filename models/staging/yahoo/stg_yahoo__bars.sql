with

source as (
    select * from {{ source('yahoo', 'bars') }}
),

deduped as (
    {{ dedupe('source', ['ticker', adapter.quote('interval'), 'ts'], '_fetched_at desc') }}
),

renamed as (
    select
        ticker,
        {{ adapter.quote('interval') }} as bar_interval,  -- noqa: RF06
        cast(ts as {{ type_timestamptz() }}) as ts_utc,
        cast({{ adapter.quote('open') }} as double) as open_price,  -- noqa: RF06
        cast(high as double) as high_price,
        cast(low as double) as low_price,
        cast({{ adapter.quote('close') }} as double) as close_price,  -- noqa: RF06
        cast(volume as bigint) as volume,
        cast(adjclose as double) as reported_adj_close,
        cast(requested_start as {{ type_timestamptz() }}) as requested_start_utc,
        cast(requested_end as {{ type_timestamptz() }}) as requested_end_utc,
        coalesce(ts >= requested_start and ts < requested_end, true) as is_in_requested_range,
        cast(_fetched_at as {{ type_timestamptz() }}) as fetched_at,
        _dlt_load_id as dlt_load_id
    from deduped
    -- Yahoo sends null bars for minutes without a trade; they carry no information.
    where {{ adapter.quote('close') }} is not null or {{ adapter.quote('open') }} is not null  -- noqa: RF06
)

select * from renamed
