#!/usr/bin/env bash
# mkiso.sh [-B] [-g GRUBLINE]... OUT.iso KERNEL.elf "CMDLINE" [MODULE ...]
# Builds a hybrid GRUB image -- CD and USB disk, BIOS and UEFI (64- and 32-bit: grub-mkrescue
# puts in every GRUB platform installed, see tools/deps.sh) -- that multiboots KERNEL with
# CMDLINE and loads each MODULE as /boot/<basename>, with the basename as its string.
# Each -g adds a line to grub.cfg before the menu entry (the tests' memory holes: -g 'cutmem 15M 16M').
# -B: BIOS GRUB only, as before UEFI was added: a third of the size and of the time to make, for
# the many boot tests that boot BIOS (tests/run.py); make iso and make usb never use it.
set -euo pipefail

usage() { echo "usage: $0 [-B] [-g GRUBLINE]... OUT.iso KERNEL.elf \"CMDLINE\" [MODULE ...]" >&2; exit 2; }
extra=""
platforms=()
while getopts Bg: opt; do
    case $opt in
        B)  platforms=(-d /usr/lib/grub/i386-pc);;
        g)  case "$OPTARG" in
                *$'\n'*|*\{*|*\}*) echo "mkiso: a grub.cfg line must not hold a newline or braces: $OPTARG" >&2; exit 1;;
            esac
            extra+="$OPTARG"$'\n';;
        *)  usage;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 3 ] || usage
out=$1; kernel=$2; cmdline=$3; shift 3

[ -f "$kernel" ] || { echo "mkiso: kernel '$kernel' not found" >&2; exit 1; }
for m in "$@"; do
    [ -f "$m" ] || { echo "mkiso: module '$m' not found" >&2; exit 1; }
done
case "$cmdline" in
    *\"*|*\$*|*\\*|*\;*|*$'\n'*)
        echo "mkiso: command line must not contain \" \$ \\ ; or newline: $cmdline" >&2; exit 1;;
esac

dir=$(mktemp -d "${TMPDIR:-/tmp}/klos-iso.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/klos.elf"

mods=""
for m in "$@"; do
    name=$(basename "$m")
    cp "$m" "$dir/boot/$name"
    mods+="    module /boot/$name $name"$'\n'
done

# No "timeout_style=hidden": with the serial terminal it costs ~3 s per boot
# under QEMU TCG.  timeout=0 boots the default entry without waiting for a key.
# The screen (the kernel's multiboot header asks for video, boot/entry.asm): GRUB 2.06's
# `multiboot` sets gfxpayload from the header (1024x768x32, else 1024x768, else auto), so a
# choice of our own comes after it.  BIOS: keep VGA text mode (gfxpayload=text).  UEFI has
# no text mode: the header's choice through the firmware's GOP (efi_gop, efi_uga; not GRUB's
# own QEMU drivers in all_video) -- gfxpayload=keep would hand over nothing there, as GRUB's
# console on UEFI is the firmware's text output, not a video mode GRUB could keep.
cat > "$dir/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
set pager=0
serial --unit=0 --speed=115200
terminfo serial dumb
terminal_input serial console
terminal_output serial console
if [ "\$grub_platform" = efi ]; then insmod efi_gop; insmod efi_uga; fi
${extra}
menuentry "KLOS" {
    multiboot /boot/klos.elf $cmdline
${mods}    if [ "\$grub_platform" = pc ]; then set gfxpayload=text; fi
    boot
}
CFG

mkdir -p "$(dirname "$out")"
# grub-mkrescue prints xorriso chatter on stderr; show it only on failure.
if ! log=$(grub-mkrescue "${platforms[@]}" -o "$out" "$dir" 2>&1); then
    echo "$log" >&2
    echo "mkiso: grub-mkrescue failed" >&2
    exit 1
fi
