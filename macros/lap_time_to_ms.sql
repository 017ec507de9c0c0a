{#- '1:39.019' or '39.019' (a lap, qualifying or pit-stop time as text) → milliseconds. -#}
{% macro lap_time_to_ms(expression) -%}
    {{ return(adapter.dispatch('lap_time_to_ms', 'grandstand')(expression)) }}
{%- endmacro %}

{% macro default__lap_time_to_ms(expression) -%}
    case
        when {{ expression }} is null or trim({{ expression }}) = '' then null
        when {{ expression }} like '%:%' then
            cast(split_part({{ expression }}, ':', 1) as bigint) * 60000
            + cast(round(cast(split_part({{ expression }}, ':', 2) as double) * 1000) as bigint)
        else cast(round(cast({{ expression }} as double) * 1000) as bigint)
    end
{%- endmacro %}

{% macro spark__lap_time_to_ms(expression) -%}
    case
        when {{ expression }} is null or trim({{ expression }}) = '' then null
        when {{ expression }} like '%:%' then
            cast(split({{ expression }}, ':')[0] as bigint) * 60000
            + cast(round(cast(split({{ expression }}, ':')[1] as double) * 1000) as bigint)
        else cast(round(cast({{ expression }} as double) * 1000) as bigint)
    end
{%- endmacro %}
