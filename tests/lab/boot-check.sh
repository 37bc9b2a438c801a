#!/bin/sh
# vtlab-guest: busybox cpuid
# Runs inside a lab guest (copied there by tests/suites/lab-boot): prints
# key=value lines that the host compares against what it expects.
# Usage: boot-check.sh vmx|svm
flag=$1
case $flag in
vmx) module=kvm_intel ;;
svm) module=kvm_amd ;;
*) echo "usage: boot-check.sh vmx|svm" >&2; exit 2 ;;
esac
tracing=/sys/kernel/tracing

echo "vendor=$(sed -n 's/^vendor_id[^:]*: //p' /proc/cpuinfo | head -n 1)"
echo "release=$(uname -r)"
echo "cpus=$(grep -c '^processor' /proc/cpuinfo)"
echo "flag_cpus=$(grep '^flags' /proc/cpuinfo | grep -cw "$flag")"
# Raw CPUID from the cpuid tool, decoded on the host.
raw() { cpuid -1 -r -l "$1" | sed -n "s/.* $2=\(0x[0-9a-f]*\).*/\1/p" | head -n 1; }
echo "cpuid_1_ecx=$(raw 1 ecx)"
echo "cpuid_80000001_ecx=$(raw 0x80000001 ecx)"
echo "cpuid_8000000a_edx=$(raw 0x8000000a edx)"

if modprobe "$module"; then echo "modprobe=ok"; else echo "modprobe=failed"; fi
if [ -c /dev/kvm ]; then echo "kvm_dev=yes"; else echo "kvm_dev=no"; fi
echo 1 >"$tracing/events/kvm/kvm_pio/enable"
echo 1 >"$tracing/events/kvm/kvm_exit/enable"
echo 1 >"$tracing/events/kvm/kvm_userspace_exit/enable"
/vt/kvm-smoke
echo "smoke_rc=$?"
echo 0 >"$tracing/events/kvm/enable"
# KVM's own record of the exits, independent of what the VMM saw.
echo "trace_pio=$(grep -c 'kvm_pio: pio_write at 0xe9 size 1 count 1 val 0x5 ' "$tracing/trace")"
# Exits to userspace as KVM recorded them.  (A "kvm_exit ... reason HLT"
# event exists only where the CPU runs real mode itself: without
# unrestricted guest, as on Core 2 and Nehalem, KVM emulates the code.)
echo "trace_user_io=$(grep -c 'kvm_userspace_exit: reason KVM_EXIT_IO ' "$tracing/trace")"
echo "trace_user_hlt=$(grep -c 'kvm_userspace_exit: reason KVM_EXIT_HLT ' "$tracing/trace")"
echo "trace_hlt=$(grep -ci 'kvm_exit: vcpu 0 reason hlt ' "$tracing/trace")"
dmesg | grep -iE 'kvm|vmx|svm' | sed 's/^/dmesg: /'
