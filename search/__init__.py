"""Search: embedders, vector and lexical indexes, hybrid retrieval, candidate owners, rulings, gaps."""
