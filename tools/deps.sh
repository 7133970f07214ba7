#!/usr/bin/env bash
# deps.sh: make sure the Debian packages KLOS needs to build and test are installed.
# Fast (one dpkg-query call) when everything is present.
set -euo pipefail

# grub-efi-amd64-bin and grub-efi-ia32-bin: grub-mkrescue puts UEFI boot (64- and 32-bit)
# in the image beside BIOS GRUB; ovmf and ovmf-ia32: the UEFI firmware the tests boot it
# with; xfonts-base: the public-domain font the framebuffer console is built from;
# e2fsprogs: mke2fs builds the disk images, e2fsck and debugfs judge what KLOS wrote;
# qemu-utils: qemu-io replays recorded writes in the power-cut tests.
pkgs=(qemu-system-x86 qemu-utils nasm grub-pc-bin grub-efi-amd64-bin grub-efi-ia32-bin
      grub-common xorriso mtools gcc-i686-linux-gnu libc6-dev-i386-cross bochs bochsbios
      vgabios ovmf ovmf-ia32 xfonts-base gnuplot-nox e2fsprogs python3 make gcc)

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: dpkg-query not found (not a Debian-based system?); install by hand: ${pkgs[*]}" >&2
    exit 1
fi

# One dpkg-query for all packages (equivalent to `dpkg -s` per package, but one process).
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${pkgs[@]}" 2>/dev/null || true)
missing=()
for p in "${pkgs[@]}"; do
    grep -qx "$p installed" <<<"$installed" || missing+=("$p")
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: missing packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
else
    echo "deps: run this, then try again:" >&2
    echo "    sudo apt-get install -y ${missing[*]}"
    exit 1
fi
