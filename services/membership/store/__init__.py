"""Membership's repository: every SQL statement of the service, one module per thing stored.

Every function runs on the caller's connection and transaction (the handler's unit of work);
a write that must publish an event stages it in the outbox in that same transaction
(`events.stage`). Errors of the driver become answers a handler understands here (None,
`RequestOpen`), never by matching message text.
"""
