"""The one URL-masking function: every password shown as ***, and nothing else changed."""

import pytest

from schemas.redact import has_credentials, mask_url


@pytest.mark.parametrize("text, shown", [
    ("postgresql+psycopg://cb:S3cret@127.0.0.1:5432/budgets", "postgresql+psycopg://cb:***@127.0.0.1:5432/budgets"),
    ("postgresql://cb:p%40ss@db/budgets", "postgresql://cb:***@db/budgets"),
    # SQLAlchemy reads a raw "/" as part of the password: hidden whole
    ("error: 'postgresql://cb:S3/cret@db/budgets' refused", "error: 'postgresql://cb:***@db/budgets' refused"),
    ("postgresql://cb@db/budgets?sslmode=require&password=S3cret", "postgresql://cb@db/budgets?sslmode=require&password=***"),
    ("mysql://cb:S3cret@db/x and http://user:pw@host:81/a.pdf", "mysql://cb:***@db/x and http://user:***@host:81/a.pdf"),
    ("http://token123@host/a.pdf", "http://***@host/a.pdf"),
    # no user information: left as it is
    ("postgresql+psycopg://cb@db/budgets", "postgresql+psycopg://cb@db/budgets"),
    ("duckdb:////data/warehouse.duckdb", "duckdb:////data/warehouse.duckdb"),
    ("http://host:8080/files/a@b.pdf", "http://host:8080/files/a@b.pdf"),
    ("http://host/mail?to=a@b.cn", "http://host/mail?to=a@b.cn"),
    ("not a url", "not a url"),
])
def test_passwords_are_shown_as_stars(text, shown):
    assert mask_url(text) == shown
    assert mask_url(shown) == shown  # masking twice changes nothing


def test_credentials_in_a_web_address():
    assert has_credentials("http://user:pw@host/a.pdf") and has_credentials("http://***@host/a.pdf")
    assert not has_credentials("http://host:8080/files/a@b.pdf") and not has_credentials("http://host/a.pdf")
