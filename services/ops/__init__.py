"""Ops: the branch dashboard's live figures, counted by a faust stream worker from the events the
services already publish (never from their databases), and served as JSON to staff."""
