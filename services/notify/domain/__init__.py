"""Notify's rules: who is told what on which channel, the message texts, and when to retry. Pure."""
