# shellcheck shell=sh
# ------------------------------------------------------------------ initramfs
# Copies a file into the root, and for a dynamically linked ELF also the
# shared libraries and loader it needs, at their host paths.
add_binary() {
	src=$1 dst=$2
	mkdir -p "$(dirname "$dst")"
	cp -L "$src" "$dst"
	case $src in *.ko | *.ko.*) return 0 ;; esac
	[ "$(head -c 4 "$src" | od -An -c | tr -d ' ')" = '177ELF' ] || return 0
	ldd "$src" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

is_distro() { case $1 in distro | distro-*) return 0 ;; esac; return 1; }

# Module selection for the Debian kernel: its full tree is hundreds of MB,
# the guests need KVM, msr and cpuid plus their dependencies.
distro_modules="kvm kvm_intel kvm_amd msr cpuid"

stage_modules() {
	dest="$root/lib/modules/$krel"
	mkdir -p "$dest"
	if ! is_distro "$kernel"; then
		cp -a "$kmods/." "$dest/"
		rm -f "$dest/build" "$dest/source"
		return 0
	fi
	todo=$distro_modules seen=
	while [ -n "$todo" ]; do
		# shellcheck disable=SC2086
		set -- $todo
		[ $# -gt 0 ] || break
		m=$1
		shift
		todo=$*
		case " $seen " in *" $m "*) continue ;; esac
		seen="$seen $m"
		f=$(modinfo -b "${kmods%/lib/modules/*}" -k "$krel" -n "$m" 2>/dev/null) ||
			die "module $m not found in $kmods"
		rel=${f#"$kmods"/}
		mkdir -p "$dest/$(dirname "$rel")"
		case $f in
		*.xz) xz -dc "$f" >"$dest/${rel%.xz}" ;;
		*.zst) zstd -qdc "$f" >"$dest/${rel%.zst}" ;;
		*) cp "$f" "$dest/$rel" ;;
		esac
		deps=$(modinfo -F depends "$f" | tr ',' ' ')
		todo="$todo $deps"
	done
	cp "$kmods"/modules.order "$kmods"/modules.builtin* "$dest/" 2>/dev/null || true
	depmod -b "$root" "$krel" 2>"$root.depmod.log" ||
		{ cat "$root.depmod.log" >&2; die "depmod for the guest modules failed"; }
	rm -f "$root.depmod.log"
}

write_init() {
	cat >"$root/init" <<INIT
#!/bin/sh
# vtlab guest init: mount the usual file systems, run the command, report.
/bin/busybox mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
ln -sf /proc/self/fd /dev/fd
hostname vtlab
# Keep kernel messages out of the command's output; dmesg still has them.
echo 1 >/proc/sys/kernel/printk
cd /vt
echo "VTLAB-BEGIN-$nonce"
/bin/sh /vt/.vtlab-command </dev/null
echo "VTLAB-END-$nonce rc=\$?"
sleep 1
poweroff -f
INIT
	chmod 755 "$root/init"
}

# Packs directory $1 into the gzip'd newc archive $2 (atomically).
pack_cpio() {
	(cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) >"$2.tmp.$$" ||
		die "packing the initramfs part $2 failed"
	mv "$2.tmp.$$" "$2"
}

# The part every run shares: static busybox with its applet links, and
# rdmsr/wrmsr (msr-tools) and cpuid with their libraries as independent
# oracles for tests.  Cached, keyed by those binaries.
base_cpio() {
	bb=$(command -v busybox) || bb=/bin/busybox
	if [ ! -x "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
		die "a static busybox is needed: apt-get install busybox-static"
	fi
	tools=
	for tool in rdmsr wrmsr cpuid; do
		t=$(command -v $tool 2>/dev/null) && tools="$tools $t"
	done
	# shellcheck disable=SC2086
	key=$({ echo recipe=1; ls -lL "$bb" $tools; } | hash_stdin)
	base="$cache/initramfs/base-$key.cpio.gz"
	[ -f "$base" ] && { echo "$base"; return 0; }
	mkdir -p "$cache/initramfs"
	root="$cache/initramfs/base-$key.tmp.$$"
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/dev" \
		"$root/proc" "$root/sys" "$root/tmp" "$root/vt" "$root/root" "$root/etc"
	cp "$bb" "$root/bin/busybox"
	"$bb" --list-full | grep -v '^bin/busybox$' | while read -r app; do
		ln -s /bin/busybox "$root/$app"
	done
	for t in $tools; do
		add_binary "$t" "$root/usr/sbin/$(basename "$t")"
	done
	pack_cpio "$root" "$base"
	rm -rf "$root"
	echo "$base"
}

# The kernel's modules, cached next to them (the distro tree is cut down to
# the modules the guests need; see stage_modules).
modules_cpio() {
	if is_distro "$kernel"; then
		mc="$kbase/.vtlab-modules.cpio.gz"
	else
		mc="$kdir/.vtlab-modules.cpio.gz"
	fi
	if [ ! -f "$mc" ] || [ "$kmods/modules.dep" -nt "$mc" ]; then
		root="$mc.root.$$"
		rm -rf "$root"
		mkdir -p "$root"
		stage_modules
		pack_cpio "$root" "$mc"
		rm -rf "$root"
	fi
	echo "$mc"
}

# The initramfs is three concatenated archives (the kernel unpacks them in
# order): the shared base, the kernel's modules, and this run's /init, files
# and command.
build_initramfs() {
	base=$(base_cpio)
	mods=$(modules_cpio)
	root="$work/root"
	mkdir -p "$root/vt"
	for f in $files; do
		[ -e "$f" ] || die "--file $f does not exist"
		if [ -d "$f" ]; then
			cp -a "$f" "$root/vt/"
		else
			add_binary "$f" "$root/vt/$(basename "$f")"
		fi
	done
	printf '%s\n' "$command" >"$root/vt/.vtlab-command"
	write_init
	pack_cpio "$root" "$work/run.cpio.gz"
	cat "$base" "$mods" "$work/run.cpio.gz" >"$work/initramfs.gz"
}
