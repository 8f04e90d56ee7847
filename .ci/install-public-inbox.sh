#!/bin/sh
# Install public-inbox (with its Xapian, SQLite and Plack dependencies) for the fetch/update tests.
# Debian 12 ships public-inbox 1.9; every module the tests need is a hard dependency of
# libpublicinbox-perl, so recommends are not needed. Idempotent; needs root.
set -eu
if command -v public-inbox-httpd >/dev/null 2>&1 \
	&& command -v public-inbox-init >/dev/null 2>&1 \
	&& command -v public-inbox-index >/dev/null 2>&1; then
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends public-inbox
