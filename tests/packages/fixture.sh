#!/bin/sh
# scan-commands' test input: every construct it must see through (the
# commands it must find are named after the construct: awk, cpio, ...).
# rsync in a comment is not a command
set -eu
helper() { echo "in a function"; }
x=$(uname -r) y="$(date +%s)"
if grep -q foo bar; then sed -n 1p f | awk '{print}'; fi
helper
nice -n 19 make -j2 && timeout -k 5 60 cpio -o >/dev/null 2>&1
cat <<EOT
rsync in a here-document is data
EOT
case $x in
a | b) tar -cf t . ;;
*) xz -d ;;
esac
vtlab_run -- 'modprobe kvm; poweroff -f'
"$top/lab/vtlab" kernel
$cmd arg
FOO=1 env BAR=2 sort
for i in 1 2 $(seq 3 4) 0x10; do sha256sum "$i"; done
for ((i = 0; i < 2; i++)); do :; done
[ -x "$(command -v probed_only)" ] || cut -c1
echo `basename /x` $((1 + 2))
while read -r l; do :; done <file
xargs -n 1 -I X chmod X
models=${LAB_MODELS:-$(ls | awk '{ print $1 }')}
