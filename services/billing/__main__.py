"""`python -m services.billing [--role api|worker|all]`."""

from common.serve import main
from services.billing.service import build

main(build)
