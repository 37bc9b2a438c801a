# shellcheck shell=sh
# ---------------------------------------------------------------- CPU models
# The models are data (lab/cpus); this part reads them.

# Prints the models' lines, comments dropped, as "MODEL VENDOR EMULATOR
# EMU-CPU VIRT NEEDS CLEARCPUID STATUS", a model whose NEEDS this run's
# emulators do not meet marked unusable with what to set.
cpu_table() {
	[ -f "$lab_dir/cpus" ] || die "$lab_dir/cpus (the CPU models) is missing"
	awk -v bochs="$bochs_build" -v qemu="$qemu_build" '
		/^#/ || NF == 0 { next }
		NF < 8 { printf "bad line %d: %s\n", NR, $0 > "/dev/stderr"; exit 1 }
		{
			status = $0
			for (i = 1; i <= 7; i++)
				sub(/^[ \t]*[^ \t]+[ \t]+/, "", status)
			if ($6 == "bochs3" && bochs == "system")
				status = "unusable: needs Bochs 3 (VTLAB_BOCHS=3.0 or 3.1)"
			else if ($6 == "qemu10" && qemu == "system")
				status = "unusable: needs QEMU 10 (VTLAB_QEMU=backports)"
			print $1, $2, $3, $4, $5, $6, $7, status
		}' "$lab_dir/cpus" || die "$lab_dir/cpus: each line needs 8 fields (see its head)"
}

# Sets model_vendor, model_emu, model_emu_cpu, model_virt and
# model_clear ("" for none) for usable MODEL; dies for an unknown or
# unusable one.
cpu_lookup() {
	model=$1
	line=$(cpu_table | awk -v m="$model" '$1 == m')
	[ -n "$line" ] || die "unknown CPU model '$model'; 'vtlab cpus' lists the models"
	# shellcheck disable=SC2086
	set -- $line
	model_vendor=$2 model_emu=$3 model_emu_cpu=$4 model_virt=$5 model_clear=$7
	[ "$model_clear" != - ] || model_clear=
	shift 7
	case $* in
	ok | novirt:*) ;;
	*) die "CPU model '$model' cannot be used: $(echo "$*" | sed 's/^unusable: //')" ;;
	esac
}

cmd_cpus() {
	printf '%-26s %-6s %-8s %-8s %s\n' MODEL VENDOR EMULATOR VIRT STATUS
	cpu_table | while read -r name vendor emu _ virt _ _ status; do
		printf '%-26s %-6s %-8s %-8s %s\n' "$name" "$vendor" "$emu" "$virt" "$status"
	done
}
