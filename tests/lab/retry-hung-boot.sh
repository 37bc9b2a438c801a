# Sourced by the lab suites, bash (through common.sh) and POSIX sh alike.
# retry_hung_boot PREFIX WHAT COMMAND...: runs COMMAND, a boot that leaves
# its vtlab exit status in PREFIX.rc and its output in PREFIX.out (and
# PREFIX.err).  A boot that timed out (124) is kept as PREFIX.hung.out and
# .hung.err and run once more, with a note in PREFIX.note.  Guests under
# QEMU TCG have been seen to stop for good, idle, waiting for a timer
# interrupt, and to loop for good in the int3 handler at a kernel
# instruction just patched across a page boundary (docs/exit-stats.md,
# "Lab results"): the emulator's faults, not results.
retry_hung_boot() {
	local prefix=$1 what=$2
	shift 2
	"$@"
	[ "$(cat "$prefix.rc")" = 124 ] || return 0
	mv "$prefix.out" "$prefix.hung.out"
	[ -f "$prefix.err" ] && mv "$prefix.err" "$prefix.hung.err"
	echo "note: $what timed out (a stalled emulator?) and was retried; the first try's output: $prefix.hung.out" >"$prefix.note"
	"$@"
}
