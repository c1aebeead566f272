"""The ops service's use cases (the worker's counting runs in its faust agents, worker.py)."""
