"""Audit provenance: why a matter or duty belongs to a department, since when, on what basis, who decided.

Sits beside `search` and `ingest` in the dependency chain (api → audit → graph): it reads the graph and its
change log and ranks nothing, so it needs no index.
"""
