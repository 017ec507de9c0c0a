{% snapshot yahoo_instruments_history %}
    {#- Yahoo's instrument metadata (the chart `meta` block) is replaced in raw on every fetch: this keeps its history.
        A snapshot merges into its own history, which Spark does only on Delta, Hudi or Iceberg tables, whose jars
        cannot be fetched here: on Spark (Parquet) it is off, as docs/portability.md records -#}
    {{ config(
        unique_key='ticker',
        strategy='check',
        check_cols=['currency', 'exchange_name', 'full_exchange_name', 'instrument_type', 'exchange_timezone_name',
            'long_name', 'short_name'],
        enabled=target.type != 'spark',
    ) }}

    select
        ticker,
        currency,
        exchange_name,
        full_exchange_name,
        instrument_type,
        exchange_timezone_name,
        long_name,
        short_name
    from {{ source('yahoo', 'instruments') }}
{% endsnapshot %}
