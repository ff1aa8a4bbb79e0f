#!/bin/sh
# Runs once, when postgres:18 initialises an empty data volume (docker-entrypoint-initdb.d).
# The API connects as kzpay_api, which owns nothing: migrations run as the owner (POSTGRES_USER,
# MIGRATION_DATABASE_URL) and grant it what it needs, so it cannot switch the append-only triggers
# of the consent history and the disclosure log off (src/db/request-role.ts).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v api_password="$APP_DB_PASSWORD" <<'SQL'
create role kzpay_api login password :'api_password';
SQL
