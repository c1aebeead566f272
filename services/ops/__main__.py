"""`python -m services.ops worker` (the stream worker) or `python -m services.ops api`."""

import sys

if sys.argv[1:2] == ["worker"]:
    from services.ops.worker import main
else:
    from services.ops.api.app import main
main()
