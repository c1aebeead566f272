"""The verified-token cache of common.member_tokens: a hit answers what jwt.decode would."""

import uuid
from datetime import UTC, datetime

import jwt
import pytest
from pydantic import SecretStr

from common import member_tokens
from common.member_tokens import AccessClaims, issue_access, read_access

SECRET = SecretStr("k" * 32)
OTHER = SecretStr("o" * 32)


@pytest.fixture
def decodes(monkeypatch):
    """A fresh cache, and a count of the real decodes."""
    monkeypatch.setattr(member_tokens, "_verified", member_tokens._Verified(4))
    calls = []
    real = jwt.decode

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(member_tokens.jwt, "decode", counted)
    return calls


def _token(secret: SecretStr = SECRET) -> tuple[str, AccessClaims]:
    claims = AccessClaims(uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    return issue_access(secret, claims, datetime.now(UTC)), claims


def test_a_token_read_again_is_not_decoded_again(decodes):
    token, claims = _token()
    assert read_access(SECRET, token) == claims
    assert read_access(SECRET, token) == claims
    assert len(decodes) == 1


def test_a_cached_token_past_its_expiry_is_decoded_afresh(decodes, monkeypatch):
    token, _ = _token()
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    read_access(SECRET, token)
    monkeypatch.setattr(member_tokens.time, "time", lambda: exp)
    read_access(SECRET, token)  # the real clock still says valid; the cache did not answer
    assert len(decodes) == 3  # ours above, the first read, the read past exp


def test_the_cache_answers_only_for_the_secret_that_verified_the_token(decodes):
    token, _ = _token()
    read_access(SECRET, token)
    with pytest.raises(jwt.InvalidSignatureError):
        read_access(OTHER, token)


def test_a_changed_token_is_not_taken_for_a_cached_one(decodes):
    token, _ = _token()
    read_access(SECRET, token)
    head, payload, sig = token.split(".")
    with pytest.raises(jwt.PyJWTError):
        read_access(SECRET, f"{head}.{payload}.{sig[:-2]}{'AA' if sig[-2:] != 'AA' else 'BB'}")


def test_a_refused_token_is_not_cached(decodes):
    token, _ = _token(OTHER)
    for _ in range(2):
        with pytest.raises(jwt.InvalidSignatureError):
            read_access(SECRET, token)
    assert len(decodes) == 2


def test_the_cache_stays_within_its_size(decodes):
    for _ in range(9):
        read_access(SECRET, _token()[0])
    assert len(member_tokens._verified._tokens) <= 4
