#!/usr/bin/env bash
# Wrap the PyInstaller build (dist/pixdesk/, from installer/build.sh) into a .deb:
#   /opt/pixdesk/                          the one-folder build
#   /usr/bin/pixdesk, /usr/bin/pixdesk-gui symlinks into /opt/pixdesk
#   /usr/share/applications/pixdesk.desktop
#   /etc/xdg/pixdesk/pixdesk.toml          the machine configuration (a conffile: an upgrade
#                                          never overwrites what IT wrote)
#
#   installer/debian/build-deb.sh [OUT_DIR]    → OUT_DIR/pixdesk_VERSION_ARCH.deb (default dist/)
#
# DEB_COMPRESSION=gzip trades a larger file for a much faster build (smoke tests).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(realpath -m "${1:-$ROOT/dist}")
BUNDLE="$ROOT/dist/pixdesk"
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}

if [ ! -x "$BUNDLE/pixdesk" ]; then
    echo "build-deb: $BUNDLE/pixdesk is missing; run installer/build.sh first" >&2
    exit 1
fi
VERSION=$("$PYTHON" -c 'import tomllib, sys; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")
ARCH=$(dpkg --print-architecture)

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
ROOTFS="$STAGE/pixdesk_${VERSION}_${ARCH}"

install -d "$ROOTFS/DEBIAN" "$ROOTFS/opt" "$ROOTFS/usr/bin" \
    "$ROOTFS/usr/share/applications" "$ROOTFS/etc/xdg/pixdesk"
cp -a "$BUNDLE" "$ROOTFS/opt/pixdesk"
ln -s /opt/pixdesk/pixdesk "$ROOTFS/usr/bin/pixdesk"
ln -s /opt/pixdesk/pixdesk-gui "$ROOTFS/usr/bin/pixdesk-gui"
install -m 0644 "$ROOT/installer/pixdesk.desktop" "$ROOTFS/usr/share/applications/pixdesk.desktop"
install -m 0644 "$ROOT/installer/pixdesk.toml" "$ROOTFS/etc/xdg/pixdesk/pixdesk.toml"
echo /etc/xdg/pixdesk/pixdesk.toml > "$ROOTFS/DEBIAN/conffiles"

INSTALLED_SIZE=$(du -sk --exclude=DEBIAN "$ROOTFS" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@INSTALLED_SIZE@/$INSTALLED_SIZE/" \
    "$ROOT/installer/debian/control" > "$ROOTFS/DEBIAN/control"

mkdir -p "$OUT"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$ROOTFS" "$OUT/pixdesk_${VERSION}_${ARCH}.deb" >/dev/null
DEB="$OUT/pixdesk_${VERSION}_${ARCH}.deb"
echo "build-deb: $(basename "$DEB"): $(( $(stat -c %s "$DEB") / 1000000 )) MB (target ≤ 55 MB)"
echo "$DEB"
