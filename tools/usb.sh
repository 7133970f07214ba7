#!/usr/bin/env bash
# usb.sh DEV ISO: write the KLOS hybrid image to a USB stick (backend of `make usb DEV=/dev/sdX`).
# Refuses anything that is not a whole, removable, unmounted disk that does not hold
# the running system.  Asks for "yes" unless YES=1 is set in the environment.
set -euo pipefail

die() { echo "usb: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 /dev/sdX klos.iso   (or: make usb DEV=/dev/sdX)"
dev_arg=$1; iso=$2

[ -n "$dev_arg" ] || die "no device given: make usb DEV=/dev/sdX"
[ -f "$iso" ] || die "image '$iso' not found (run make first)"
for t in lsblk findmnt dd; do
    command -v "$t" >/dev/null 2>&1 || die "'$t' not found"
done

[ -e "$dev_arg" ] || die "'$dev_arg' does not exist"
dev=$(readlink -f -- "$dev_arg")          # /dev/disk/by-id/... -> /dev/sdX
[ -b "$dev" ] || die "'$dev_arg' is not a block device"

name=$(basename -- "$dev")
type=$(lsblk -dno TYPE -- "$dev" 2>/dev/null | head -n1 | tr -d ' ') || true
case "$type" in
    disk) ;;
    part)
        parent=$(lsblk -dno PKNAME -- "$dev" 2>/dev/null | head -n1 | tr -d ' ') || true
        die "'$dev' is a partition${parent:+ of /dev/$parent}: give the whole disk${parent:+ (/dev/$parent)}" ;;
    loop)
        back=$(cat "/sys/block/$name/loop/backing_file" 2>/dev/null) || true
        die "'$dev' is a loop device${back:+ (backed by the file $back)}, not a USB stick; to put the image in a file, copy it: cp $iso FILE" ;;
    rom)
        die "'$dev' is a CD/DVD drive, not a USB stick (to burn a CD, use $iso with your burning tool)" ;;
    crypt|lvm|dm|md|raid*|mpath)
        die "'$dev' is a '$type' volume on top of other disks, not a USB stick: give the stick's own disk, e.g. /dev/sdb" ;;
    '')
        die "'$dev': lsblk reports no device there (an unused loop device?)" ;;
    *)
        die "'$dev' is a '$type' device, not a whole disk: give the USB stick's disk, e.g. /dev/sdb" ;;
esac

majmin=$(lsblk -dno MAJ:MIN -- "$dev" | tr -d ' ')

# The disk(s) under / and /boot (walking through partitions, LVM, dm-crypt, md).
system_disks() {
    local mp src
    for mp in / /boot /boot/efi; do
        src=$(findmnt -no SOURCE --target "$mp" 2>/dev/null | head -n1) || continue
        src=${src%%\[*}                    # btrfs: /dev/sda2[/@]
        [ -b "$src" ] || continue
        lsblk -nsro MAJ:MIN,TYPE -- "$src" 2>/dev/null | awk '$2=="disk"{print $1}'
    done
}
if system_disks | grep -qx -- "$majmin"; then
    die "'$dev' holds the running system (/ or /boot is on it): refusing"
fi

mounts=$(lsblk -nro NAME,MOUNTPOINT -- "$dev" 2>/dev/null | awk 'NF>=2{print "/dev/"$1" on "$2}') || true
if [ -n "$mounts" ]; then
    echo "$mounts" >&2
    die "'$dev' (or one of its partitions) is mounted or in use as swap: unmount it first"
fi

removable=$(cat "/sys/block/$name/removable" 2>/dev/null || echo 0)
tran=$(lsblk -dno TRAN -- "$dev" 2>/dev/null | tr -d ' ') || true
if [ "$removable" != 1 ] && [ "$tran" != usb ]; then
    die "'$dev' is not removable (removable=$removable, transport=${tran:-none}): refusing"
fi

dev_bytes=$(lsblk -dbno SIZE -- "$dev" | tr -d ' ')
iso_bytes=$(stat -c %s -- "$iso")
if [ -n "$dev_bytes" ] && [ "$dev_bytes" -lt "$iso_bytes" ]; then
    die "'$dev' ($dev_bytes bytes) is smaller than '$iso' ($iso_bytes bytes)"
fi

echo "Target: $dev"
lsblk -do NAME,SIZE,TRAN,RM,VENDOR,MODEL,SERIAL -- "$dev" || true
echo "Image:  $iso ($iso_bytes bytes)"
echo "EVERYTHING ON $dev WILL BE DESTROYED."
if [ "${YES:-}" != 1 ]; then
    printf 'Type yes to write: '
    read -r answer || answer=
    [ "$answer" = yes ] || die "not confirmed; nothing written"
fi

dd if="$iso" of="$dev" bs=4M conv=fsync status=progress
sync
echo "usb: wrote $iso to $dev"
