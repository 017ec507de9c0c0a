{#- Replace every IPv4 address in free text (such as a Wikipedia page title "User talk:192.0.2.1") with '<ip>'. -#}
{% macro mask_ip_addresses(expression) -%}
    {{ return(adapter.dispatch('mask_ip_addresses', 'grandstand')(expression)) }}
{%- endmacro %}

{% macro default__mask_ip_addresses(expression) -%}
    regexp_replace({{ expression }}, '([0-9]{1,3}\.){3}[0-9]{1,3}', '<ip>', 'g')
{%- endmacro %}

{% macro spark__mask_ip_addresses(expression) -%}
    regexp_replace({{ expression }}, '([0-9]{1,3}\.){3}[0-9]{1,3}', '<ip>')
{%- endmacro %}
