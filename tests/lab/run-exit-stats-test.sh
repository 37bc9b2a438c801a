#!/bin/sh
# vtlab-guest: busybox
# Runs inside a lab guest (tests/suites/lab-kvm-selftest), in /vt next to
# exit_stats_test: loads KVM, then runs ./exit_stats_test ARGS.
#   lab     the patched lab kernel's own kvm modules (path (a))
#   distro  the path (b) modules beside this script, with kvm/load-modules
# Usage: run-exit-stats-test.sh lab|distro ARGS...
set -u
how=${1:-}
[ $# -gt 0 ] && shift
case $how in
lab)
	m=kvm_intel
	[ "$(awk '/^vendor_id/ { print $3; exit }' /proc/cpuinfo)" != AuthenticAMD ] || m=kvm_amd
	modprobe "$m" || { echo "modprobe $m failed"; exit 1; }
	;;
distro)
	sh ./load-modules --dir /vt || exit 1
	m=$(awk '$1 ~ /^kvm_(intel|amd)$/ { print $1 }' /proc/modules)
	;;
*)
	echo "usage: run-exit-stats-test.sh lab|distro ARGS..." >&2
	exit 2
	;;
esac
echo "kernel $(uname -r), $m, exit_stats=$(cat /sys/module/kvm/parameters/exit_stats)"
exec ./exit_stats_test "$@"
