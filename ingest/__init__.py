"""Ingestion: readers (files → documents), parsers (documents → units), extractors, loaders (units → graph)."""
