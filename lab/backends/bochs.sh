# shellcheck shell=sh
# ------------------------------------------------------------ backend: Bochs
# The Intel models.  VTLAB_BOCHS chooses the build:
#   3.0     Bochs built from Debian trixie's source package (the default)
#   system  Debian 12's Bochs 2.7 (package bochs)
#   3.1     Bochs built from Debian sid's source package
# The built ones live under $cache/emulators; their sources come through
# the lab's private apt configuration (lib/apt.sh).
bochs_suites="3.0:trixie 3.1:sid"

# Bochs boots Linux only from a CD, so the kernel and initramfs go on an
# isolinux ISO.
bochs__make_iso() {
	iso="$work/iso"
	mkdir -p "$iso/isolinux"
	cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/" ||
		die "isolinux files missing: apt-get install isolinux syslinux-common"
	cp "$kimage" "$iso/bzImage"
	cp "$work/initramfs.gz" "$iso/initrd.gz"
	cat >"$iso/isolinux/isolinux.cfg" <<CFG
default vtlab
prompt 0
timeout 0
label vtlab
  kernel /bzImage
  append initrd=/initrd.gz $cmdline
CFG
	xorriso -as mkisofs -quiet -o "$work/boot.iso" -b isolinux/isolinux.bin \
		-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
		"$iso" >"$work/xorriso.log" 2>&1 || { cat "$work/xorriso.log" >&2; die "xorriso failed"; }
}

# Emulated instructions per emulated second under Bochs: the rate of its
# PIT, HPET and TSC (VTLAB_BOCHS_IPS).
bochs_ips=${VTLAB_BOCHS_IPS:-50000000}

# Sets bochs_bin (and bochs_ver) for $VTLAB_BOCHS, building it if needed.
bochs__ensure() {
	apt_fallback="; or use Debian 12's emulators (VTLAB_BOCHS=system VTLAB_QEMU=system)"
	bochs_ver=$bochs_build
	case $bochs_ips in
	*[!0-9]* | '' | ? | ?? | ??? | ???? | ????? | ??????)
		die "VTLAB_BOCHS_IPS='$bochs_ips': give instructions per second, a whole number of at least 1000000 (default 50000000)" ;;
	esac
	if [ "$bochs_ver" = system ]; then
		command -v bochs-bin >/dev/null 2>&1 || die "bochs-bin is missing: apt-get install bochs (or run scripts/deps.sh)"
		bochs_bin=bochs-bin
		return 0
	fi
	suite=$(echo "$bochs_suites" | tr ' ' '\n' | sed -n "s/^$bochs_ver://p")
	[ -n "$suite" ] || die "VTLAB_BOCHS='$bochs_ver': use system (Debian 12's Bochs 2.7), 3.0 or 3.1 (built from Debian trixie's or sid's source package)"
	d="$cache/emulators/bochs-$bochs_ver"
	mkdir -p "$cache/emulators"
	(
		flock 9
		grep -qx "lab-patches $(bochs__patches_id)" "$d/.vtlab-built" 2>/dev/null ||
			bochs__build "$suite" "$d"
	) 9>"$d.lock"
	bochs_bin="$d/bin/bochs"
}

# The lab's own fixes to Bochs (lab/patches/bochs/, applied after Debian's):
# a build made without the current set is made again.
bochs__patches_id() {
	cat "$lab_dir"/patches/bochs/*.patch 2>/dev/null | hash_stdin
}

# Bochs from SUITE's source package into DIR: Debian's sources and patches,
# then the lab's (lab/patches/bochs/),
# configured for the lab (x86-64, SMP, VMX level 2 and SVM, the CPU features
# of the newest models, the rfb display, no plugins and no GUI).  Build
# dependencies: build-essential only.
bochs__build() {
	suite=$1 d=$2
	apt_lists "$suite"
	v=$(source_version bochs "$suite")
	case $v in
	"$bochs_ver"+* | "$bochs_ver"-*) ;;
	'') die "Debian $suite has no bochs source package (see $cache/apt/$suite/update.log)" ;;
	*) die "Debian $suite's bochs source is $v, not $bochs_ver; choose VTLAB_BOCHS from: $bochs_suites (version:suite)" ;;
	esac
	rm -rf "$d"
	mkdir -p "$d/src"
	progress "fetching Debian $suite's bochs $v source package"
	# apt checks each file's hash against the signed Sources index before
	# keeping it, so the tarballs are trusted even when the .dsc (their
	# index, which the build does not need) is not served.
	(cd "$d/src" && private_apt apt-get "$suite" source --download-only "bochs=$v" >"$d/fetch.log" 2>&1) || true
	orig=$(ls "$d"/src/bochs_*.orig.tar.* 2>/dev/null | head -n 1)
	deb=$(ls "$d"/src/bochs_*.debian.tar.* 2>/dev/null | head -n 1)
	[ -n "$orig" ] && [ -n "$deb" ] || {
		grep '^E:' "$d/fetch.log" | head -n 3 >&2
		die "Debian's archive did not serve bochs $v's source (log: $d/fetch.log); use VTLAB_BOCHS=system or another of: $bochs_suites (version:suite)"
	}
	s="$d/src/bochs"
	mkdir -p "$s"
	tar -xf "$orig" -C "$s" --strip-components=1
	tar -xf "$deb" -C "$s"
	for p in $(sed 's/#.*//' "$s/debian/patches/series"); do
		patch -d "$s" -p1 -s <"$s/debian/patches/$p" >>"$d/build.log" 2>&1 ||
			die "Debian's patch $p does not apply to bochs $v (log: $d/build.log)"
	done
	for p in "$lab_dir"/patches/bochs/*.patch; do
		[ -f "$p" ] || continue
		patch -d "$s" -p1 -s <"$p" >>"$d/build.log" 2>&1 ||
			die "the lab's patch ${p#"$lab_dir"/} does not apply to bochs $v (log: $d/build.log)"
	done
	progress "building bochs $v (configure + make -j$(nproc), nice; log: $d/build.log)"
	(cd "$s" && nice ./configure --prefix="$d" --with-rfb --with-nogui --disable-plugins \
		--disable-docbook --disable-debugger --enable-x86-64 --enable-smp --enable-cpu-level=6 \
		--enable-vmx=2 --enable-svm --enable-avx --enable-evex --enable-amx --enable-cet \
		--enable-uintr --enable-protection-keys --enable-memtype --enable-fpu --enable-a20-pin \
		--enable-pci --enable-cdrom --enable-repeat-speedups --enable-all-optimizations &&
		nice make -j"$(nproc)" && make install) >>"$d/build.log" 2>&1 ||
		{ tail -n 20 "$d/build.log" >&2; die "building bochs $v failed (log: $d/build.log)"; }
	[ -x "$d/bin/bochs" ] || die "bochs $v built no $d/bin/bochs (log: $d/build.log)"
	rm -rf "$s"
	printf '%s\nlab-patches %s\n' "$v" "$(bochs__patches_id)" >"$d/.vtlab-built"
}

# Without a sound card the speaker's mixer thread aborts Debian's Bochs 2.7;
# the lab's own builds have no sound support, so no such thread and no
# "sound:" option.
bochs__sound() {
	[ "$bochs_ver" = system ] || return 0
	printf 'speaker: enabled=0\nsound: driver=dummy\n'
}

bochs__start() {
	bochs__make_iso
	cat >"$work/bochsrc" <<RC
# written by vtlab for one run
cpu: model=$model_emu_cpu, count=$smp, ips=$bochs_ips, reset_on_triple_fault=0
memory: guest=$mem, host=$mem
romimage: file=$bochs_bios
vgaromimage: file=/usr/share/bochs/VGABIOS-lgpl-latest
pci: enabled=1, chipset=i440fx
ata0-master: type=cdrom, path=$work/boot.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$serial
clock: sync=none, time0=local
# rfb is the only display built into Debian's Bochs that runs headless; it
# takes the first free port from 5900 up and does not wait for a viewer.
display_library: rfb, options="timeout=0"
$(bochs__sound)
log: $work/bochs.log
panic: action=fatal
error: action=report
info: action=${VTLAB_BOCHS_INFO:-ignore}
debug: action=ignore
RC
	# Debian's Bochs has the debugger, which waits for a command ("c"
	# continues); the lab's builds have none and no -rc option.
	set -- -q -f "$work/bochsrc"
	if [ "$bochs_ver" = system ]; then
		echo c >"$work/bochs.rc"
		set -- "$@" -rc "$work/bochs.rc"
	fi
	"$bochs_bin" "$@" </dev/null >"$work/emulator.out" 2>&1 &
	emu_pid=$!
}

# The default timeout of a run, in seconds: Bochs boots take minutes.
bochs__timeout() { echo 900; }

# The firmware: Bochs' own BIOS (BIOS-bochs-latest) locks
# IA32_FEATURE_CONTROL with VMX on before Linux starts, even with
# clearcpuid=vmx.  --vmx-off (the state a firmware that disables VMX
# leaves) boots SeaBIOS instead, which leaves the MSR alone outside QEMU:
# Linux's feat_ctl.c then locks it itself, with VMX on only if the kernel
# still has the vmx feature, which clearcpuid=vmx takes away.  SeaBIOS'
# tables under Bochs list one CPU.  (Bochs' legacy BIOS leaves the MSR
# alone too, but has no ACPI or MP tables, without which the guest's timer
# makes a "sleep 1" cost a minute.)
bochs__firmware() {
	bochs_bios=/usr/share/bochs/BIOS-bochs-latest
	[ -n "$vmx_off" ] || return 0
	[ "$model_vendor" = Intel ] && [ "$model_virt" = vmx ] ||
		die "--vmx-off needs an Intel model with VMX under Bochs (not '$cpu')"
	[ "$smp" = 1 ] || die "--vmx-off boots SeaBIOS, whose tables under Bochs list one CPU only; drop --smp $smp"
	bochs_bios=/usr/share/seabios/bios.bin
	[ -f "$bochs_bios" ] || die "--vmx-off needs SeaBIOS ($bochs_bios): apt-get install seabios"
	clear=${clear:+$clear,}vmx
}

# What the guest kernel must be told under Bochs (2.7 and 3.0), on every
# model (a no-op where a model lacks the feature):
# - clearcpuid: FSRM (Bochs executes the kernel's bare "rep movsb" memmove
#   so that the boot hangs), APERF/MPERF (MSRs 0xe7/0xe8 not implemented,
#   read on every tick), PKU (no XSAVE area for PKRU: a kernel with
#   protection keys turns XSAVE off, and Debian's 7.2 dies in
#   fpstate_reset());
# - on 7.x kernels also AVX-512: the AVX-512 models' CPUID.0xD sizes do not
#   match what XSAVE writes, Linux turns XSAVE off and 7.2 oopses in
#   prepare_creds();
# - tsc_early_khz: Bochs' TSC runs at bochs_ips per emulated second, but
#   the models from Skylake on report a nominal rate in CPUID 0x15/0x16
#   that Linux would trust without calibrating, its clock then running
#   70x slow against every timer Bochs has.
# docs/lab.md ("The Ice Lake / Tiger Lake trap", "The guest's clock under
# Bochs") has how each was found.
bochs__quirks() {
	clear=aperfmperf,fsrm,pku${clear:+,$clear}
	case $kernel in 7.* | distro-7.*) clear=$clear,avx512f ;; esac
	cmdline="$cmdline tsc_early_khz=$((bochs_ips / 1000))"
}

# Bochs has no monitor to ask where a hung guest's CPUs were, and its
# stalls are not known: both verbs answer "nothing".
bochs__cpu_state() { return 1; }
bochs__stalled() { return 1; }
