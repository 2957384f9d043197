"""The graph layer: the ontology (the only definition of each node and edge), settings, and the stores."""
