{#- Keep one row per natural key: the first by `order_by`. Portable (no QUALIFY). -#}
{% macro dedupe(relation, partition_by, order_by) -%}
    select * from (
        select
            deduped_source.*,
            row_number() over (partition by {{ partition_by | join(', ') }} order by {{ order_by }}) as dedupe_row_number
        from {{ relation }} as deduped_source
    ) as ranked
    where dedupe_row_number = 1
{%- endmacro %}
