"""Data-quality rules as a catalogue: declarations (:mod:`.catalogue`), kinds (:mod:`.kinds`),
tests (:mod:`.checks`, :mod:`.projects`), the document lookup (:mod:`.facts`), the model
(:mod:`.model`) and the cross-document extension point (:mod:`.cross_document`).

Importing this package registers nothing: the catalogue is one explicit list.
"""
