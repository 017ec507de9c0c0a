{{ stg_ergast_results('ergast_results', 'race') }}
