"""`python -m services.notify [--role api|worker|all]`."""

from common.serve import main
from services.notify.service import build

main(build)
