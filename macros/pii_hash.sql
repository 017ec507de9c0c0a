{#- Salted SHA-256 of a PII value (normalised: trimmed, A-Z lowered). The salt comes from secrets through a session
    variable set by the pipelines.dbt_pii_salt plugin, so it never appears in compiled SQL.
    Only ASCII letters are lowered (an email's case-insensitive part): full Unicode lowering differs between engines
    (DuckDB and Java map the Turkish 'İ' differently), and a hash must be the same everywhere. -#}
{% macro pii_hash(expression) -%}
    {{ return(adapter.dispatch('pii_hash', 'grandstand')(expression)) }}
{%- endmacro %}

{% macro default__pii_hash(expression) -%}
    case when {{ expression }} is not null then
        sha256(getvariable('pii_salt') || {{ ascii_lower('trim(cast(' ~ expression ~ ' as varchar))') }})
    end
{%- endmacro %}

{% macro spark__pii_hash(expression) -%}
    case when {{ expression }} is not null then
        sha2(concat('${spark.grandstand.pii_salt}', {{ ascii_lower('trim(cast(' ~ expression ~ ' as string))') }}), 256)
    end
{%- endmacro %}

{#- A-Z to a-z and nothing else: the same on every engine. -#}
{% macro ascii_lower(expression) -%}
    translate({{ expression }}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
{%- endmacro %}
