#!/bin/sh
# mkdisk.sh OUT.img SIZE APP... -- the disk image make disk builds: an ext3 file
# system labelled KLOS (the OS mounts only a disk so labelled, unless root=
# names one), made by Linux's own mke2fs from a directory: every APP in /bin,
# and a README.  SIZE as mke2fs takes it (64M).  Put your own files in with
#   debugfs -w -R 'write LOCAL /NAME' OUT.img
set -eu
[ $# -ge 2 ] || { echo "usage: mkdisk.sh OUT.img SIZE APP..." >&2; exit 2; }
out=$1; size=$2; shift 2
dir=$(mktemp -d "${TMPDIR:-/tmp}/klos-disk.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/home"
for a in "$@"; do
    cp "$a" "$dir/bin/"
done
# /bench/u0..u7: 1 MiB each, read once by the benchmark suite (apps/bench/suite.c)
# as the first read after mount (uncached), one file per design and piece size
mkdir -p "$dir/bench"
for i in 0 1 2 3 4 5 6 7; do
    yes "KLOS bench file $i" | head -c 1048576 > "$dir/bench/u$i"
done
cat > "$dir/README" <<'TXT'
The KLOS disk: ext3 (data=journal), made by mke2fs.  Programs are in /bin
(run hello, or run /bin/hello); /home is yours.  What fsync returned is on
the disk; the rest is at most five seconds behind.
TXT
rm -f "$out"
mke2fs -q -F -t ext3 -b 4096 -L KLOS -d "$dir" "$out" "$size"
