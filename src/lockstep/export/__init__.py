"""Publishing a network: transparency datasets in the Information Operations archive layout
(small accounts hashed, checked before release) and graph files (GEXF, GraphML, Parquet)."""
