"""The collect tests use the suite-wide fixtures of tests/conftest.py (``portal``, ``store``) and
its fast fetch settings, under the name they were written with."""

from __future__ import annotations

from tests.conftest import fast_fetch as fast_settings

__all__ = ["fast_settings"]
