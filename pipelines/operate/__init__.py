"""Operate: the writer lock, the audit of runs, status, and the readers' last good copy of the warehouse."""
