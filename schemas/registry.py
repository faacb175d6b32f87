"""Source registry tables (regions' disclosure portals, fetches). Owned by the collection side."""
