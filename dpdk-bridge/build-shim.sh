#!/usr/bin/env bash
# Builds the shim (libweirdpdk.so) into $1 for the module's build. Without DPDK or lwIP on this
# machine it says so and exits 0: the Java side still builds, and the transport then refuses
# to start with that reason (scripts/dpdk installs what is missing; the module's tests call it).
set -uo pipefail
out="${1:?usage: build-shim.sh OUT-DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# ./weir test sets WEIR_INSTALL_TEST_DEPS=1: the suite runs the bridge's tests, so what the shim
# needs is installed first (on a fresh machine too); a plain build (./weir up) installs nothing.
if [ "${WEIR_INSTALL_TEST_DEPS:-}" = 1 ]; then
  "$here/../scripts/dpdk" >&2 || { echo "[dpdk-bridge] scripts/dpdk could not install DPDK and lwIP" >&2; exit 1; }
fi
if ! "$here/../scripts/dpdk" --check 2>/dev/null; then
  echo "[dpdk-bridge] DPDK or lwIP is not installed here (scripts/dpdk installs them): the shim is not built" >&2
  exit 0
fi
make -s -C "$here/src/main/c" OUT="$out" OBJ="$here/target/native-obj" || { echo "[dpdk-bridge] building the shim failed" >&2; exit 1; }
