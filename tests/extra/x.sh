#!/bin/sh
echo "PASS extra_one"
echo "SKIP extra_two: needs hardware"
echo "kernel=$KLOS_KERNEL" >&2
