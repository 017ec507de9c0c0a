-- One row per ticker seen in the universe seed or in Yahoo's metadata, with the calendar that defines its sessions.
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

bar_tickers as (
    select distinct ticker from {{ ref('stg_yahoo__bars') }}
),

all_tickers as (
    select ticker from universe
    union
    select ticker from instruments
    union
    select ticker from bar_tickers
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
        universe.ticker is not null as is_in_universe
    from all_tickers
    left join universe on all_tickers.ticker = universe.ticker
    left join instruments on all_tickers.ticker = instruments.ticker
    left join exchanges on instruments.yahoo_exchange_code = exchanges.yahoo_exchange_code
)

select * from mapped
