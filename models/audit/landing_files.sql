-- One row per landing file that a load has read, from every source: loaded or quarantined.
with

files as (
    {{ landing_files_union() }}
)

select * from files
