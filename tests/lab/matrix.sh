# shellcheck shell=sh
# The lab suites' boots, from the declarative file tests/lab/matrix.
# Sourced by the suites (bash and POSIX sh alike); needs $top and $vtlab.

matrix_file=${MATRIX_FILE:-$top/tests/lab/matrix}

# matrix_boots SUITE: SUITE's boots, one per line, the fields separated by
# tabs: ID MODEL VENDOR EMULATOR KERNEL SMP STATE TIMEOUT OPTIONS FILES
# COMMAND (FILES space-separated; OPTIONS "-" for none).  Bochs boots come
# first: they take longest, and QEMU's fill the gaps beside them.  Notes
# (models left out) go to stderr as TAP notes; an error in the file or an
# unset {NAME} exits non-zero with the reason.
matrix_boots() {
	[ -f "$matrix_file" ] || { echo "# matrix_boots: $matrix_file is missing" >&2; return 1; }
	"$vtlab" cpus | awk 'NR > 1' >"${TMPDIR:-/tmp}/matrix-cpus.$$" ||
		{ echo "# matrix_boots: vtlab cpus failed" >&2; return 1; }
	MATRIX_top=${MATRIX_top:-$top} awk -v suite="$1" -v cpus="${TMPDIR:-/tmp}/matrix-cpus.$$" -v file="$matrix_file" '
	function fail(msg) { print "# " file ": " msg > "/dev/stderr"; bad = 1; exit 1 }
	function words(s, a) { return split(s, a, /[ \t]+/) }
	function wanted(list, w,   a, n, i) {
		if (list == "") return 1
		n = words(list, a)
		for (i = 1; i <= n; i++) if (a[i] == w) return 1
		return 0
	}
	function subst(s, b,   out, name, v) {
		out = ""
		while (match(s, /\{[A-Za-z_0-9]+\}/)) {
			name = substr(s, RSTART + 1, RLENGTH - 2)
			if (name in b) v = b[name]
			else if (("MATRIX_" name) in ENVIRON) v = ENVIRON["MATRIX_" name]
			else fail("[" group "] uses {" name "}, but the suite set no MATRIX_" name)
			out = out substr(s, 1, RSTART - 1) v
			s = substr(s, RSTART + RLENGTH)
		}
		return out s
	}
	function models_of(sel, list,   a, n, i, m, e) {
		list = ""
		n = words(sel, a)
		for (i = 1; i <= n; i++) {
			if (a[i] == "") continue
			if (a[i] == "usable" || a[i] == "usable:bochs" || a[i] == "usable:qemu") {
				e = substr(a[i], 8)
				for (m = 1; m <= ncpu; m++)
					if (status[name[m]] == "ok" && (e == "" || emu[name[m]] == e))
						list = list " " name[m]
			} else if (!(a[i] in status)) {
				fail("[" group "]: unknown model " a[i] " (vtlab cpus lists them)")
			} else if (status[a[i]] != "ok" && status[a[i]] !~ /^novirt/) {
				print "# [" group "]: " a[i] " left out: " status[a[i]] > "/dev/stderr"
			} else {
				list = list " " a[i]
			}
		}
		return list
	}
	function flush(   k, nm, nk, mm, kk, i, j, b, id, opts) {
		if (group == "" || g["suite"] != suite) return
		if (!wanted(ENVIRON["LAB_GROUPS"], group)) return
		for (k in need) if (!(k in g)) fail("[" group "] has no " k)
		if (g["smp"] == "") g["smp"] = 1
		if (g["state"] == "") g["state"] = "report"
		opts = g["options"]
		# LAB_MODELS / LAB_KERNELS choose among the models and
		# more-models (kernels and more-kernels); unset, the group boots
		# its models on its kernels.
		if (ENVIRON["LAB_MODELS"] == "") nm = words(models_of(g["models"]), mm)
		else nm = words(models_of(g["models"] " " g["more-models"]), mm)
		if (ENVIRON["LAB_KERNELS"] == "") nk = words(g["kernels"], kk)
		else nk = words(g["kernels"] " " g["more-kernels"], kk)
		for (i = 1; i <= nm; i++) {
			if (mm[i] == "" || !wanted(ENVIRON["LAB_MODELS"], mm[i]) || (group SUBSEP mm[i]) in dm) continue
			dm[group, mm[i]] = 1
			split("", dk)
			for (j = 1; j <= nk; j++) {
				if (kk[j] == "" || !wanted(ENVIRON["LAB_KERNELS"], kk[j]) || kk[j] in dk) continue
				dk[kk[j]] = 1
				split("", b)
				b["model"] = mm[i]; b["kernel"] = kk[j]; b["smp"] = g["smp"]
				b["state"] = g["state"]; b["flag"] = vendor[mm[i]] == "AMD" ? "svm" : "vmx"
				id = group "-" mm[i] "-" kk[j]
				if (id in seen) fail("two boots with id " id)
				seen[id] = 1
				out[++nout] = (emu[mm[i]] == "bochs" ? 0 : 1) "\t" id "\t" mm[i] "\t" \
					vendor[mm[i]] "\t" emu[mm[i]] "\t" kk[j] "\t" g["smp"] "\t" \
					g["state"] "\t" g["timeout"] "\t" \
					(opts == "" ? "-" : subst(opts, b)) "\t" subst(g["files"], b) "\t" \
					subst(g["command"], b)
			}
		}
	}
	BEGIN {
		split("suite models kernels timeout files command", t)
		for (k in t) need[t[k]] = 1
		while ((getline line < cpus) > 0) {
			words(line, f)
			name[++ncpu] = f[1]; vendor[f[1]] = f[2]; emu[f[1]] = f[3]
			s = line
			for (i = 1; i <= 4; i++) sub(/^[ \t]*[^ \t]+[ \t]+/, "", s)
			status[f[1]] = s
		}
	}
	/^[ \t]*#/ || /^[ \t]*$/ { next }
	/^\[[^]]+\][ \t]*$/ {
		flush(); split("", g)
		group = $0; sub(/^\[/, "", group); sub(/\][ \t]*$/, "", group)
		if (group in groups) fail("two sections [" group "]")
		groups[group] = 1
		key = ""
		next
	}
	/^[ \t]/ {
		if (key == "") fail("line " FNR ": a continuation line with no key before it")
		s = $0; sub(/^[ \t]+/, "", s)
		g[key] = g[key] " " s
		next
	}
	{
		if (group == "") fail("line " FNR ": a key outside any [section]")
		if (!match($0, /^[a-z-]+[ \t]*=[ \t]*/)) fail("line " FNR ": not \"key = value\": " $0)
		key = $0; sub(/[ \t]*=.*/, "", key)
		g[key] = substr($0, RLENGTH + 1)
		next
	}
	END {
		if (bad) exit 1
		flush()
		if (bad) exit 1
		for (i = 1; i <= nout; i++) print out[i]
	}' "$matrix_file" >"${TMPDIR:-/tmp}/matrix-boots.$$"
	st=$?
	[ $st -ne 0 ] || sort -s -t "$(printf '\t')" -k1,1 "${TMPDIR:-/tmp}/matrix-boots.$$" | cut -f2-
	rm -f "${TMPDIR:-/tmp}/matrix-cpus.$$" "${TMPDIR:-/tmp}/matrix-boots.$$"
	return $st
}

# matrix_boot OUTDIR LINE: one boot of matrix_boots' LINE (MATRIX_TIMEOUT,
# if set, replaces its timeout), leaving
# OUTDIR/ID.out, .err, .rc (vtlab's status) and .time (seconds); a boot
# that hit a known emulator fault is run again (retry_hung_boot).
matrix_boot() {
	mb_out=$1
	mb_tab=$(printf '\t')
	IFS=$mb_tab read -r mb_id mb_model _ _ mb_kernel mb_smp _ mb_timeout mb_opts mb_files mb_cmd <<EOF
$2
EOF
	[ "$mb_opts" != - ] || mb_opts=
	# A suite may give all its boots one timeout (a heavier workload).
	mb_timeout=${MATRIX_TIMEOUT:-$mb_timeout}
	mb_args=
	for f in $mb_files; do
		mb_args="$mb_args --file $f"
	done
	mb_t0=$(date +%s)
	# shellcheck disable=SC2086 # options and --file pairs are words
	retry_hung_boot "$mb_out/$mb_id" "$mb_id" matrix_vtlab_run "$mb_out/$mb_id" \
		--cpu "$mb_model" --kernel "$mb_kernel" --smp "$mb_smp" --timeout "$mb_timeout" \
		$mb_opts $mb_args -- "$mb_cmd"
	echo $(($(date +%s) - mb_t0)) >"$mb_out/$mb_id.time"
}

# matrix_vtlab_run PREFIX ARGS...: vtlab run ARGS, its output in PREFIX.out
# and .err, its exit status in PREFIX.rc.
matrix_vtlab_run() {
	mv_prefix=$1
	shift
	"$vtlab" run "$@" >"$mv_prefix.out" 2>"$mv_prefix.err"
	echo $? >"$mv_prefix.rc"
}

# matrix_run BOOTS OUTDIR JOBS: every boot of the file BOOTS (matrix_boots'
# output), JOBS at a time; returns when all are done.
matrix_run() {
	mkdir -p "$2"
	# Each boot in its own shell, so that parallel boots share no variable.
	MATRIX_OUT=$2 xargs -d '\n' -P "$3" -n 1 sh -c '
		top=$1 vtlab=$2 line=$3
		. "$top/tests/lab/retry-hung-boot.sh"
		. "$top/tests/lab/matrix.sh"
		matrix_boot "$MATRIX_OUT" "$line"' matrix-boot "$top" "$vtlab" <"$1"
}
