{#- Salted SHA-256 of a PII value (normalised: trimmed, lower case). The salt comes from secrets through a session
    variable set by the pipelines.dbt_pii_salt plugin, so it never appears in compiled SQL. -#}
{% macro pii_hash(expression) -%}
    {{ return(adapter.dispatch('pii_hash', 'grandstand')(expression)) }}
{%- endmacro %}

{% macro default__pii_hash(expression) -%}
    case when {{ expression }} is not null then
        sha256(getvariable('pii_salt') || lower(trim(cast({{ expression }} as varchar))))
    end
{%- endmacro %}

{% macro spark__pii_hash(expression) -%}
    case when {{ expression }} is not null then
        sha2(concat('${spark.grandstand.pii_salt}', lower(trim(cast({{ expression }} as string)))), 256)
    end
{%- endmacro %}
