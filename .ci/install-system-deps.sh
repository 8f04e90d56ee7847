#!/usr/bin/env bash
# System packages the tests use: git and gcc (flag-model harness), gcc-multilib (-m32 runs),
# bubblewrap (harness namespaces), tmux (end-to-end TUI run), public-inbox (a real server for
# fetch/update tests), postgresql (the tests start a throwaway PostgreSQL cluster: the team
# store's second backend).
set -euo pipefail
need=()
command -v git >/dev/null || need+=(git)
command -v gcc >/dev/null || need+=(gcc)
command -v tmux >/dev/null || need+=(tmux)
command -v bwrap >/dev/null || need+=(bubblewrap)  # namespaces for the helper harness
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# gcc-multilib: probe a real -m32 build (any gcc version), as the flag model does
[ "$(uname -m)" != x86_64 ] \
    || echo 'int main(void) { return 0; }' | gcc -m32 -x c - -o /dev/null 2>/dev/null \
    || need+=(gcc-multilib)
if [ "${#need[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${need[@]}"
fi
sh "$(dirname "$0")/install-public-inbox.sh"
