#!/usr/bin/env bash
# Run once by the postgres image (/docker-entrypoint-initdb.d) on an empty data directory:
# one LOGIN role and one database it owns for each service. A service never reads another's
# database, so each role gets its own password and PUBLIC loses CONNECT on every database.
#
# Passwords come from the environment: <SERVICE>_DB_PASSWORD (MEMBERSHIP_DB_PASSWORD, ...).
# docker-compose.yml requires them (python3 -m devstack.secrets > .env makes them). They are only
# read here the first time: to change one later, ALTER ROLE (or drop the volume in dev).
set -eo pipefail  # no -u: the image sources (not runs) this file if it lost its exec bit

for service in membership billing referral notify; do
    var="${service^^}_DB_PASSWORD"
    password="${!var:-}"
    if [[ -z "$password" ]]; then
        echo "init.sh: $var is not set; refusing to create role $service without a password" >&2
        exit 1
    fi
    # psql's :'pw' quotes the value as a literal, so any password is safe here.
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" \
        --dbname "${POSTGRES_DB:-postgres}" -v name="$service" -v pw="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'pw';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
    echo "init.sh: role and database '$service' created"
done
