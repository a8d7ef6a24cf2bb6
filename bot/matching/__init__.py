"""Chinese-aware matching: normalise, index (BM25 over bigrams), rank, decide."""
