"""TLS contexts for the platform's outgoing connections (an SMTP relay, a provider's API)."""

from __future__ import annotations

import ssl


def client_context(ca_file: str | None = None) -> ssl.SSLContext:
    """A client context that verifies the server: its certificate chain and its host name.

    With ca_file, only the CAs in that PEM file are trusted (a private relay's own CA);
    otherwise the system's.
    """
    context = ssl.create_default_context(cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context  # create_default_context: CERT_REQUIRED and check_hostname already on
