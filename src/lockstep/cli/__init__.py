"""The command line: a thin layer over the package's functions."""
