"""Every public view, in creation order: the per-document views, then the comparison marts.

Views that read other views come after them; :mod:`load.warehouse` drops in reverse order
and creates in this order.
"""

from __future__ import annotations

from schemas.marts import MARTS
from schemas.views import VIEWS

PUBLIC_VIEWS = {**VIEWS, **MARTS}
