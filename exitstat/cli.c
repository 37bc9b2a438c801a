// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "host.h"
#include "kvm_exit_stats.h"
#include "report.h"
#include "snapshot.h"
#include "text.h"

/* Keep within ES_COLUMNS (tests/suites/unit-exitstat checks). */
static const char usage_text[] =
"Usage: exitstat [OPTIONS]                  totals since the host loaded KVM\n"
"       exitstat [OPTIONS] [--] CMD [ARG]... what changed while CMD ran\n"
"       exitstat [OPTIONS] --watch SECONDS  one line of changes per interval\n"
"\n"
"Reads the KVM exit statistics that a host KVM with the exit-statistics\n"
"series offers its guests through CPUID leaves 0x4FFFFFFC..0x4FFFFFFF\n"
"(include/kvm_exit_stats.h).\n"
"\n"
"Options:\n"
"  -r, --reasons         per-reason table (Intel VMX basic exit reasons or\n"
"                        AMD SVM exit codes, chosen by the CPU vendor)\n"
"  -a, --all             with --reasons: also the reasons without exits\n"
"  -s, --sort KEY        with --reasons: exits (default), cycles or reason\n"
"  -j, --json            JSON: one object (--watch: one object per line)\n"
"  -w, --watch SECONDS   print the changes every SECONDS (0.01 to 86400)\n"
"  -n, --count N         with --watch: stop after N lines\n"
"  -o, --output FILE     write the report to FILE\n"
"      --vendor V        intel or amd: override the CPUID vendor string\n"
"  -h, --help            this text\n"
"  -V, --version         version and the contract exitstat reads\n"
"\n"
"Command mode runs CMD as perf stat does, also when there are no counters\n"
"(the report then says <not counted> and why), and exits with CMD's status.\n"
"The text report goes to standard error.  With --json the JSON goes to\n"
"standard output and CMD's standard output to standard error, so standard\n"
"output holds the JSON alone; with -o FILE, CMD's output is left alone.\n"
"\n"
"Exit status:\n"
"  0  success\n"
"  1  the host has the leaves but breaks their contract, a counter went\n"
"     backwards, or the report could not be written\n"
"  2  usage error\n"
"  3  not instrumented: no KVM with the exit-statistics series below this\n"
"     guest, or its exit_stats is off (exitstat says what the host is)\n"
"  command mode: CMD's status (126 cannot execute, 127 not found), or 1\n"
"  when the report could not be written\n"
"\n"
"Scope: the host's kvm exit_stats parameter decides whose exits count\n"
"(vm, the default: this VM only; host: every vCPU of every VM, from a\n"
"snapshot refreshed every 100 ms); the report's scope line says which.\n"
"\n"
"Measuring perturbs: every read is a CPUID, i.e. one VM exit of reason\n"
"CPUID.  exitstat reads the totals first and then the per-reason counts\n"
"(cycles only for reasons that have exits) and reports the exits it caused\n"
"itself as self_exits: for a plain reading 2 (CPUID leaf 0 for the vendor,\n"
"and the read of the total, which counts itself); for a delta, every CPUID\n"
"it executed between the two reads of the total (2 without --reasons, 2 +\n"
"the reason reads with it).  Counts are reported as the host counted them,\n"
"self exits included; the CPUID row of a table is corrected to the moment\n"
"the total was read.  Cycles of the self exits are included and cannot be\n"
"separated.\n";

#define WATCH_MIN_SECONDS 0.01		/* perf stat -I's minimum too */
#define WATCH_MAX_SECONDS 86400.0
#define ARG_ECHO_COLUMNS 40		/* of a bad argument, in messages */

struct es_cli {
	struct es_report_opts report;
	bool watch, sort_set;
	double watch_seconds;
	unsigned long count;		/* 0 = forever */
	const char *output;
	enum es_vendor vendor_override;
	char **command;			/* NULL unless command mode */
};

static void print_version(FILE *out)
{
	fprintf(out,
		"exitstat %s\n"
		"reads CPUID leaves 0x%08X..0x%08X, signature 0x%08X \"VTEX\"\n"
		"(include/kvm_exit_stats.h)\n",
		EXITSTAT_VERSION, KVM_EXIT_STATS_LEAF_EXITS,
		KVM_EXIT_STATS_LEAF_REASON_CYCLES, KVM_EXIT_STATS_SIGNATURE);
}

static void vsay(const struct es_env *env, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	es_print_wrapped(env->err, "exitstat: ", "  ", msg);
}

/* A diagnostic on stderr, wrapped to ES_COLUMNS. */
static __attribute__((format(printf, 2, 3)))
void say(const struct es_env *env, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(env, fmt, ap);
	va_end(ap);
}

static __attribute__((format(printf, 2, 3)))
int usage_error(const struct es_env *env, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(env, fmt, ap);
	va_end(ap);
	fputs("Try 'exitstat --help'.\n", env->err);
	return ES_EXIT_USAGE;
}

/* A user's argument as a message quotes it: printable and not too long. */
static const char *echo_arg(char *buf, size_t len, const char *arg)
{
	return es_fit_text(buf, len, arg, ARG_ECHO_COLUMNS);
}

static bool parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) ||
	    v < WATCH_MIN_SECONDS || v > WATCH_MAX_SECONDS)
		return false;
	*out = v;
	return true;
}

static bool parse_count(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !v)
		return false;
	*out = v;
	return true;
}

static bool parse_sort(const char *s, enum es_sort_key *key)
{
	if (!strcmp(s, "exits"))
		*key = ES_SORT_EXITS;
	else if (!strcmp(s, "cycles"))
		*key = ES_SORT_CYCLES;
	else if (!strcmp(s, "reason"))
		*key = ES_SORT_REASON;
	else
		return false;
	return true;
}

enum { OPT_VENDOR = 256 };

static const struct option long_options[] = {
	{ "reasons", no_argument, NULL, 'r' },
	{ "all", no_argument, NULL, 'a' },
	{ "sort", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "watch", required_argument, NULL, 'w' },
	{ "count", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "vendor", required_argument, NULL, OPT_VENDOR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* "--name" of "--name=value", in buf. */
static const char *long_name(char *buf, size_t len, const char *elem)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "%.*s", (int)strcspn(elem, "="), elem);
	return echo_arg(buf, len, tmp);
}

/* The long options that "--pre" abbreviates, as "--a, --b". */
static size_t abbreviated(const char *name, char *list, size_t len)
{
	size_t n = 0, at = 0, plen = strlen(name + 2);
	const struct option *o;

	list[0] = '\0';
	for (o = long_options; o->name; o++) {
		if (strncmp(o->name, name + 2, plen))
			continue;
		at += (size_t)snprintf(list + at, len - at, "%s--%s",
				       n ? ", " : "", o->name);
		if (at >= len)
			at = len - 1;
		n++;
	}
	return n;
}

/* getopt_long said ':' or '?' about elem (the argument being parsed). */
static int option_error(const struct es_env *env, int c, const char *elem)
{
	char name[64], list[160];
	bool is_long = elem && !strncmp(elem, "--", 2);

	if (is_long)
		long_name(name, sizeof(name), elem);
	else
		snprintf(name, sizeof(name), "-%c", optopt);
	if (c == ':')
		return usage_error(env, "option '%s' needs an argument", name);
	if (is_long && optopt)
		return usage_error(env, "option '%s' takes no argument", name);
	if (is_long && abbreviated(name, list, sizeof(list)) > 1)
		return usage_error(env, "option '%s' is ambiguous (%s)", name,
				   list);
	if (!is_long && (optopt < 0x21 || optopt > 0x7E))
		snprintf(name, sizeof(name), "-\\x%02X", optopt & 0xFF);
	return usage_error(env, "unknown option '%s'", name);
}

/* One option; returns -1 to go on, else the exit status. */
static int take_option(const struct es_env *env, struct es_cli *cli, int c,
		       const char *arg)
{
	char echo[ARG_ECHO_COLUMNS * 4 + 8];

	switch (c) {
	case 'r':
		cli->report.reasons = true;
		return -1;
	case 'a':
		cli->report.all = true;
		return -1;
	case 'j':
		cli->report.json = true;
		return -1;
	case 's':
		cli->sort_set = true;
		if (parse_sort(arg, &cli->report.sort))
			return -1;
		return usage_error(env, "--sort takes exits, cycles or reason, not '%s'",
				   echo_arg(echo, sizeof(echo), arg));
	case 'w':
		cli->watch = true;
		if (parse_seconds(arg, &cli->watch_seconds))
			return -1;
		return usage_error(env, "--watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not '%s'",
				   echo_arg(echo, sizeof(echo), arg));
	case 'n':
		if (parse_count(arg, &cli->count))
			return -1;
		return usage_error(env, "--count takes a whole number > 0, not '%s'",
				   echo_arg(echo, sizeof(echo), arg));
	case 'o':
		cli->output = arg;
		if (*arg)
			return -1;
		return usage_error(env, "--output takes a file name, not ''");
	case OPT_VENDOR:
		cli->vendor_override = es_vendor_parse(arg);
		if (cli->vendor_override != ES_VENDOR_UNKNOWN)
			return -1;
		return usage_error(env, "--vendor takes intel or amd, not '%s'",
				   echo_arg(echo, sizeof(echo), arg));
	case 'h':
		fputs(usage_text, env->out);
		return 0;
	case 'V':
		print_version(env->out);
		return 0;
	}
	return usage_error(env, "internal error: option %d", c);
}

/* Options that only mean something together with another one. */
static int check_combinations(const struct es_env *env,
			      const struct es_cli *cli)
{
	if (cli->command && cli->watch)
		return usage_error(env, "--watch and a command exclude each other");
	if (cli->count && !cli->watch)
		return usage_error(env, "--count needs --watch");
	if (cli->report.all && !cli->report.reasons)
		return usage_error(env, "--all needs --reasons");
	if (cli->sort_set && !cli->report.reasons)
		return usage_error(env, "--sort needs --reasons");
	return -1;
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, const struct es_env *env,
		      struct es_cli *cli)
{
	const char *last_optarg = NULL, *elem;
	int c, rc;

	memset(cli, 0, sizeof(*cli));
	cli->report.sort = ES_SORT_EXITS;
	optind = 0;		/* glibc: restart parsing (unit tests) */
	opterr = 0;
	for (;;) {
		/* getopt works on argv[optind], also inside "-abc". */
		elem = argv[optind ? optind : 1];
		c = getopt_long(argc, argv, "+:rajs:w:n:o:hV", long_options,
				NULL);
		if (c == -1)
			break;
		if (c == ':' || c == '?')
			return option_error(env, c, elem);
		rc = take_option(env, cli, c, optarg);
		if (rc >= 0)
			return rc;
		last_optarg = optarg;
	}
	if (optind < argc)
		cli->command = argv + optind;
	else if (optind > 1 && !strcmp(argv[optind - 1], "--") &&
		 argv[optind - 1] != last_optarg)
		return usage_error(env, "'--' must be followed by the command to run");
	return check_combinations(env, cli);
}

struct es_session {
	const struct es_env *env;
	const struct es_cli *cli;
	struct es_reader reader;
	enum es_vendor vendor;
	FILE *out;
	char why[320];			/* why the last reading failed */
};

/* Reads totals (and reasons if asked); ss->why says why on failure. */
static enum es_status take_snapshot(struct es_session *ss,
				    struct es_snapshot *s)
{
	enum es_status st;

	s->vendor = ss->vendor;
	st = es_read_totals(&ss->reader, s, ss->why, sizeof(ss->why));
	if (st == ES_OK && ss->cli->report.reasons)
		st = es_read_reasons(&ss->reader, s, ss->why, sizeof(ss->why));
	return st;
}

/*
 * No counts: say why on standard error (and what the host is when the
 * leaves are absent), and put the same in the report.
 */
static void report_no_counts(struct es_session *ss, enum es_status st,
			     const struct es_report_context *ctx)
{
	FILE *err = ss->env->err;
	struct es_host host, *h = NULL;
	char line[200];

	es_print_wrapped(err, "exitstat: ", "  ", ss->why);
	if (st == ES_NOT_INSTRUMENTED) {
		h = &host;
		es_host_identify(&ss->reader, h);
		if (h->leaf)
			snprintf(line, sizeof(line),
				 "CPUID 0x%08X says \"%s\": %s", h->leaf,
				 h->signature, h->what);
		else
			snprintf(line, sizeof(line), "%s", h->what);
		es_print_wrapped(err, "exitstat: host: ", "  ", line);
		es_print_wrapped(err, "exitstat: to count exits: ", "  ",
				 h->advice);
	}
	es_report_absent(ss->out, ss->vendor, ctx, &ss->cli->report, ss->why,
			 h);
}

static int no_counts_status(enum es_status st)
{
	return st == ES_NOT_INSTRUMENTED ? ES_EXIT_NOT_INSTRUMENTED
					 : ES_EXIT_ERROR;
}

/* Big: three snapshots of ES_MAX_REASONS rows each. */
static struct es_snapshot snap_before, snap_after, snap_delta;

static int run_snapshot(struct es_session *ss)
{
	struct es_report_context ctx = { .mode = "snapshot" };
	enum es_status st = take_snapshot(ss, &snap_after);

	if (st != ES_OK) {
		report_no_counts(ss, st, &ctx);
		return no_counts_status(st);
	}
	es_report(ss->out, &snap_after, &ctx, &ss->cli->report);
	return 0;
}

/*
 * Like perf stat: the command runs whether or not there is anything to
 * count, and its status is exitstat's.
 */
static int run_command(struct es_session *ss)
{
	struct es_report_context ctx = {
		.mode = "command", .command = ss->cli->command,
	};
	const struct es_env *env = ss->env;
	bool json_on_stdout = ss->cli->report.json && !ss->cli->output;
	char run_err[320] = "";
	enum es_status st;
	double t0;

	st = take_snapshot(ss, &snap_before);
	t0 = env->now(env->ctx);
	ctx.command_status = env->run(env->ctx, ss->cli->command,
				      json_on_stdout, run_err, sizeof(run_err));
	ctx.seconds = env->now(env->ctx) - t0;
	if (run_err[0]) {
		say(env, "%s", run_err);
		return ctx.command_status;
	}
	if (st == ES_OK)
		st = take_snapshot(ss, &snap_after);
	if (st == ES_OK)
		st = es_delta(&snap_before, &snap_after, &snap_delta, ss->why,
			      sizeof(ss->why));
	if (st == ES_OK)
		es_report(ss->out, &snap_delta, &ctx, &ss->cli->report);
	else
		report_no_counts(ss, st, &ctx);
	return ctx.command_status;
}

static int run_watch(struct es_session *ss)
{
	struct es_report_context ctx = { .mode = "watch" };
	const struct es_env *env = ss->env;
	enum es_status st;
	double t_prev, t;

	st = take_snapshot(ss, &snap_before);
	if (st != ES_OK) {
		report_no_counts(ss, st, &ctx);
		return no_counts_status(st);
	}
	t_prev = env->now(env->ctx);
	es_report_watch_header(ss->out, &ss->cli->report);
	for (ctx.interval = 1; !ss->cli->count || ctx.interval <= ss->cli->count;
	     ctx.interval++) {
		env->sleep(env->ctx, ss->cli->watch_seconds);
		st = take_snapshot(ss, &snap_after);
		t = env->now(env->ctx);
		ctx.seconds = t - t_prev;
		if (st == ES_OK)
			st = es_delta(&snap_before, &snap_after, &snap_delta,
				      ss->why, sizeof(ss->why));
		if (st != ES_OK) {
			report_no_counts(ss, st, &ctx);
			return no_counts_status(st);
		}
		es_report_watch_line(ss->out, &snap_delta, &ctx,
				     &ss->cli->report);
		snap_before = snap_after;
		t_prev = t;
	}
	return 0;
}

/* Text reports of command mode go to stderr, as perf stat's do. */
static FILE *open_output(const struct es_env *env, const struct es_cli *cli)
{
	FILE *f;

	if (!cli->output)
		return cli->command && !cli->report.json ? env->err : env->out;
	f = fopen(cli->output, "w");
	if (!f)
		say(env, "cannot write %s: %s", cli->output, strerror(errno));
	return f;
}

/* A report that did not reach its reader is an error, never silent. */
static int finish_output(const struct es_env *env, FILE *report,
			 const char *name, int rc)
{
	bool failed;

	if (report && report != env->out && report != env->err) {
		failed = ferror(report) != 0;
		failed |= fclose(report) != 0;
		if (failed) {
			say(env, "cannot write %s: %s", name, strerror(errno));
			rc = ES_EXIT_ERROR;
		}
	}
	failed = ferror(env->out) != 0;
	failed |= fflush(env->out) != 0;
	if (failed) {
		say(env, "cannot write standard output: %s", strerror(errno));
		rc = ES_EXIT_ERROR;
	}
	return rc;
}

int exitstat_main(int argc, char **argv, const struct es_env *env)
{
	struct es_session ss = { .env = env };
	struct es_cli cli;
	int rc;

	rc = parse_args(argc, argv, env, &cli);
	if (rc >= 0)
		return finish_output(env, NULL, NULL, rc);
	ss.cli = &cli;
	ss.out = open_output(env, &cli);
	if (!ss.out)
		return ES_EXIT_ERROR;
	es_reader_init(&ss.reader, env->cpuid, env->ctx);
	ss.vendor = cli.vendor_override;
	if (ss.vendor == ES_VENDOR_UNKNOWN)
		ss.vendor = es_read_vendor(&ss.reader);

	if (cli.command)
		rc = run_command(&ss);
	else if (cli.watch)
		rc = run_watch(&ss);
	else
		rc = run_snapshot(&ss);
	return finish_output(env, ss.out, cli.output, rc);
}
