# shellcheck shell=sh
# ------------------------------------------- Debian suites, privately
# Packages from Debian suites this system does not use (sid's kernel
# source, trixie's or sid's Bochs source, bookworm-backports' QEMU) come
# through an apt configuration of the lab's own, one per suite under
# $cache/apt/SUITE: its own sources list (deb and deb-src), package lists,
# an empty dpkg status and a package cache.  The system's apt sources and
# dpkg database are never touched and nothing is installed.
# VTLAB_DEBIAN_MIRROR replaces deb.debian.org.
debian_mirror() { echo "${VTLAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"; }

# TOOL (apt-get or apt-cache) on the private configuration in $apt_dir.
# The sandbox user stays root: _apt could not write to a cache under
# root's home.
apt_in() {
	apt_tool=$1
	shift
	"$apt_tool" -q -o Dir::Etc="$apt_dir/etc" -o Dir::Etc::Parts="$apt_dir/etc/apt.conf.d" \
		-o Dir::Etc::PreferencesParts="$apt_dir/etc/preferences.d" \
		-o Dir::State="$apt_dir" -o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::State::status="$apt_dir/status" -o Dir::Cache="$apt_dir/cache" \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root -o APT::Architecture=amd64 "$@"
}

# Sets apt_dir for Debian SUITE, (re)writing its sources list and fetching
# its package lists when they are missing, older than a day or from
# another mirror.  apt-get update exits 0 when it cannot reach the
# archive, so its log is read too.  apt_fallback, if set, is appended to
# the error (what else the user can do).
apt_lists() {
	apt_suite=$1
	apt_dir="$cache/apt/$apt_suite"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -f "$keyring" ] || die "Debian's archive keyring $keyring is missing: apt-get install debian-archive-keyring"
	mirror=$(debian_mirror)
	mkdir -p "$apt_dir/etc/apt.conf.d" "$apt_dir/etc/preferences.d" \
		"$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	(
		flock 7
		for kind in deb deb-src; do
			echo "$kind [signed-by=$keyring] $mirror $apt_suite main"
		done >"$apt_dir/etc/sources.list.new"
		if ! cmp -s "$apt_dir/etc/sources.list.new" "$apt_dir/etc/sources.list"; then
			mv "$apt_dir/etc/sources.list.new" "$apt_dir/etc/sources.list"
			rm -f "$apt_dir/.updated"
		fi
		rm -f "$apt_dir/etc/sources.list.new"
		[ -f "$apt_dir/status" ] || : >"$apt_dir/status"
		[ -z "$(find "$apt_dir/.updated" -mmin -1440 2>/dev/null)" ] || exit 0
		progress "updating the lab's private package lists of Debian $apt_suite ($mirror)"
		if ! apt_in apt-get update >"$apt_dir/update.log" 2>&1 ||
			grep -q '^\(E:\|Err:\|W: Failed\)\|Failed to fetch\|index files failed' "$apt_dir/update.log"; then
			tail -n 5 "$apt_dir/update.log" >&2
			die "cannot read Debian $apt_suite's package lists from $mirror (log: $apt_dir/update.log); check the network, or set VTLAB_DEBIAN_MIRROR to a reachable Debian mirror${apt_fallback:-}"
		fi
		touch "$apt_dir/.updated"
	) 7>"$apt_dir.lock" || exit $?
}

# Runs TOOL (apt-get or apt-cache) with ARGS on the private configuration
# for Debian SUITE.
private_apt() {
	tool=$1
	apt_lists "$2"
	shift 2
	apt_in "$tool" "$@"
}

# The version of source package PKG in SUITE.
source_version() {
	private_apt apt-cache "$2" showsrc "$1" | sed -n 's/^Version: //p' | head -n 1
}
