{{ stg_ergast_results('ergast_sprint_results', 'sprint') }}
