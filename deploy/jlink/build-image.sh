#!/usr/bin/env bash
# Builds weir's runtime image and the root file system of its OCI image (docs/operations.md).
#   build-image.sh WEIR_JAR IMAGE_DIR OCI_ROOT
# IMAGE_DIR: a jlink runtime holding only the JDK modules weir.jar uses (jdeps computes them) with
#   app/weir.jar and bin/weir, a launcher; it runs on any x86-64 Linux with glibc.
# OCI_ROOT: what the OCI image (Jib, FROM scratch) holds besides nothing: the runtime under
#   /opt/weir, and the shared libraries that it and the native code inside weir.jar (Netty's
#   epoll, io_uring and BoringSSL, RocksDB) load, as ldd finds them on this machine, at their paths.
set -euo pipefail

jar="$1"; image="$2"; root="$3"
[ -f "$jar" ] || { echo "build-image.sh: $jar is missing (build the appliance module first)" >&2; exit 1; }
: "${JAVA_HOME:?JAVA_HOME must name the JDK 25 to take the modules from}"
bin="$JAVA_HOME/bin"

# Modules found by reading the byte code, and those only reflection or a service loader reaches:
# jdk.management (the JVM's OperatingSystem and thread beans for /metrics), jdk.crypto.cryptoki
# is not needed (no PKCS#11), jdk.zipfs (jar: file systems, read by some libraries' loaders).
modules="$("$bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 "$jar")"
modules="$modules,jdk.management,jdk.zipfs"
echo "build-image.sh: modules $modules" >&2

rm -rf "$image" "$root"
"$bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress zip-6 \
  --output "$image"
mkdir -p "$image/app"
cp "$jar" "$image/app/weir.jar"
cat > "$image/bin/weir" <<'LAUNCHER'
#!/bin/sh
# weir on its own runtime: bin/weir up --home DIR --config FILE (every subcommand: bin/weir --help).
# WEIR_JAVA_OPTS adds JVM options (heap size: -Xmx2g).
here="$(dirname "$(readlink -f "$0")")"
exec "$here/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow ${WEIR_JAVA_OPTS:-} \
  -jar "$here/../app/weir.jar" "$@"
LAUNCHER
chmod 755 "$image/bin/weir"

# The OCI root: the runtime, /tmp and weir's home for the natives and data written at run time.
mkdir -p "$root/opt" "$root/tmp" "$root/var/lib/weir" "$root/etc/weir"
cp -a "$image" "$root/opt/weir"
natives="$(mktemp -d)"
trap 'rm -rf "$natives"' EXIT
# Netty's epoll, io_uring and BoringSSL, RocksDB, and the Kafka client's compression codecs.
(cd "$natives" && unzip -q -o "$jar" 'META-INF/native/*x86_64*.so' 'librocksdbjni-linux64.so' 'linux/amd64/*.so' \
  'net/jpountz/util/linux/amd64/*.so' 'org/xerial/snappy/native/Linux/x86_64/*.so' 2>/dev/null || true)
# The runtime's own libraries, less the desktop ones a headless server never loads (java.desktop is
# in for java.beans, which libraries use; its X11, sound and splash-screen code is not).
objects=("$image/bin/java" "$image"/lib/server/*.so)
for so in "$image"/lib/*.so; do
  case "$(basename "$so")" in libawt_xawt.so|libjawt.so|libsplashscreen.so|libjsound.so) ;; *) objects+=("$so") ;; esac
done
while IFS= read -r -d '' so; do objects+=("$so"); done < <(find "$natives" -name '*.so' -print0)
# Each library ldd resolves (and the loader) at its own path, links followed; the runtime's own are there already.
for o in "${objects[@]}"; do
  ldd "$o" 2>/dev/null | awk '/=> \// {print $3} /^[ \t]*\/[^ ]+ \(/ {print $1}'
done | sort -u | grep -v "^$image/" | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# The loader also by its other usual name, so binaries linked either way find it.
if [ -f "$root/lib64/ld-linux-x86-64.so.2" ] && [ ! -e "$root/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ]; then
  mkdir -p "$root/lib/x86_64-linux-gnu"; cp "$root/lib64/ld-linux-x86-64.so.2" "$root/lib/x86_64-linux-gnu/"
fi
echo "build-image.sh: runtime image $image ($(du -sh "$image" | cut -f1)), OCI root $root ($(du -sh "$root" | cut -f1))" >&2
