# tests/lib/tap.sh: the one result format of every test suite, TAP
# (Test Anything Protocol, version 13; testanything.org):
#   ok - WHAT          a check that passed
#   not ok - WHAT      a check that failed
#   # TEXT             everything else: progress, logs, guest output, diffs
#   1..N               the plan, last: the number of checks made
# A skipped suite prints "1..0 # SKIP WHY" and exits 77.
# tests/run-all reads this from each suite's standard output and passes a
# suite only when it exits 0, printed at least one check, none "not ok",
# and its plan matches the checks it printed (a suite that dies half-way
# prints no plan).  prove(1) reads it too: prove -e sh tests/suites/unit-x.
#
# Source it with $top set to the checkout (POSIX sh or bash).  Checks may
# run in subshells (pipelines, background boots): the tally is a file in
# build/tap/, not a variable.  Checks carry no numbers, so parallel checks
# cannot print them out of order.
#
#   ok WHAT...                a passed check
#   fail WHAT...              a failed check; the suite goes on
#   expect WHAT GOT WANT      ok "WHAT = GOT" if GOT is WANT, else fail
#   check WHAT CMD [ARG...]   ok if CMD succeeds, else fail (a redirection
#                             after it would swallow the result line: a
#                             noisy CMD goes in a function that redirects)
#   refute WHAT CMD [ARG...]  ok if CMD fails, else fail
#   note TEXT...              a note (each line of TEXT one "# " line)
#   show [FILE...]            each line of FILE (or stdin) as a note
#   skip_all WHY              plan 1..0 # SKIP WHY; exit 77
#   bail_out WHY              "Bail out! WHY"; exit 1 (cannot go on)
#   done_testing              the plan; exit 0 if every check passed, else 1
#   tap_failures              prints the number of failed checks so far
#   cmocka WHAT BINARY [ARG...]  runs a cmocka test binary: each of its
#                             tests a check "WHAT: TEST", then a check that
#                             it ran them all and exited 0 (a crash stops
#                             it half-way, with its own tests all "ok")
#
# A suite that runs a part of itself as a child process (one per kernel,
# say) lets the child add to its own stream: the child, started with
# TAP_TALLY=$tap_tally in its environment, prints no header and no plan,
# its bail_out is a failed check, and its done_testing exits 0 or 1 by the
# child's own checks; the parent's done_testing counts them all.

if [ -n "${TAP_TALLY:-}" ]; then
	tap_tally=$TAP_TALLY
	tap_nested=1
else
	mkdir -p "$top/build/tap"
	tap_tally=$(mktemp "$top/build/tap/$(basename "$0").XXXXXX") || {
		echo "Bail out! cannot create a tally file in $top/build/tap"
		exit 1
	}
	tap_nested=
	echo "TAP version 13"
fi
# The checks before this one are the parent's.
tap_first=$(($(wc -l <"$tap_tally") + 1))

ok() {
	echo pass >>"$tap_tally"
	echo "ok - $*"
}

fail() {
	echo fail >>"$tap_tally"
	echo "not ok - $*"
}

expect() {
	if [ "$2" = "$3" ]; then
		ok "$1 = $2"
	else
		fail "$1: got '$2', expected '$3'"
	fi
}

check() {
	_tap_what=$1
	shift
	if "$@"; then ok "$_tap_what"; else fail "$_tap_what"; fi
}

refute() {
	_tap_what=$1
	shift
	if "$@"; then fail "$_tap_what"; else ok "$_tap_what"; fi
}

note() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

show() {
	sed 's/^/#   /' "$@"
}

tap_failures() {
	tail -n "+$tap_first" "$tap_tally" | grep -c '^fail$'
}

cmocka() {
	_tap_what=$1
	shift
	_tap_out=$(mktemp "$tap_tally.cmocka.XXXXXX") || bail_out "mktemp failed"
	CMOCKA_MESSAGE_OUTPUT=TAP "$@" >"$_tap_out" 2>&1
	_tap_rc=$?
	_tap_plan=0 _tap_ran=0
	while IFS= read -r _tap_line; do
		case $_tap_line in
		"ok "[0-9]*" - "*)
			ok "$_tap_what: ${_tap_line#ok * - }"
			_tap_ran=$((_tap_ran + 1)) ;;
		"not ok "[0-9]*" - "*)
			fail "$_tap_what: ${_tap_line#not ok * - }"
			_tap_ran=$((_tap_ran + 1)) ;;
		1..[0-9]*)
			_tap_plan=$((_tap_plan + ${_tap_line#1..})) ;;
		*)
			note "$_tap_line" ;;
		esac
	done <"$_tap_out"
	rm -f "$_tap_out"
	if [ "$_tap_rc" -eq 0 ] && [ "$_tap_plan" -gt 0 ] && [ "$_tap_ran" -eq "$_tap_plan" ]; then
		ok "$_tap_what: all $_tap_plan tests ran, exit 0"
	else
		fail "$_tap_what: $_tap_ran of $_tap_plan tests ran, exit $_tap_rc"
	fi
}

skip_all() {
	if [ -n "$tap_nested" ]; then
		echo "# SKIP $*"
	else
		rm -f "$tap_tally"
		echo "1..0 # SKIP $*"
	fi
	exit 77
}

bail_out() {
	if [ -n "$tap_nested" ]; then
		fail "$*"
	else
		rm -f "$tap_tally"
		echo "Bail out! $*"
	fi
	exit 1
}

done_testing() {
	_tap_n=$(tail -n "+$tap_first" "$tap_tally" | wc -l)
	_tap_failed=$(tap_failures)
	if [ -n "$tap_nested" ]; then
		[ "$_tap_n" -gt 0 ] && [ "$_tap_failed" -eq 0 ]
		exit
	fi
	rm -f "$tap_tally"
	echo "1..$_tap_n"
	if [ "$_tap_n" -eq 0 ]; then
		echo "# no check was made"
		exit 1
	fi
	[ "$_tap_failed" -eq 0 ] || {
		echo "# $_tap_failed of $_tap_n checks failed"
		exit 1
	}
	exit 0
}
