#!/bin/sh
# vtlab-guest: busybox
# Runs inside a lab guest (busybox sh), cwd /vt, as the command of
# tests/suites/lab-exitstat.  Usage: sh lab-guest.sh distro|patched [N [heavy]]
#   distro:  the guest runs Debian's kernel with its stock KVM; the patched
#            modules built by kvm/build-modules are in /vt (path (b)).
#   patched: the guest runs the lab kernel built with the series (path (a)).
# Prints "step NAME rc=N" lines that the suite compares with what it
# expects, plus exitstat-vmm's own "check ..." lines.
mode=$1
n=${2:-1000}
heavy=${3:-}
if grep -qw vmx /proc/cpuinfo; then vmod=kvm_intel; else vmod=kvm_amd; fi
param=/sys/module/kvm/parameters/exit_stats

step() {
	name=$1
	shift
	echo "== $name: $*"
	"$@"
	echo "step $name rc=$?"
}

# exitstat in this guest itself: the emulator below is no patched KVM.
step exitstat-l1 ./exitstat

if [ "$mode" = distro ]; then
	step stock-modprobe modprobe $vmod
	step stock-vmm ./exitstat-vmm check --n 100
	# exitstat in a Linux guest of the stock KVM (tests/inner-vm payload):
	# it must say "not instrumented".
	if [ -x /vt/qemu-system-x86_64 ] && [ -f /vt/payload/run-inner ]; then
		INNER_TIMEOUT=1500 sh /vt/payload/run-inner /vt/qemu-system-x86_64 >/tmp/inner.log 2>&1
		grep -E '^exitstat: ' /tmp/inner.log | sed 's/^/inner: /'
		step inner-stock-exitstat grep -q '^exitstat: not instrumented' /tmp/inner.log
	fi
	step load sh ./load-modules --dir /vt
	# The same payload under the patched modules: its inner-init checks
	# exitstat and Debian's cpuid against each other (docs/inner-vm.md).
	# Heavy tier only: a second nested Linux boot (2-10 min under TCG).
	if [ -n "$heavy" ] && [ -x /vt/qemu-system-x86_64 ] && [ -f /vt/payload/run-inner ]; then
		INNER_TIMEOUT=1500 sh /vt/payload/run-inner /vt/qemu-system-x86_64 >/tmp/inner2.log 2>&1
		rc=$?
		tr -d '\r' </tmp/inner2.log | grep -E '^(ok|FAIL)|inner-vm: result|run-inner' | sed 's/^/inner: /'
		[ $rc -eq 0 ] || tr -d '\r' </tmp/inner2.log | tail -n 15 | sed 's/^/inner-tail: /'
		echo "step inner-patched rc=$rc"
	fi
else
	# The lab kernel builds KVM as modules and its guest has no udev to
	# load them: load the vendor module (and kvm with it) here.
	step patched-modprobe modprobe $vmod
fi
# The default scope is vm.  No host-scope run: that scope answers from a
# snapshot refreshed every 100 ms, which exitstat-vmm's exact comparison
# with debugfs kvm/exits cannot match (exit_stats_test checks host scope).
echo "exit_stats=$(cat $param 2>/dev/null)"
step vm4-vmm ./exitstat-vmm check --vcpus 4 --n "$n"
step vm-vmm ./exitstat-vmm check --vcpus 2 --n "$n"
echo off >$param
step off-vmm ./exitstat-vmm check --n 100
echo vm >$param
if [ "$mode" = distro ]; then
	step restore sh ./load-modules --restore
	step restored-vmm ./exitstat-vmm check --n 100
fi
exit 0
