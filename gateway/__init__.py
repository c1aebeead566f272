"""The gateway: the one front door for apps; routes to services, checks readiness, limits abuse."""
