"""Reference data shipped with the package (see ``build_regions`` for how it is made)."""
