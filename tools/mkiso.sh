#!/usr/bin/env bash
# mkiso.sh OUT.iso KERNEL.elf "CMDLINE" [MODULE ...]
# Builds a hybrid (CD + USB disk) GRUB image that multiboots KERNEL with CMDLINE
# and loads each MODULE as /boot/<basename>, with the basename as its string.
set -euo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 OUT.iso KERNEL.elf \"CMDLINE\" [MODULE ...]" >&2
    exit 2
fi
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
cat > "$dir/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
set pager=0
serial --unit=0 --speed=115200
terminfo serial dumb
terminal_input serial console
terminal_output serial console

menuentry "KLOS" {
    multiboot /boot/klos.elf $cmdline
${mods}    boot
}
CFG

mkdir -p "$(dirname "$out")"
# grub-mkrescue prints xorriso chatter on stderr; show it only on failure.
if ! log=$(grub-mkrescue -o "$out" "$dir" 2>&1); then
    echo "$log" >&2
    echo "mkiso: grub-mkrescue failed" >&2
    exit 1
fi
