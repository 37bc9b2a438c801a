# Shared helpers for the lab test suites (sourced by bash scripts).
# Each suite exits 0 (pass), 77 (skip) or 1 (fail) and prints TAP.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vtlab=$top/lab/vtlab
build=$top/build/lab
mkdir -p "$build"
# The results: TAP, as every suite prints them (ok, fail, expect, note,
# show, skip_all, bail_out, done_testing).
. "$top/tests/lib/tap.sh"

. "$top/tests/lab/retry-hung-boot.sh"
# The boots: tests/lab/matrix (matrix_boots, matrix_run).
. "$top/tests/lab/matrix.sh"

# Skips the suite when the emulators are missing (never on CI, where
# scripts/deps.sh installs them).
need_emulators() {
	for t in bochs-bin qemu-system-x86_64 xorriso busybox; do
		command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
	done
}

# The static KVM smoke-test VMM; static so it runs in any guest.
build_kvm_smoke() {
	if [ ! -x "$build/kvm-smoke" ] || [ "$top/tests/lab/kvm-smoke.c" -nt "$build/kvm-smoke" ]; then
		gcc -static -O2 -Wall -Wextra -Werror -o "$build/kvm-smoke" "$top/tests/lab/kvm-smoke.c" ||
			bail_out "cannot build tests/lab/kvm-smoke.c"
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
