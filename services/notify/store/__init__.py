"""Notify's SQL, in one place: the queue and its attempts (queue), who members are and how to
reach them (members), the inbox (inbox), the SMS spend (sms) and the ops numbers (ops).

Every function runs on the caller's connection and inside the caller's transaction.
"""
