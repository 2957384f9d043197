"""The outer layer: command line, HTTP API and web pages. Depends on search/ingest/graph, never the reverse."""
