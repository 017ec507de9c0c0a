{% snapshot horse_trainer_history %}
    {{ config(unique_key='horse_key', strategy='check', check_cols=['current_trainer_key']) }}

    select
        horse_key,
        horse_name,
        current_trainer_key
    from {{ ref('dim_horse') }}
{% endsnapshot %}
