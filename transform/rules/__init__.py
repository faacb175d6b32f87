"""Data-quality rules as a catalogue: declarations (:mod:`.catalogue`), kinds (:mod:`.kinds`),
tests (:mod:`.checks`, :mod:`.projects`), the document lookup (:mod:`.facts`) and the model
(:mod:`.model`).

Importing this package registers nothing: the catalogue is one explicit list.
"""
