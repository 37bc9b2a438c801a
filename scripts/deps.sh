#!/bin/sh
# Install the Debian packages listed in scripts/packages.txt that are missing.
# Idempotent and silent when nothing is missing.  Needs root or sudo.
set -eu
here=$(dirname "$0")
list="$here/packages.txt"

missing=
for pkg in $(sed 's/#.*//' "$list"); do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=sudo
else
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run 'sudo apt-get install$missing' (or run make as root) and retry" >&2
	exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists once if they are absent or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
	$sudo apt-get update -qq
fi
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
