# shellcheck shell=sh
# ------------------------------------------------------------------- kernels
hash_stdin() { sha256sum | cut -c1-12; }

# Identity of the kernel configuration: the fragment plus the recipe below.
config_id() {
	{ cat "$lab_dir/kconfig/minimal.config"; echo "recipe=1"; } | hash_stdin
}

# Identity of a patch series as the kernel sees it: the diffs of its
# *.patch files, in order, without commit messages and without the parts
# under tools/ (selftests), which do not change the kernel, so that a
# selftest-only change does not rebuild it.  The tree still gets every
# patch applied.
patches_id() {
	(cd "$1" && for p in $(ls -- *.patch 2>/dev/null | sort); do
		echo "patch"
		awk '/^diff --git / { on = ($3 !~ /^a\/tools\//) } on' "$p"
	done) | hash_stdin
}

source_tarball() {
	if is_sid_kernel "$1"; then
		fetch_sid_source "$1"
		echo "$sid_src/usr/src/linux-source-$1.tar.xz"
		return 0
	fi
	t=/usr/src/linux-source-$1.tar.xz
	[ -f "$t" ] || die "kernel source $t is missing; install it with 'apt-get install linux-source-$1' (or run scripts/deps.sh)"
	echo "$t"
}

source_id() {
	if is_sid_kernel "$1"; then
		echo "$1-$(sid_version "$1")"
		return 0
	fi
	pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$1" 2>/dev/null || echo unknown)
	echo "$1-$pkgver"
}

# ----------------------------------------------------- kernels from Debian sid
# Debian 12 has no linux-source-7.2; sid has.  It is fetched through the
# lab's private apt configuration (private_apt above).  The Debian version
# is pinned, so a cached tree is the same kernel on every machine; sid moves
# on and drops old versions, and then the fetch says which variable to set.
is_sid_kernel() { [ "$1" = 7.2 ]; }

# The variable that overrides the pinned Debian version: VTLAB_LINUX_7_2_VERSION.
sid_version_var() { echo "VTLAB_LINUX_${1}_VERSION" | tr . _; }

sid_version() {
	var=$(sid_version_var "$1")
	eval "v=\${$var:-}"
	case $1 in
	7.2) echo "${v:-7.2.13-1}" ;;
	esac
}

# Downloads PACKAGE at VERSION into DIR through the private configuration,
# with a clear error when sid no longer has that version.
sid_download() {
	pkg=$1 want=$2 dir=$3 var=$4
	# Outside $(...), so that its errors stop vtlab.
	apt_lists sid
	have=$(private_apt apt-cache sid show "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | tr '\n' ' ')
	case " $have " in
	*" $want "*) ;;
	"  ") die "Debian sid has no package $pkg (any more); see docs/lab.md for the kernels the lab can fetch" ;;
	*) die "Debian sid has $pkg ${have% }, not $want (sid keeps only its current version); set $var=${have%% *} to use it" ;;
	esac
	progress "downloading $pkg $want from Debian sid"
	(cd "$dir" && private_apt apt-get sid download "$pkg=$want") >"$dir/download.log" 2>&1 ||
		{ tail -n 5 "$dir/download.log" >&2; die "apt-get download $pkg=$want failed (log: $dir/download.log); check the network or set VTLAB_DEBIAN_MIRROR"; }
}

# Sets sid_src to the unpacked linux-source-VER package (fetched once; no
# network once it is in the cache).
fetch_sid_source() {
	ver=$1
	pkgver=$(sid_version "$ver")
	sid_src="$cache/sid/linux-source-${ver}_$pkgver"
	[ -f "$sid_src/.vtlab-ready" ] && return 0
	mkdir -p "$cache/sid"
	(
		flock 8
		[ -f "$sid_src/.vtlab-ready" ] && exit 0
		t0=$(now)
		rm -rf "$sid_src"
		mkdir -p "$sid_src/debs"
		# A failed fetch leaves nothing behind that looks like a source.
		trap 'rm -rf "$sid_src"' EXIT
		sid_download "linux-source-$ver" "$pkgver" "$sid_src/debs" "$(sid_version_var "$ver")"
		dpkg-deb -x "$sid_src"/debs/linux-source-"$ver"_*.deb "$sid_src" ||
			die "unpacking linux-source-$ver failed"
		[ -f "$sid_src/usr/src/linux-source-$ver.tar.xz" ] ||
			die "linux-source-$ver $pkgver has no /usr/src/linux-source-$ver.tar.xz"
		trap - EXIT
		rm -f "$sid_src"/debs/*.deb
		touch "$sid_src/.vtlab-ready"
		progress "linux-source-$ver $pkgver fetched in $(($(now) - t0)) s"
	) 8>"$sid_src.lock" || exit $?
}

# Required options must survive olddefconfig; a silent drop would give a
# kernel without KVM modules and confusing failures much later.
check_config() {
	for opt in CONFIG_KVM=m CONFIG_KVM_INTEL=m CONFIG_KVM_AMD=m CONFIG_X86_MSR=m \
		CONFIG_DEBUG_FS=y CONFIG_TRACING=y CONFIG_EVENT_TRACING=y CONFIG_SMP=y \
		CONFIG_SERIAL_8250_CONSOLE=y CONFIG_BLK_DEV_INITRD=y CONFIG_MODULES=y \
		CONFIG_ACPI=y CONFIG_64BIT=y; do
		grep -qx "$opt" "$1/.config" || die "kernel config in $1 lacks $opt after olddefconfig"
	done
}

kmake() {
	kd=$1
	shift
	nice make -C "$kd" -j"${VTLAB_JOBS:-2}" "$@"
}

# Runs a long step, showing a progress line every 30 s and the log tail on error.
long_step() {
	what=$1 log=$2
	shift 2
	progress "$what (log: $log)"
	t0=$(now)
	"$@" >"$log" 2>&1 &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		i=0
		while [ $i -lt 30 ] && kill -0 $pid 2>/dev/null; do
			sleep 1
			i=$((i + 1))
		done
		kill -0 $pid 2>/dev/null && progress "  ... $what: $(($(now) - t0)) s"
	done
	if ! wait $pid; then
		tail -n 30 "$log" >&2
		die "$what failed; full log: $log"
	fi
	progress "$what: done in $(($(now) - t0)) s"
}

build_base_kernel() {
	ver=$1 dir=$2
	tarball=$(source_tarball "$ver")
	tmp="$dir.tmp.$$"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	long_step "extracting $tarball" "$tmp.log" tar -xf "$tarball" -C "$tmp" --strip-components=1
	# Files newer than this marker are build outputs; patched trees copy them
	# instead of hard-linking them (see make_patched_tree).
	touch "$tmp/.vtlab-extracted"
	sleep 1
	progress "configuring linux $ver (tinyconfig + lab/kconfig/minimal.config)"
	(cd "$tmp" && make ARCH=x86_64 tinyconfig >/dev/null &&
		scripts/kconfig/merge_config.sh -m .config "$lab_dir/kconfig/minimal.config" >/dev/null &&
		make ARCH=x86_64 olddefconfig >/dev/null) >"$tmp.log" 2>&1 ||
		{ tail -n 20 "$tmp.log" >&2; die "configuring linux $ver failed"; }
	check_config "$tmp"
	mv "$tmp" "$dir"
	rm -f "$tmp.log"
}

# A patched tree shares the unchanged source files with the base tree through
# hard links and has private copies of all build outputs, so make rebuilds
# only what the patches touch and never writes into the base tree.  GNU patch
# replaces a file (new inode) rather than writing through the link.
make_patched_tree() {
	base=$1 dir=$2 patches=$3
	tmp="$dir.tmp.$$"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	progress "creating patched tree $dir"
	(cd "$base" &&
		find . -type d -print | cpio -pdm --quiet "$tmp" &&
		find . ! -type d ! -newer .vtlab-extracted ! -name .vtlab-built -print | cpio -pdl --quiet "$tmp" &&
		find . ! -type d -newer .vtlab-extracted ! -name .vtlab-built -print | cpio -pdm --quiet "$tmp")
	for p in $(cd "$patches" && ls -- *.patch | sort); do
		progress "applying $p"
		patch -d "$tmp" -p1 -s --no-backup-if-mismatch <"$patches/$p" >"$tmp.log" 2>&1 ||
			{ cat "$tmp.log" >&2; rm -rf "$tmp"; die "patch $patches/$p does not apply to linux $(basename "$base")"; }
	done
	rm -f "$tmp.log"
	echo "$base" >"$tmp/.vtlab-base"
	mv "$tmp" "$dir"
}

# objtool is built with absolute paths, so make rebuilds it in a new tree;
# every object records the objtool binary as a dependency, so a new objtool
# would rebuild the whole kernel.  Rebuild it first and give its outputs the
# base tree's timestamp: same program, nothing else looks out of date.
settle_objtool() {
	dir=$1
	base=$(cat "$dir/.vtlab-base")
	[ -f "$base/tools/objtool/objtool" ] || return 0
	kmake "$dir" tools/objtool >>"$dir/.vtlab-build.log" 2>&1 || return 0
	find "$dir/tools/objtool" -newer "$dir/.vtlab-base" -exec touch -h -r "$base/tools/objtool/objtool" {} +
}

build_tree() {
	dir=$1 ver=$2
	rm -f "$dir/.vtlab-built"
	[ -f "$dir/.vtlab-base" ] && settle_objtool "$dir"
	long_step "building linux $ver in $dir" "$dir/.vtlab-build.log" \
		kmake "$dir" bzImage modules
	rm -rf "$dir/.vtlab-mods"
	long_step "installing modules" "$dir/.vtlab-build.log" \
		kmake "$dir" modules_install INSTALL_MOD_PATH="$dir/.vtlab-mods" INSTALL_MOD_STRIP=1
	# Lets "make M=..." users find Module.symvers and the headers untouched.
	touch "$dir/.vtlab-built"
}

# Sets kdir, kimage, kmods and krel for VERSION [PATCHDIR]; builds as needed.
# Builds of the same tree are serialised with flock; different trees and
# runs of finished trees proceed in parallel.
ensure_kernel() {
	ver=$1 patches=${2:-}
	case $ver in
	6.1 | 6.12 | 7.2) ;;
	*) die "unknown kernel version '$ver'; use 6.1, 6.12, 7.2 or distro" ;;
	esac
	mkdir -p "$cache/kernel"
	base="$cache/kernel/linux-$(source_id "$ver")-c$(config_id)"
	(
		flock 9
		[ -d "$base" ] || build_base_kernel "$ver" "$base"
		[ -f "$base/.vtlab-built" ] || build_tree "$base" "$ver"
	) 9>"$base.lock"
	kdir=$base
	if [ -n "$patches" ]; then
		[ -d "$patches" ] || die "patch directory '$patches' does not exist"
		ls "$patches"/*.patch >/dev/null 2>&1 || die "no *.patch files in '$patches'"
		patches=$(cd "$patches" && pwd)
		kdir="$base-p$(patches_id "$patches")"
		(
			flock 9
			[ -d "$kdir" ] || make_patched_tree "$base" "$kdir" "$patches"
			[ -f "$kdir/.vtlab-built" ] || build_tree "$kdir" "$ver"
		) 9>"$kdir.lock"
		# Each revision of a series is a new tree (~200 MB): keep the
		# ones used last (this one first), drop the rest.
		touch "$kdir"
		"$lab_dir/prune-variants" "$base"
	fi
	kimage="$kdir/arch/x86/boot/bzImage"
	krel=$(cat "$kdir/include/config/kernel.release")
	kmods="$kdir/.vtlab-mods/lib/modules/$krel"
}

# Debian's stock kernel: image and modules from linux-image-*-amd64, headers
# from the matching linux-headers packages; unpacked, never installed.
ensure_distro_kernel() {
	mkdir -p "$cache/distro"
	(
		flock 9
		fetch_distro_kernel
	) 9>"$cache/distro.lock"
	pkg=$(resolve_distro_image)
	d="$cache/distro/$pkg"
	kbase=$d
	krel=${pkg#linux-image-}
	kimage="$d/root/boot/vmlinuz-$krel"
	kmods="$d/root/lib/modules/$krel"
	kdir="$d/root/usr/src/linux-headers-$krel"
}

# linux-image-amd64 is the metapackage that follows the archive; its
# dependency names the current ABI package (e.g. linux-image-6.1.0-41-amd64).
resolve_distro_image() {
	v=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | grep -v unsigned | head -n 1)
	[ -n "$v" ] || v=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
	[ -n "$v" ] || die "cannot resolve Debian's current kernel package (apt-cache depends linux-image-amd64 found nothing; run 'apt-get update')"
	echo "${v%-unsigned}"
}

fetch_distro_kernel() {
	pkg=$(resolve_distro_image)
	krel=${pkg#linux-image-}
	d="$cache/distro/$pkg"
	if [ -f "$d/.vtlab-ready" ]; then
		relocate_headers "$d" "$krel"
		return 0
	fi
	rm -rf "$d"
	mkdir -p "$d/debs" "$d/root"
	# The headers for a build tree: the arch-specific package and the common
	# one it depends on (linux-headers-<abi>-common).
	common=$(apt-cache depends "linux-headers-$krel" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-headers-[^ ]*-common\)$/\1/p' | head -n 1)
	kbuild=$(apt-cache depends "linux-headers-$krel" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-kbuild-[^ ]*\)$/\1/p' | head -n 1)
	progress "downloading $pkg, linux-headers-$krel $common $kbuild"
	(cd "$d/debs" && apt-get download "$pkg" "linux-headers-$krel" $common $kbuild >"$d/download.log" 2>&1) ||
		{ tail -n 5 "$d/download.log" >&2; die "apt-get download of $pkg failed (see $d/download.log)"; }
	for deb in "$d"/debs/*.deb; do
		progress "unpacking $(basename "$deb")"
		dpkg-deb -x "$deb" "$d/root"
	done
	[ -f "$d/root/boot/vmlinuz-$krel" ] || die "$pkg has no /boot/vmlinuz-$krel"
	relocate_headers "$d" "$krel"
	touch "$d/.vtlab-ready"
}

# Debian's arch headers Makefile includes the common tree by its absolute
# /usr/src path (newer ones also set KBUILD_OUTPUT to it); point them at the
# unpacked copy so "make M=" works here.
relocate_headers() {
	mk="$1/root/usr/src/linux-headers-$2/Makefile"
	[ -f "$mk" ] || die "linux-headers-$2 unpacked without a Makefile ($mk)"
	sed -i -e "s|^include /usr/src/|include $1/root/usr/src/|" \
		-e "s|^KBUILD_OUTPUT=/usr/src/|KBUILD_OUTPUT=$1/root/usr/src/|" "$mk"
	# The package leaves modules.dep to depmod at install time.  Debian 12
	# has the modules in /lib/modules, sid in /usr/lib/modules.
	mroot=$1/root
	[ -d "$mroot/lib/modules/$2" ] || mroot=$1/root/usr
	if [ ! -f "$mroot/lib/modules/$2/modules.dep" ]; then
		progress "running depmod for the unpacked $2 modules"
		# (sid ships only the .bin forms of modules.builtin: depmod warns)
		depmod -b "$mroot" "$2" 2>"$1/depmod.log" ||
			{ cat "$1/depmod.log" >&2; die "depmod on the unpacked $2 modules failed"; }
	fi
}

# ---------------------------------------------- Debian sid's distro kernel
# "distro-7.2": the kernel a Debian sid user runs, pinned like the 7.2
# source: ABI release VTLAB_DISTRO_7_2_RELEASE at package version
# VTLAB_LINUX_7_2_VERSION, both from the one Debian source package that
# also builds linux-source-7.2, so kvm/build-modules finds that kernel's
# exact source.  Image, modules, headers and kbuild are unpacked into the
# cache, never installed; the headers are adapted to this machine's gcc
# (lab/adapt-headers: sid builds with a newer gcc and glibc).
sid_distro_release() { echo "${VTLAB_DISTRO_7_2_RELEASE:-7.2.13+deb14-amd64}"; }

# Sets kbase, kimage, kmods, kdir and krel for sid's distro kernel VER.
ensure_sid_distro_kernel() {
	ver=$1
	krel=$(sid_distro_release)
	pkgver=$(sid_version "$ver")
	kbase="$cache/distro/sid-linux-$krel-$pkgver"
	kimage="$kbase/root/usr/lib/modules/$krel/vmlinuz"
	kmods="$kbase/root/usr/lib/modules/$krel"
	kdir="$kbase/root/usr/src/linux-headers-$krel"
	[ -f "$kbase/.vtlab-ready" ] && return 0
	mkdir -p "$cache/distro"
	(
		flock 9
		[ -f "$kbase/.vtlab-ready" ] && exit 0
		t0=$(now)
		rm -rf "$kbase"
		mkdir -p "$kbase/debs"
		trap 'rm -rf "$kbase"' EXIT
		abi=${krel%-amd64}
		apt_lists sid
		if ! private_apt apt-cache sid show "linux-binary-$krel" >/dev/null 2>&1; then
			cur=$(private_apt apt-cache sid depends linux-image-amd64 2>/dev/null |
				sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
			die "Debian sid has no kernel $krel any more${cur:+ (its current one is $cur)}; set VTLAB_DISTRO_7_2_RELEASE and VTLAB_LINUX_7_2_VERSION to sid's current release and version"
		fi
		for pkg in "linux-binary-$krel" "linux-modules-$krel" "linux-headers-$krel" \
			"linux-headers-$abi-common" "linux-kbuild-$abi"; do
			sid_download "$pkg" "$pkgver" "$kbase/debs" "$(sid_version_var "$ver")"
		done
		fetch_sid_source "$ver"
		mkdir -p "$kbase/root"
		for deb in "$kbase"/debs/*.deb; do
			progress "unpacking $(basename "$deb")"
			dpkg-deb -x "$deb" "$kbase/root" || die "unpacking $deb failed"
		done
		[ -f "$kimage" ] || die "linux-binary-$krel has no $kimage"
		relocate_headers "$kbase" "$krel"
		"$lab_dir/adapt-headers" "$kdir" "$sid_src/usr/src/linux-source-$ver.tar.xz" ||
			die "adapting the $krel headers to this machine's toolchain failed"
		rm -f "$kbase"/debs/*.deb
		trap - EXIT
		touch "$kbase/.vtlab-ready"
		progress "Debian sid's kernel $krel fetched and prepared in $(($(now) - t0)) s"
	) 9>"$kbase.lock" || exit $?
}

# The pristine source tarball of a kernel version (7.2: fetched from Debian
# sid into the cache once), for tools that need its scripts (checkpatch).
cmd_source() {
	[ $# -eq 2 ] && [ "$1" = --version ] || die "source: give --version 6.1|6.12|7.2"
	case $2 in
	6.1 | 6.12 | 7.2) source_tarball "$2" ;;
	*) die "unknown kernel version '$2'; use 6.1, 6.12 or 7.2" ;;
	esac
}

cmd_kernel() {
	ver= patches= print_dir= distro=
	while [ $# -gt 0 ]; do
		case $1 in
		--version) [ $# -ge 2 ] || die "--version needs 6.1, 6.12 or 7.2"; ver=$2; shift 2 ;;
		--patches) [ $# -ge 2 ] || die "--patches needs a directory"; patches=$2; shift 2 ;;
		--distro) distro=1; shift ;;
		--print-dir) print_dir=1; shift ;;
		*) die "kernel: unknown option '$1'; see 'vtlab help'" ;;
		esac
	done
	if [ -n "$distro" ]; then
		[ -z "$patches" ] || die "--distro does not take --patches (build the kvm modules with kvm/build-modules)"
		case $ver in
		'') ensure_distro_kernel ;;
		7.2) ensure_sid_distro_kernel "$ver" ;;
		*) die "--distro --version: 7.2 (Debian sid's), or none for Debian 12's own kernel" ;;
		esac
	else
		[ -n "$ver" ] || die "kernel: give --version 6.1|6.12|7.2 or --distro"
		ensure_kernel "$ver" "$patches"
	fi
	if [ -n "$print_dir" ]; then
		echo "$kdir"
	else
		progress "kernel $krel ready: $kimage"
	fi
}
