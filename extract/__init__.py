"""Reading the world: fetching bytes, sniffing formats, turning documents into records.

Everything here may do I/O. What comes out is plain Python records (see
:mod:`extract.parse.records`) that :mod:`transform` turns into frames.
"""
