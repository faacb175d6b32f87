"""The one exception tree. What a stage raises decides what the flow does next:

- :class:`FetchError` — transient trouble getting bytes: the task retries it.
- :class:`DocumentError` — this document cannot be read or is not a disclosure: it
  is quarantined with ``reason`` (a sentence a person understands) and the run goes on.
- :class:`ContractError` — a frame breaks the warehouse contract. Raised while one
  document is transformed, it quarantines that document (the flow names the stage);
  raised anywhere else it stops the run rather than load wrong data.
- :class:`SetupError` — the run cannot start or go on as set up (warehouse URL, server,
  a locked file, a missing source): the command prints its one-line message, which names
  the problem and the fix, and exits 2.

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


class SetupError(CountyBudgetsError):
    """How the run was set up is wrong (not any document's fault): one line naming the problem and the fix."""
