{% snapshot horse_trainer_history %}
    {#- a snapshot merges into its own history, which Spark can only do on Delta, Hudi or Iceberg tables, whose jars
        cannot be fetched here: on Spark (Parquet) it is off, as docs/portability.md records -#}
    {{ config(
        unique_key='horse_key',
        strategy='check',
        check_cols=['current_trainer_key'],
        enabled=target.type != 'spark',
    ) }}

    select
        horse_key,
        horse_name,
        current_trainer_key
    from {{ ref('dim_racing_horse') }}
{% endsnapshot %}
