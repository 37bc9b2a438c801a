# shellcheck shell=sh
# ------------------------------------------------------------------ vtlab run
# One boot: the kernel, the initramfs with the command, the emulator, and
# the watch over it until the command's end marker, a panic, the
# emulator's death or the timeout.  The emulator is a backend
# (backends/EMU.sh), which provides:
#   EMU__ensure        find or build the emulator; die saying what to install
#   EMU__timeout       print the default timeout in seconds
#   EMU__firmware      choose the firmware ($vmx_off asks for VMX locked off)
#   EMU__quirks        add to $clear and $cmdline what the guest kernel must
#                      be told on this emulator
#   EMU__start         start the guest from $kimage, $work/initramfs.gz and
#                      $cmdline, the console into $serial; set emu_pid
#   EMU__cpu_state F   where each CPU of a hung guest is, into F (1: cannot)
#   EMU__stalled       true when the emulator, not the guest, stopped;
#                      sets stall_irr
stop_emulator() {
	[ -n "${emu_pid:-}" ] || return 0
	kill "$emu_pid" 2>/dev/null || true
	i=0
	while kill -0 "$emu_pid" 2>/dev/null && [ $i -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$emu_pid" 2>/dev/null || true
	wait "$emu_pid" 2>/dev/null || true
	emu_pid=
}

# The kernel function each address read on stdin is in (System.map), or
# "no kernel text symbol" (a module or anything else past the image's end
# `_end`, a nested guest, firmware).
kernel_symbols() {
	map=$kdir/System.map
	[ -f "$map" ] || map=${kimage%/*}/System.map-$krel
	tr 'A-F' 'a-f' | while read -r rip; do
		rip=$(printf '%016s' "$rip" | tr ' ' 0)
		if [ -f "$map" ]; then
			# Equal-width hex strings compare like the numbers.
			awk -v rip="$rip" '
				$3 == "_end" { if (rip >= $1) f = ""; exit }
				$1 <= rip && $2 ~ /^[tTwW]$/ { f = $3 }
				END { print rip " is in " (f ? f : "no kernel text symbol") }' "$map"
		else
			echo "$rip is in an unknown function (no System.map)"
		fi
	done
}

# Lab failures exit 125 (124 for a timeout) so they are not mistaken for a
# command that failed on its own.
run_fail() {
	code=$1
	shift
	[ "$code" = 124 ] && "${emu}__cpu_state" "$work/cpu-state.txt" &&
		echo "$me: where the guest's CPUs were when it was stopped (QEMU monitor): $work/cpu-state.txt" >&2
	stop_emulator
	echo "$me: error: $*" >&2
	if [ -s "$serial" ]; then
		echo "$me: last console lines:" >&2
		tr -d '\r' <"$serial" | tail -n 25 | sed 's/^/  | /' >&2
	fi
	echo "$me: full console log kept: $serial" >&2
	[ -f "$work/bochs.log" ] && echo "$me: Bochs log: $work/bochs.log" >&2
	echo "$me: emulator output: $work/emulator.out" >&2
	keep_work=1
	exit "$code"
}

# An emulator killed by a signal (status > 128) before the guest kernel
# printed its first line crashed on its own: no guest code of ours had run.
# Bochs 2.7 has been seen to do that (SIGSEGV within a second of its
# start, once in some hundreds of starts).  Such a run is restarted once,
# with a note; a second crash, or any crash after the kernel started (which
# the guest may have caused), fails the run.
crashed_before_kernel() {
	[ "$1" -gt 128 ] && ! grep -q "Linux version" "$serial" 2>/dev/null
}

restart_emulator() {
	for f in emulator.out bochs.log console.log; do
		[ -f "$work/$f" ] && mv "$work/$f" "$work/crashed-$f"
	done
	: >"$serial"
	rm -f "$work/monitor.in" "$work/monitor.out"
	emu_restarted=1
	echo "$me: note: $emu was killed by signal $(($1 - 128)) before the guest kernel started; restarting it once (its output: $work/crashed-emulator.out)" >&2
	keep_work=1
	"${emu}__start"
}

# The emulator's last words, for a log that outlives the work directory
# (CI keeps only what the run printed).
emulator_output_tail() {
	if [ ! -s "$work/emulator.out" ]; then
		echo "$me: the emulator printed nothing" >&2
		return 0
	fi
	echo "$me: last lines of the emulator's output:" >&2
	tail -n 15 "$work/emulator.out" | sed 's/^/  | /' >&2
}

# Waits for the end marker, a kernel panic, the emulator's death or the
# timeout, whichever comes first.
watch_guest() {
	t0=$(now)
	t0_ms=$(now_ms)
	booted=
	quiet_limit=${VTLAB_STALL_QUIET:-60}
	case $quiet_limit in '' | *[!0-9]*) die "VTLAB_STALL_QUIET='$quiet_limit': give seconds (0: no stall check)" ;; esac
	console_size=0 console_t=$t0 stall_t=$t0
	while :; do
		if [ -z "$booted" ] && grep -q "VTLAB-BEGIN-$nonce" "$serial" 2>/dev/null; then
			booted=$(now)
			boot_ms=$(($(now_ms) - t0_ms))
			boot_time=$((booted - t0))
			progress "guest booted in $(secs $boot_ms) s; running the command"
		fi
		if grep -q "VTLAB-END-$nonce" "$serial" 2>/dev/null; then
			return 0
		fi
		if grep -q "Kernel panic - not syncing" "$serial" 2>/dev/null; then
			sleep 1
			run_fail 125 "guest kernel panicked ($(grep -m1 'Kernel panic' "$serial" | tr -d '\r'))"
		fi
		if ! kill -0 "$emu_pid" 2>/dev/null; then
			grep -q "VTLAB-END-$nonce" "$serial" 2>/dev/null && return 0
			wait "$emu_pid" 2>/dev/null && rc=0 || rc=$?
			emu_pid=
			if crashed_before_kernel "$rc" && [ -z "$emu_restarted" ]; then
				restart_emulator "$rc"
				t0=$(now)
				t0_ms=$(now_ms)
				continue
			fi
			emulator_output_tail
			run_fail 125 "$emu exited (status $rc) before the command finished; see $work/emulator.out"
		fi
		size=$(stat -c %s "$serial" 2>/dev/null || echo 0)
		if [ "$size" != "$console_size" ]; then
			console_size=$size console_t=$(now)
		elif [ "$quiet_limit" -gt 0 ] && [ $(($(now) - console_t)) -ge "$quiet_limit" ] &&
			[ $(($(now) - stall_t)) -ge "$quiet_limit" ]; then
			stall_t=$(now)
			"${emu}__stalled" &&
				run_fail 124 "the guest stalled: no CPU moved for $STALL_GAP s while interrupt vector(s) $stall_irr waited in the local APIC, the console silent for $(($(now) - console_t)) s: a QEMU TCG fault (docs/lab.md), not the command's result; a retry usually passes"
		fi
		if [ $(($(now) - t0)) -ge "$timeout" ]; then
			if [ -n "$booted" ]; then
				run_fail 124 "timeout: the command did not finish within $timeout s (guest booted after $boot_time s); use --timeout to allow more"
			else
				run_fail 124 "timeout: the guest did not reach userspace within $timeout s on $cpu"
			fi
		fi
		sleep 0.5
	done
}

cleanup_run() {
	stop_emulator
	if [ -n "${work:-}" ] && [ -d "$work" ] && [ -z "${keep_work:-}" ]; then
		rm -rf "$work"
	fi
}

cmd_run() {
	cpu= kernel=6.1 patches= smp=1 mem=512 files= timeout= keep= clear= vmx_off=
	emu_restarted=
	while [ $# -gt 0 ]; do
		case $1 in
		--cpu) [ $# -ge 2 ] || die "--cpu needs a model"; cpu=$2; shift 2 ;;
		--kernel) [ $# -ge 2 ] || die "--kernel needs 6.1, 6.12, 7.2, distro or distro-7.2"; kernel=$2; shift 2 ;;
		--patches) [ $# -ge 2 ] || die "--patches needs a directory"; patches=$2; shift 2 ;;
		--smp) [ $# -ge 2 ] || die "--smp needs a number"; smp=$2; shift 2 ;;
		--mem) [ $# -ge 2 ] || die "--mem needs megabytes"; mem=$2; shift 2 ;;
		--file)
			[ $# -ge 2 ] || die "--file needs a path"
			case $2 in *' '*) die "--file paths with spaces are not supported: '$2'" ;; esac
			f=$2
			case $f in /*) ;; *) f="$(pwd)/$f" ;; esac
			files="$files $f"
			shift 2
			;;
		--timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; timeout=$2; shift 2 ;;
		--clearcpuid)
			[ $# -ge 2 ] || die "--clearcpuid needs a comma-separated list of /proc/cpuinfo flag names, e.g. vmx"
			case $2 in *[!a-z0-9_,]* | '') die "--clearcpuid '$2': give flag names like vmx,avx2 (letters, digits, _ and commas)" ;; esac
			clear=${clear:+$clear,}$2
			shift 2
			;;
		--vmx-off) vmx_off=1; shift ;;
		--keep) keep=1; shift ;;
		--) shift; break ;;
		*) die "run: unknown option '$1'; usage: vtlab run --cpu MODEL [options] -- 'COMMAND'" ;;
		esac
	done
	[ -n "$cpu" ] || die "run: --cpu MODEL is required ('vtlab cpus' lists them)"
	[ $# -ge 1 ] || die "run: no command given; usage: vtlab run --cpu MODEL -- 'COMMAND'"
	command=$*
	for n in "$smp" "$mem" "${timeout:-1}"; do
		case $n in '' | *[!0-9]*) die "run: '$n' is not a positive number" ;; esac
	done
	cpu_lookup "$cpu"
	vendor=$model_vendor emu=$model_emu
	clear=$model_clear${model_clear:+${clear:+,}}$clear
	"${emu}__ensure"
	[ -n "$timeout" ] || timeout=$("${emu}__timeout")
	"${emu}__firmware"

	tb=$(now_ms)
	case $kernel in
	distro | distro-7.2)
		[ -z "$patches" ] || die "--patches works with --kernel 6.1, 6.12 or 7.2 (for a distro kernel, build the kvm modules out of tree and pass them with --file)"
		if [ "$kernel" = distro ]; then
			ensure_distro_kernel
		else
			ensure_sid_distro_kernel "${kernel#distro-}"
		fi
		;;
	*) ensure_kernel "$kernel" "$patches" ;;
	esac
	[ -f "$kimage" ] || die "kernel image $kimage is missing; run 'vtlab kernel --version $kernel'"
	build_time=$(($(now_ms) - tb))

	work=$(mktemp -d "${TMPDIR:-/tmp}/vtlab-run.XXXXXX")
	keep_work=$keep
	trap cleanup_run EXIT
	trap 'exit 130' INT TERM
	serial="$work/console.log"
	: >"$serial"
	nonce=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')

	cmdline="console=ttyS0,115200 panic=0 mitigations=off nowatchdog"
	"${emu}__quirks"
	# One clearcpuid= for all: the kernel takes only the last one it sees.
	[ -z "$clear" ] || cmdline="$cmdline clearcpuid=$clear"
	cmdline="$cmdline ${VTLAB_APPEND:-}"

	ti=$(now_ms)
	build_initramfs
	progress "booting $krel on $cpu ($vendor, $emu, smp $smp, $mem MB, timeout $timeout s)"
	"${emu}__start"
	prep_time=$(($(now_ms) - ti))
	tr0=$(now_ms)
	watch_guest
	total_run=$(($(now_ms) - tr0))
	stop_emulator
	tr -d '\r' <"$serial" | awk -v b="VTLAB-BEGIN-$nonce" -v e="VTLAB-END-$nonce" '
		index($0, e) { exit }
		on { print }
		index($0, b) { on = 1 }'
	rc=$(tr -d '\r' <"$serial" | sed -n "s/.*VTLAB-END-$nonce rc=\([0-9]*\).*/\1/p" | head -n 1)
	progress "times: kernel $(secs $build_time) s, initramfs+image $(secs $prep_time) s, boot $(secs "${boot_ms:-0}") s, command $(secs $((total_run - ${boot_ms:-0}))) s"
	[ -n "$keep" ] && progress "work directory kept: $work"
	exit "${rc:-125}"
}
