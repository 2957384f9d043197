"""Cypher, one module per concern. Every query takes its values as parameters."""
