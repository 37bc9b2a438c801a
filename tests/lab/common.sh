# Shared helpers for the lab test suites (sourced by bash scripts).
# Each suite exits 0 (pass), 77 (skip) or 1 (fail).

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vtlab=$top/lab/vtlab
build=$top/build/lab
mkdir -p "$build"
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

pass() {
	echo "ok: $*"
}

# expect NAME ACTUAL EXPECTED
expect() {
	if [ "$2" = "$3" ]; then
		pass "$1 = $2"
	else
		fail "$1: got '$2', expected '$3'"
	fi
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	exit 0
}

# retry_hung_boot PREFIX WHAT COMMAND...: runs COMMAND, a boot that leaves
# its vtlab exit status in PREFIX.rc and its output in PREFIX.out (and
# PREFIX.err).  A boot that timed out (124) is kept as PREFIX.hung.out and
# .hung.err and run once more, with a note in PREFIX.note: a nested guest
# under QEMU TCG has been seen to stop for good, idle, waiting for a timer
# interrupt (docs/exit-stats.md), which is the emulator's, not a result.
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

# Skips the suite when the emulators are missing (never on CI, where
# scripts/deps.sh installs them).
need_emulators() {
	for t in bochs-bin qemu-system-x86_64 xorriso busybox; do
		command -v "$t" >/dev/null 2>&1 || { echo "skip: $t not installed"; exit 77; }
	done
}

# The static KVM smoke-test VMM; static so it runs in any guest.
build_kvm_smoke() {
	if [ ! -x "$build/kvm-smoke" ] || [ "$top/tests/lab/kvm-smoke.c" -nt "$build/kvm-smoke" ]; then
		gcc -static -O2 -Wall -Wextra -Werror -o "$build/kvm-smoke" "$top/tests/lab/kvm-smoke.c" ||
			{ echo "FAIL: cannot build kvm-smoke"; exit 1; }
	fi
}

# The value of "key=value" in a guest's output file.
field() {
	sed -n "s/^$1=//p" "$2" | head -n 1
}

# Bit N of a hex number.
bit() {
	echo $((($1 >> $2) & 1))
}
