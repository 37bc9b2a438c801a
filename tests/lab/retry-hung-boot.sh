# Sourced by the lab suites, bash (through common.sh) and POSIX sh alike.
# retry_hung_boot PREFIX WHAT COMMAND...: runs COMMAND, a boot that leaves
# its vtlab exit status in PREFIX.rc and its output in PREFIX.out (and
# PREFIX.err).  A boot that timed out (124), or died of the int3 fault
# below, is kept as PREFIX.hung.out and .hung.err (the second as .hung2.*)
# and run again, up to HUNG_BOOT_RETRIES
# times (default 2), with a note per retry in PREFIX.note.  Guests under
# QEMU TCG have been seen to stop for good, idle, waiting for a timer
# interrupt (vtlab now calls that a stall, 124, after a minute of silence), and to loop for good in the int3 handler at a kernel
# instruction just patched across a page boundary (docs/exit-stats.md,
# "Lab results"): the emulator's faults, not results.  Twice in a row
# happened once (Debian's kernel, whose static keys are patched with int3
# when kvm.exit_stats changes), hence two retries.  The same patching has
# also ended in "Oops: int3" (vtlab exit 125, guest panic): the trap of a
# patched instruction taken after the patch was complete, with the new
# instruction's bytes already at RIP (seen once in three boots of Debian
# sid's 7.2 kernel under QEMU TCG, in __schedule's preempt-notifier key
# that KVM turns on); such a boot is retried too.
boot_hit_emulator_fault() {
	local rc
	rc=$(cat "$1.rc")
	case $rc in
	124) if grep -q 'the guest stalled: ' "$1.err" 2>/dev/null; then
		echo "stalled (no CPU moved while an interrupt was pending: QEMU TCG)"
	else
		echo "timed out (a stalled emulator?)"
	fi ;;
	125) cat "$1.out" "$1.err" 2>/dev/null | grep -q 'Oops: int3' &&
		echo "died in an int3 trap at a just-patched kernel instruction (QEMU TCG)" ;;
	esac
}

retry_hung_boot() {
	local prefix=$1 what=$2 try=1 tag why
	shift 2
	: >"$prefix.note"
	"$@"
	while why=$(boot_hit_emulator_fault "$prefix") && [ -n "$why" ] &&
		[ $try -le "${HUNG_BOOT_RETRIES:-2}" ]; do
		tag=hung
		[ $try -gt 1 ] && tag=hung$try
		mv "$prefix.out" "$prefix.$tag.out"
		[ -f "$prefix.err" ] && mv "$prefix.err" "$prefix.$tag.err"
		echo "note: $what $why and was retried; that try's output: $prefix.$tag.out" >>"$prefix.note"
		try=$((try + 1))
		"$@"
	done
	[ -s "$prefix.note" ] || rm -f "$prefix.note"
}
