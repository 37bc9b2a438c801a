// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "report.h"
#include "snapshot.h"

static const char usage_text[] =
"Usage: exitstat [OPTIONS]                 totals since the host loaded kvm\n"
"       exitstat [OPTIONS] -- CMD [ARG]... what changed while CMD ran\n"
"       exitstat [OPTIONS] --watch SECONDS one line of changes per interval\n"
"\n"
"Reads the KVM exit statistics that a patched host KVM exposes through\n"
"CPUID leaves 0x4FFFFFFC..0x4FFFFFFF (include/kvm_exit_stats.h).\n"
"\n"
"  -r, --reasons         per-reason table (Intel VMX basic exit reasons or\n"
"                        AMD SVM exit codes, chosen by the CPU vendor)\n"
"  -a, --all             with --reasons: also reasons without exits\n"
"  -s, --sort KEY        exits (default), cycles or reason\n"
"  -j, --json            JSON (one object; --watch: one object per line)\n"
"  -w, --watch SECONDS   print deltas every SECONDS (may be fractional)\n"
"  -n, --count N         with --watch: stop after N lines\n"
"  -o, --output FILE     write the report to FILE (command mode: default is\n"
"                        standard error, as perf stat does)\n"
"      --vendor V        intel or amd: override the CPUID vendor string\n"
"  -h, --help            this text\n"
"\n"
"Exit status: 0 ok, 1 error, 2 not instrumented (no patched KVM below this\n"
"guest, or exit_stats=off); command mode: the command's exit status.\n"
"\n"
"Scope: the host's kvm exit_stats parameter decides whose exits count\n"
"(host: every vCPU of every VM; vm: this VM only).\n"
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

struct es_cli {
	struct es_report_opts report;
	bool watch;
	double watch_seconds;
	unsigned long count;		/* 0 = forever */
	const char *output;
	enum es_vendor vendor_override;
	char **command;			/* NULL unless command mode */
};

static int usage_error(const struct es_env *env, const char *fmt,
		       const char *arg)
{
	fputs("exitstat: ", env->err);
	fprintf(env->err, fmt, arg);
	fputs("\nTry 'exitstat --help'.\n", env->err);
	return ES_EXIT_ERROR;
}

static bool parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0 || v > 86400)
		return false;
	*out = v;
	return true;
}

static bool parse_count(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s == '-')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || !v)
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
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, const struct es_env *env,
		      struct es_cli *cli)
{
	int c;

	memset(cli, 0, sizeof(*cli));
	cli->report.sort = ES_SORT_EXITS;
	optind = 0;		/* glibc: restart parsing (unit tests) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+rajs:w:n:o:h", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'r':
			cli->report.reasons = true;
			break;
		case 'a':
			cli->report.all = true;
			break;
		case 'j':
			cli->report.json = true;
			break;
		case 's':
			if (!parse_sort(optarg, &cli->report.sort))
				return usage_error(env, "--sort takes exits, cycles or reason, not '%s'", optarg);
			break;
		case 'w':
			cli->watch = true;
			if (!parse_seconds(optarg, &cli->watch_seconds))
				return usage_error(env, "--watch takes a number of seconds > 0 (e.g. 1 or 0.5), not '%s'", optarg);
			break;
		case 'n':
			if (!parse_count(optarg, &cli->count))
				return usage_error(env, "--count takes a whole number > 0, not '%s'", optarg);
			break;
		case 'o':
			cli->output = optarg;
			break;
		case OPT_VENDOR:
			cli->vendor_override = es_vendor_parse(optarg);
			if (cli->vendor_override == ES_VENDOR_UNKNOWN)
				return usage_error(env, "--vendor takes intel or amd, not '%s'", optarg);
			break;
		case 'h':
			fputs(usage_text, env->out);
			return 0;
		default:
			return usage_error(env, "unknown option or missing argument: '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		cli->command = argv + optind;
	if (cli->command && cli->watch)
		return usage_error(env, "%s", "--watch and a command exclude each other");
	if (cli->count && !cli->watch)
		return usage_error(env, "%s", "--count only makes sense with --watch");
	return -1;
}

struct es_session {
	const struct es_env *env;
	const struct es_cli *cli;
	struct es_reader reader;
	enum es_vendor vendor;
	FILE *out;
};

/* Reads totals (and reasons if asked); prints why on failure. */
static int take_snapshot(struct es_session *ss, struct es_snapshot *s)
{
	char why[320];
	enum es_status st;

	s->vendor = ss->vendor;
	st = es_read_totals(&ss->reader, s, why, sizeof(why));
	if (st == ES_OK && ss->cli->report.reasons)
		st = es_read_reasons(&ss->reader, s, why, sizeof(why));
	if (st == ES_OK)
		return 0;
	fprintf(ss->env->err, "exitstat: %s\n", why);
	if (st == ES_NOT_INSTRUMENTED) {
		if (ss->cli->report.json)
			es_report_not_instrumented_json(ss->out, why);
		return ES_EXIT_NOT_INSTRUMENTED;
	}
	return ES_EXIT_ERROR;
}

static int take_delta(struct es_session *ss, const struct es_snapshot *before,
		      const struct es_snapshot *after, struct es_snapshot *d)
{
	char why[320];

	if (es_delta(before, after, d, why, sizeof(why)) == ES_OK)
		return 0;
	fprintf(ss->env->err, "exitstat: %s\n", why);
	return ES_EXIT_ERROR;
}

/* Big: three snapshots of ES_MAX_REASONS rows each. */
static struct es_snapshot snap_before, snap_after, snap_delta;

static int run_snapshot(struct es_session *ss)
{
	struct es_report_context ctx = { .mode = "snapshot" };
	int rc = take_snapshot(ss, &snap_after);

	if (rc)
		return rc;
	es_report(ss->out, &snap_after, &ctx, &ss->cli->report);
	return 0;
}

static int run_command(struct es_session *ss)
{
	struct es_report_context ctx = { .mode = "command" };
	const struct es_env *env = ss->env;
	char why[320] = "";
	double t0;
	int rc, status;

	rc = take_snapshot(ss, &snap_before);
	if (rc)
		return rc;
	t0 = env->now(env->ctx);
	status = env->run(env->ctx, ss->cli->command, why, sizeof(why));
	ctx.seconds = env->now(env->ctx) - t0;
	if (why[0]) {
		fprintf(env->err, "exitstat: %s\n", why);
		return status;
	}
	rc = take_snapshot(ss, &snap_after);
	if (!rc)
		rc = take_delta(ss, &snap_before, &snap_after, &snap_delta);
	if (rc)
		return rc;
	ctx.command = ss->cli->command;
	ctx.command_status = status;
	es_report(ss->out, &snap_delta, &ctx, &ss->cli->report);
	return status;
}

static int run_watch(struct es_session *ss)
{
	struct es_report_context ctx = { .mode = "watch" };
	const struct es_env *env = ss->env;
	double t_prev, t;
	int rc;

	rc = take_snapshot(ss, &snap_before);
	if (rc)
		return rc;
	t_prev = env->now(env->ctx);
	es_report_watch_header(ss->out, &ss->cli->report);
	for (ctx.interval = 1; !ss->cli->count || ctx.interval <= ss->cli->count;
	     ctx.interval++) {
		env->sleep(env->ctx, ss->cli->watch_seconds);
		rc = take_snapshot(ss, &snap_after);
		t = env->now(env->ctx);
		if (!rc)
			rc = take_delta(ss, &snap_before, &snap_after,
					&snap_delta);
		if (rc)
			return rc;
		ctx.seconds = t - t_prev;
		es_report_watch_line(ss->out, &snap_delta, &ctx,
				     &ss->cli->report);
		snap_before = snap_after;
		t_prev = t;
	}
	return 0;
}

static FILE *open_output(const struct es_env *env, const struct es_cli *cli)
{
	FILE *f;

	if (!cli->output)
		return cli->command ? env->err : env->out;
	f = fopen(cli->output, "w");
	if (!f)
		fprintf(env->err, "exitstat: cannot write %s: %s\n",
			cli->output, strerror(errno));
	return f;
}

int exitstat_main(int argc, char **argv, const struct es_env *env)
{
	struct es_session ss = { .env = env };
	struct es_cli cli;
	int rc;

	rc = parse_args(argc, argv, env, &cli);
	if (rc >= 0)
		return rc;
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
	if (ss.out != env->out && ss.out != env->err &&
	    fclose(ss.out) != 0 && !rc) {
		fprintf(env->err, "exitstat: writing %s failed\n", cli.output);
		rc = ES_EXIT_ERROR;
	}
	fflush(env->out);
	return rc;
}
