"""The gateway: the front door (HAProxy, configured from routes.py) and the app behind it."""
