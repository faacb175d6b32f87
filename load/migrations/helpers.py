"""Helpers for revisions: create or drop tables exactly as ``schemas`` declares them."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from schemas import table


def create_tables(bind: Connection, names: list[str]) -> None:
    for name in names:
        table(name).create(bind, checkfirst=True)


def drop_tables(bind: Connection, names: list[str]) -> None:
    for name in reversed(names):
        table(name).drop(bind, checkfirst=True)
