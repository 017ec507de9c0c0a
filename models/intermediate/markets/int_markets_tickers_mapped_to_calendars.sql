{{ config(**incremental_config(partition_by='ticker')) }}
{%- set first_day = first_partition_loaded_since('source.grandstand.yahoo.bars', 'ts') %}

-- One row per ticker seen in the universe seed, in Yahoo's metadata or in the bars, with the calendar that defines
-- its sessions. Incremental so a daily run does not scan the bars, the biggest table, for their tickers: it adds the
-- tickers of the bars loaded since its last build to the ones it holds, and maps them all again (a few hundred
-- rows), so a changed seed or new metadata reaches every ticker. A yfinance CSV export carries no metadata: its
-- ticker is known from its bars alone.
with

universe as (
    select * from {{ ref('yahoo_tickers') }}
),

instruments as (
    select * from {{ ref('stg_yahoo__instruments') }}
),

exchanges as (
    select * from {{ ref('yahoo_exchanges') }}
),

bars as (
    select
        ticker,
        dlt_load_id
    from {{ ref('stg_yahoo__bars') }}
    where ts_utc >= {{ first_day }}
),

-- the tickers of the bars loaded since the last build (every bar's, on a full refresh)
bar_tickers as (
    {{ partitions_loaded_since('bars', 'ticker') }}
),

ticker_loads as (
    select
        ticker,
        source_load_id
    from bar_tickers
    {%- if is_incremental() %}
        union all
        select
            ticker,
            source_load_id
        from {{ this }}
    {%- endif %}
    union all
    select
        ticker,
        cast(null as {{ dbt.type_string() }}) as source_load_id
    from universe
    union all
    select
        ticker,
        cast(null as {{ dbt.type_string() }}) as source_load_id
    from instruments
),

all_tickers as (
    select
        ticker,
        max(source_load_id) as source_load_id
    from ticker_loads
    group by ticker
),

mapped as (
    select
        all_tickers.ticker,
        coalesce(nullif(universe.exchange_calendar, ''), exchanges.exchange_calendar) as exchange_calendar,
        coalesce(
            nullif(universe.asset_class, ''),
            case
                when instruments.instrument_type = 'cryptocurrency' then 'crypto'
                when instruments.instrument_type = 'etf' then 'etf'
                when instruments.instrument_type is not null then 'equity'
            end
        ) as asset_class,
        nullif(universe.crypto_asset_id, '') as crypto_asset_id,
        instruments.currency,
        instruments.long_name,
        universe.ticker is not null as is_in_universe,
        all_tickers.source_load_id
    from all_tickers
    left join universe on all_tickers.ticker = universe.ticker
    left join instruments on all_tickers.ticker = instruments.ticker
    left join exchanges on instruments.yahoo_exchange_code = exchanges.yahoo_exchange_code
)

select * from mapped
