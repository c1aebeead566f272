"""Seals short secrets (verification codes) for the one service that must read them."""

from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr

__all__ = ["InvalidToken", "new_key", "seal", "unseal"]


def new_key() -> str:
    """A fresh key, for set-up scripts and tests."""
    return Fernet.generate_key().decode()


def seal(key: SecretStr, plaintext: str) -> str:
    """Encrypt and authenticate `plaintext`."""
    return Fernet(key.get_secret_value().encode()).encrypt(plaintext.encode()).decode()


def unseal(key: SecretStr, token: str) -> str:
    """Decrypt a sealed value; raises InvalidToken if it was tampered with or the key differs."""
    return Fernet(key.get_secret_value().encode()).decrypt(token.encode()).decode()
