-- No mart column holds an email address or an IPv4 address. Scans every text column of every mart.
-- It runs after every mart (the depends_on lines); a new mart must be added here, and test_docs_complete checks that.
-- depends_on: {{ ref('crypto_daily_summary') }}
-- depends_on: {{ ref('dim_crypto_asset') }}
-- depends_on: {{ ref('dim_f1_circuit') }}
-- depends_on: {{ ref('dim_f1_constructor') }}
-- depends_on: {{ ref('dim_f1_driver') }}
-- depends_on: {{ ref('dim_f1_race') }}
-- depends_on: {{ ref('dim_racing_horse') }}
-- depends_on: {{ ref('dim_racing_jockey') }}
-- depends_on: {{ ref('dim_racing_racecourse') }}
-- depends_on: {{ ref('dim_markets_ticker') }}
-- depends_on: {{ ref('dim_racing_trainer') }}
-- depends_on: {{ ref('dim_product_user') }}
-- depends_on: {{ ref('f1_race_features') }}
-- f1_race_predictions is built on DuckDB only (a dbt Python model upstream; docs/portability.md)
{% if target.type != 'spark' %}-- depends_on: {{ ref('f1_race_predictions') }}{% endif %}
-- depends_on: {{ ref('fct_crypto_markets') }}
-- depends_on: {{ ref('fct_crypto_prices') }}
-- depends_on: {{ ref('fct_markets_bars_1m') }}
-- depends_on: {{ ref('fct_markets_daily_bars') }}
-- depends_on: {{ ref('fct_product_events') }}
-- depends_on: {{ ref('fct_f1_constructor_standings') }}
-- depends_on: {{ ref('fct_f1_driver_standings') }}
-- depends_on: {{ ref('fct_f1_laps') }}
-- depends_on: {{ ref('fct_f1_pit_stops') }}
-- depends_on: {{ ref('fct_f1_qualifying') }}
-- depends_on: {{ ref('fct_f1_results') }}
-- depends_on: {{ ref('fct_f1_stints') }}
-- depends_on: {{ ref('fct_racing_dividends') }}
-- depends_on: {{ ref('fct_racing_races') }}
-- depends_on: {{ ref('fct_racing_runs') }}
-- depends_on: {{ ref('product_channel_performance') }}
-- depends_on: {{ ref('ops_ingestion_latency') }}
-- depends_on: {{ ref('product_active_users') }}
-- depends_on: {{ ref('product_funnel_conversion') }}
-- depends_on: {{ ref('fct_product_sessions') }}
-- depends_on: {{ ref('racing_draw_bias') }}
-- depends_on: {{ ref('racing_favourite_performance') }}
-- depends_on: {{ ref('racing_horse_form') }}
-- depends_on: {{ ref('racing_jockey_strike_rates') }}
-- depends_on: {{ ref('racing_trainer_strike_rates') }}
{%- set checks = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.schema == 'marts' and node.config.enabled -%}
        {%- set relation = load_relation(ref(node.name)) -%}
        {%- if relation is not none -%}
            {#- Spark names its text type `string`, which dbt's Column.is_string() does not know -#}
            {%- for column in adapter.get_columns_in_relation(relation)
                if column.is_string() or column.dtype | lower == 'string' -%}
                {%- do checks.append((relation, column.name)) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

{%- set email_pattern = '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}' -%}
{%- set ip_pattern = '(^|[^0-9.])([0-9]{1,3}\\.){3}[0-9]{1,3}([^0-9.]|$)' -%}

{% if checks %}
    {% for relation, column in checks %}
        {%- set value = 'cast(' ~ adapter.quote(column) ~ ' as ' ~ dbt.type_string() ~ ')' %}
        select
            '{{ relation.identifier }}' as model_name,
            '{{ column }}' as column_name,
            {{ value }} as offending_value
        from {{ relation }}
        where
            {{ regex_matches(value, "'" ~ email_pattern ~ "'") }}
            or {{ regex_matches(value, "'" ~ ip_pattern ~ "'") }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{% else %}
    -- the scan runs after every mart: finding none to scan is a failure, not a pass
    select
        'no mart relation found to scan' as model_name,
        null as column_name,
        null as offending_value
{% endif %}
