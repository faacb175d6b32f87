"""The one exception tree. What a stage raises decides what the flow does next:

- :class:`FetchError` — transient trouble getting bytes: the task retries it.
- :class:`DocumentError` — this document cannot be read or is not a disclosure: it
  is quarantined with ``reason`` (a sentence a person understands) and the run goes on.
- :class:`ContractError` — our own frames break the warehouse contract: a bug, so the
  run stops rather than load wrong data.

It lives in ``schemas`` because every layer depends on ``schemas`` and nothing else.
"""

from __future__ import annotations


class CountyBudgetsError(Exception):
    """Base of every error the pipeline raises on purpose."""


class FetchError(CountyBudgetsError):
    """Retryable: timeouts, 5xx, connection resets."""

    retryable = True


class PermanentFetchError(FetchError):
    """Not worth retrying: 4xx, size cap exceeded, host not allowed, redirect loop."""

    retryable = False


class DocumentError(CountyBudgetsError):
    """The document is quarantined; ``reason`` is shown to people as is."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ContractError(CountyBudgetsError):
    """A frame does not match its table in ``schemas``: stop the run."""
