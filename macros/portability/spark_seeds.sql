-- The indentation rule (LT02) misreads the Jinja loops and conditions below, whose whitespace control
-- joins lines: it is off for this file (dbt ignores text outside the macro).
-- noqa: disable=LT02
{#-
    Seeds on Spark with values written as literals. dbt-spark's `session` method formats the bindings of a seed's
    insert with Python's `%`, which turns an empty cell into the text 'None' instead of null; this writes null.
    (Spark reads string literals raw here, see profiles.yml, so a value holding a quote is put in double quotes.)
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(get_batch_size()) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- else -%}
                        {%- set text = value | string -%}
                        {%- if "'" in text and '"' in text -%}
                            {{ exceptions.raise_compiler_error(
                                'seed ' ~ model.name ~ ': a value holds both quote characters: ' ~ text
                            ) }}
                        {%- endif -%}
                        {%- set mark = '"' if "'" in text else "'" -%}
                        cast({{ mark }}{{ text }}{{ mark }} as {{ type }})
                    {%- endif -%}
                    {%- if not loop.last %},{% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}{% do statements.append(sql) %}{% endif %}
    {% endfor %}
    {{ return(statements[0]) }}
{% endmacro %}
