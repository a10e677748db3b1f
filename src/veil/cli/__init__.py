"""The ``veil`` command line: a thin shell over the library and the SDK."""
