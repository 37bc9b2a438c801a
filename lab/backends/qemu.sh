# shellcheck shell=sh
# ------------------------------------------------------------- backend: QEMU
# The AMD models, under TCG.  VTLAB_QEMU chooses the build:
#   backports  QEMU from bookworm-backports (built for Debian 12), unpacked
#              under $cache/emulators through the lab's private apt
#              configuration (lib/apt.sh); the default
#   system     Debian 12's QEMU 7.2 (package qemu-system-x86)
# Sets qemu_bin and qemu_fw (its firmware options) for $VTLAB_QEMU,
# fetching the backports build if needed.
qemu__ensure() {
	apt_fallback="; or use Debian 12's emulators (VTLAB_BOCHS=system VTLAB_QEMU=system)"
	qemu_fw=
	case $qemu_build in
	system)
		command -v qemu-system-x86_64 >/dev/null 2>&1 || die "qemu-system-x86_64 is missing: apt-get install qemu-system-x86 (or run scripts/deps.sh)"
		qemu_bin=qemu-system-x86_64
		return 0
		;;
	backports) ;;
	*) die "VTLAB_QEMU='$qemu_build': use system (Debian 12's QEMU 7.2) or backports (QEMU from bookworm-backports)" ;;
	esac
	d="$cache/emulators/qemu-backports"
	mkdir -p "$cache/emulators"
	(
		flock 9
		[ -f "$d/.vtlab-ready" ] || qemu__fetch "$d"
	) 9>"$d.lock"
	qemu_bin="$d/root/usr/bin/qemu-system-x86_64"
	# Its own ROMs (linuxboot_dma.bin, ...) and the SeaBIOS it depends on.
	qemu_fw="-L $d/root/usr/share/qemu -L $d/root/usr/share/seabios"
}

# The backports QEMU and the packages of its own that it needs, unpacked
# into DIR; its other dependencies are Debian 12 libraries, which must be
# installed (ldd tells).  Delete DIR to fetch the current version again.
qemu__fetch() {
	d=$1
	rm -rf "$d"
	mkdir -p "$d/debs" "$d/root"
	pkgs="qemu-system-x86 qemu-system-common qemu-system-data seabios"
	apt_lists bookworm-backports
	progress "downloading $pkgs from bookworm-backports"
	(cd "$d/debs" && private_apt apt-get bookworm-backports download $pkgs >"$d/download.log" 2>&1) ||
		{ tail -n 3 "$d/download.log" >&2; die "cannot download QEMU from bookworm-backports (log: $d/download.log); use VTLAB_QEMU=system"; }
	for deb in "$d"/debs/*.deb; do
		dpkg-deb -x "$deb" "$d/root"
	done
	missing=$(ldd "$d/root/usr/bin/qemu-system-x86_64" | awk '/not found/ { print $1 }' | tr '\n' ' ')
	[ -z "$missing" ] || die "the backports QEMU needs libraries that are not installed: $missing(apt-get install the Debian 12 packages that have them)"
	"$d/root/usr/bin/qemu-system-x86_64" --version | head -n 1 >"$d/.vtlab-ready"
	rm -rf "$d/debs"
}

# The monitor on a pair of FIFOs (QEMU opens them read-write, so nothing
# blocks while no one listens): on a timeout, qemu__cpu_state asks it where
# each CPU was.
qemu__start() {
	mkfifo "$work/monitor.in" "$work/monitor.out"
	# shellcheck disable=SC2086
	"$qemu_bin" $qemu_fw -accel tcg -cpu "$model_emu_cpu" -smp "$smp" -m "$mem" \
		-nodefaults -no-user-config -display none -monitor "pipe:$work/monitor" -no-reboot \
		-serial "file:$serial" -kernel "$kimage" -initrd "$work/initramfs.gz" \
		-append "$cmdline" </dev/null >"$work/emulator.out" 2>&1 &
	emu_pid=$!
}

# Sends monitor commands (stdin of this function, may be slow) and prints
# the monitor's answers.  "info status" goes last and its answer ends the
# read, so a slow monitor under load is waited for; the timeout only
# guards one that stopped answering.
qemu__monitor() {
	timeout 20 sed -n -e 's/\r$//' -e '/^VM status/q' -e '/^QEMU .* monitor/d' -e '/^(qemu)/d' -e p <"$work/monitor.out" &
	reader=$!
	{
		cat
		printf 'info status\n'
	} >"$work/monitor.in"
	wait "$reader" || true
}

# A hung QEMU guest: every CPU's registers, the instructions at its RIP and
# its local APIC (is a timer armed, is an interrupt pending?), from the
# monitor, into FILE, with the kernel function each RIP is in; then five
# samples of each CPU's RIP 0.2 s apart, which tell a CPU stuck at one
# place (or halted) from one looping, and a halted CPU from one caught
# in a passing interrupt.
qemu__cpu_state() {
	out=$1
	[ -p "$work/monitor.in" ] && kill -0 "$emu_pid" 2>/dev/null || return 1
	i=0
	while [ $i -lt "$smp" ]; do
		printf 'cpu %d\ninfo registers\nx/4i $pc\ninfo lapic\n' "$i"
		i=$((i + 1))
	done | qemu__monitor >"$out"
	[ -s "$out" ] || return 1
	sed -n 's/^RIP=\([0-9a-fA-F]*\) .*/\1/p' "$out" | kernel_symbols | sed 's/^/RIP /' >>"$out"
	for k in 1 2 3 4 5; do
		i=0
		while [ $i -lt "$smp" ]; do
			printf 'cpu %d\np/x $pc\n' "$i"
			i=$((i + 1))
		done
		sleep 0.2
	done | qemu__monitor | sed -n 's/^0x\([0-9a-fA-F]*\)$/\1/p' | kernel_symbols |
		awk -v smp="$smp" '{ n = NR - 1; print "CPU " n % smp " RIP sample " int(n / smp) + 1 ": " $0 }' >>"$out"
}

# QEMU 7.2's TCG has been seen to stop a guest for good: no CPU moves
# again while an interrupt waits in a local APIC's IRR (the timer's vector
# 236 most often, docs/exit-stats.md "Lab results").  Such a boot used to
# sit out its whole timeout (10 min in the lab suites).  A correct machine
# delivers a pending interrupt within microseconds, or the CPU it waits on
# runs on (with interrupts off, in a handler of higher priority), so every
# CPU's registers being the same in two reads STALL_GAP s apart while one
# IRR is not empty means the emulator stopped, not the guest's program.
# The check runs only once the console has been silent for
# VTLAB_STALL_QUIET s (default 60; 0: never).
STALL_GAP=10
qemu__snapshot() {
	i=0
	while [ $i -lt "$smp" ]; do
		printf 'cpu %d\ninfo registers\ninfo lapic\n' "$i"
		i=$((i + 1))
	done | qemu__monitor | grep -E '^(R[A-Z0-9 ][A-Z0-9 ]=|IRR)'
}

qemu__stalled() {
	[ -p "$work/monitor.in" ] || return 1
	a=$(qemu__snapshot)
	echo "$a" | grep '^IRR' | grep -qv '(none)' || return 1
	sleep "$STALL_GAP"
	b=$(qemu__snapshot)
	[ -n "$b" ] && [ "$a" = "$b" ] || return 1
	# shellcheck disable=SC2046
	stall_irr=$(echo $(echo "$a" | sed -n 's/^IRR[[:space:]]*//p' | grep -v '(none)'))
}

# The default timeout of a run, in seconds.
qemu__timeout() { echo 300; }

# QEMU boots the kernel itself (-kernel), with its own firmware.
qemu__firmware() {
	[ -z "$vmx_off" ] || die "--vmx-off needs an Intel model with VMX under Bochs (not '$cpu')"
}

# TCG delivers what the EPYC models advertise: nothing to clear.
qemu__quirks() { :; }
