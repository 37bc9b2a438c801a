// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>
#include "report.h"
#include "text.h"

void es_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* A ratio printed as a JSON number, or null when undefined. */
static void json_ratio(FILE *out, const char *key, uint64_t num, uint64_t den,
		       int decimals)
{
	fprintf(out, ",\"%s\":", key);
	if (den)
		fprintf(out, "%.*f", decimals, (double)num / (double)den);
	else
		fputs("null", out);
}

/* num/den right-aligned in width columns, "-" when den is 0. */
static void text_ratio(FILE *out, uint64_t num, uint64_t den, int width,
		       int decimals)
{
	if (den)
		fprintf(out, "%*.*f", width, decimals,
			(double)num / (double)den);
	else
		fprintf(out, "%*s", width, "-");
}

/* Reason numbers as the manuals print them: decimal (VMX), hex (SVM). */
static const char *reason_label(char *buf, size_t len, enum es_vendor v,
				uint32_t reason)
{
	if (v == ES_VENDOR_AMD && reason > 0xFFF)
		snprintf(buf, len, "%d", (int32_t)reason);	/* VMEXIT_INVALID */
	else if (v == ES_VENDOR_AMD)
		snprintf(buf, len, "0x%03X", reason);
	else
		snprintf(buf, len, "%u", reason);
	return buf;
}

static uint64_t sum_cycles(const struct es_snapshot *s)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < s->nr_reasons; i++)
		sum += s->reasons[i].cycles;
	return sum;
}

static const char *name_of(const struct es_snapshot *s, uint32_t reason,
			   char *buf, size_t len)
{
	return es_reason_name(s->vendor, reason, buf, len);
}

/*
 * The per-reason table: numeric columns as wide as their largest value (so
 * that realistic counts print exactly), capped when they would leave too
 * little room for the names; a name that does not fit its column gets a
 * line of its own, so no line exceeds ES_COLUMNS.
 */
struct table_layout {
	int exits, cycles, ratio, name;
};

#define TABLE_FIXED	26	/* label 6, separators 8, two shares of 6 */
#define TABLE_MIN_NAME	5	/* "CPUID" stays on its row */
#define TABLE_CAP_EXITS	13
#define TABLE_CAP_CYCLES 16
#define TABLE_CAP_RATIO	11

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

static int digits_u64(uint64_t v)
{
	char buf[24];

	return snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
}

static int ratio_chars(uint64_t num, uint64_t den)
{
	char buf[48];

	return den ? snprintf(buf, sizeof(buf), "%.1f",
			      (double)num / (double)den) : 1;
}

static struct table_layout table_layout(const struct es_snapshot *s,
					const size_t *idx, size_t n)
{
	struct table_layout l = { 5, 6, 11, 4 };
	size_t i;
	char buf[48];

	for (i = 0; i < n; i++) {
		const struct es_reason_stat *r = &s->reasons[idx[i]];

		l.exits = max_int(l.exits, digits_u64(r->exits));
		l.cycles = max_int(l.cycles, digits_u64(r->cycles));
		l.ratio = max_int(l.ratio, ratio_chars(r->cycles, r->exits));
		l.name = max_int(l.name, (int)strlen(name_of(s, r->reason, buf,
							     sizeof(buf))));
	}
	if (TABLE_FIXED + l.exits + l.cycles + l.ratio >
	    ES_COLUMNS - TABLE_MIN_NAME) {
		l.exits = min_int(l.exits, TABLE_CAP_EXITS);
		l.cycles = min_int(l.cycles, TABLE_CAP_CYCLES);
		l.ratio = min_int(l.ratio, TABLE_CAP_RATIO);
	}
	l.name = min_int(l.name, ES_COLUMNS - TABLE_FIXED - l.exits -
			 l.cycles - l.ratio);
	return l;
}

/* "12.3%" in 6 columns; above 999% (only a host's garbage) ">999%". */
static void share_text(char *buf, size_t len, uint64_t num, uint64_t den)
{
	double pct = den ? 100.0 * (double)num / (double)den : 0;

	if (!den)
		snprintf(buf, len, "-");
	else if (pct < 999.95)
		snprintf(buf, len, "%5.1f%%", pct);
	else
		snprintf(buf, len, ">999%%");
}

static void ratio_text(char *buf, size_t len, uint64_t num, uint64_t den,
		       int width)
{
	if (den)
		es_fit_double(buf, len, (double)num / (double)den, width, 1);
	else
		snprintf(buf, len, "-");
}

static void table_row(FILE *out, const struct es_snapshot *s,
		      const struct es_reason_stat *r,
		      const struct table_layout *l, uint64_t all_cycles)
{
	char label[16], name[48], exits[32], cycles[32], ratio[48];
	char share_e[16], share_c[16];
	const char *nm = name_of(s, r->reason, name, sizeof(name));

	reason_label(label, sizeof(label), s->vendor, r->reason);
	if ((int)strlen(nm) > l->name) {
		fprintf(out, "%6s  %s\n", label, nm);
		label[0] = '\0';
		nm = "";
	}
	share_text(share_e, sizeof(share_e), r->exits, s->exits);
	share_text(share_c, sizeof(share_c), r->cycles, all_cycles);
	ratio_text(ratio, sizeof(ratio), r->cycles, r->exits, l->ratio);
	fprintf(out, "%6s  %-*s %*s %6s %*s %6s %*s\n", label, l->name, nm,
		l->exits, es_fit_u64(exits, sizeof(exits), r->exits, l->exits),
		share_e,
		l->cycles, es_fit_u64(cycles, sizeof(cycles), r->cycles,
				      l->cycles),
		share_c, l->ratio, ratio);
}

static void text_reasons(FILE *out, const struct es_snapshot *s,
			 const struct es_report_opts *opts)
{
	size_t idx[ES_MAX_REASONS], i, n;
	uint64_t all_cycles = sum_cycles(s);
	int64_t missing = es_unattributed_exits(s);
	struct table_layout l;
	char buf[200];

	n = es_sorted_rows(s, opts->sort, opts->all, idx);
	l = table_layout(s, idx, n);
	fprintf(out, "\n%6s  %-*s %*s %6s %*s %6s %*s\n", "reason", l.name,
		"name", l.exits, "exits", "share", l.cycles, "cycles", "share",
		l.ratio, "cycles/exit");
	for (i = 0; i < n; i++)
		table_row(out, s, &s->reasons[idx[i]], &l, all_cycles);
	if (!n)
		fputs("(no reason has exits)\n", out);
	if (missing) {
		snprintf(buf, sizeof(buf),
			 "%" PRId64 " exits not attributed to a listed reason (other vCPUs exited while the table was read, or the host counts reasons exitstat does not list)",
			 missing);
		es_print_wrapped(out, "", "", buf);
	}
}

/*
 * " KVM exit statistics for 'CMD ARG...':" (the command shortened to fit)
 * " exit status N after T s"
 */
static void text_command_header(FILE *out, const struct es_report_context *c)
{
	static const char lead[] = " KVM exit statistics for '", tail[] = "':";
	char cmd[ES_COLUMNS * 4 + 1], fitted[sizeof(cmd) + 4];
	size_t at = 0;
	char *const *arg;

	cmd[0] = '\0';
	for (arg = c->command; *arg && at + 1 < sizeof(cmd); arg++)
		at += (size_t)snprintf(cmd + at, sizeof(cmd) - at, "%s%s",
				       arg == c->command ? "" : " ", *arg);
	fprintf(out, "\n%s%s%s\n exit status %d after %.3f s\n\n", lead,
		es_fit_text(fitted, sizeof(fitted), cmd,
			    ES_COLUMNS - strlen(lead) - strlen(tail)),
		tail, c->command_status, c->seconds);
}

static void text_report(FILE *out, const struct es_snapshot *s,
			const struct es_report_context *ctx,
			const struct es_report_opts *opts)
{
	char buf[48], note[160];

	if (ctx->command)
		text_command_header(out, ctx);
	fprintf(out, "exits        %20" PRIu64 "\n", s->exits);
	fprintf(out, "cycles       %20" PRIu64 "\n", s->cycles);
	fputs("cycles/exit  ", out);
	text_ratio(out, s->cycles, s->exits, 20, 1);
	fputc('\n', out);
	fprintf(out, "scope        %20s\n", es_scope_label(s->scope));
	if (opts->reasons)
		text_reasons(out, s, opts);
	snprintf(note, sizeof(note),
		 "(%" PRIu64 " of the exits are exitstat's own CPUID reads, reason %s; see --help)",
		 s->self_exits,
		 name_of(s, es_cpuid_reason(s->vendor), buf, sizeof(buf)));
	es_print_wrapped(out, "", " ", note);
}

static void json_reasons(FILE *out, const struct es_snapshot *s,
			 const struct es_report_opts *opts)
{
	size_t idx[ES_MAX_REASONS], i, n;
	uint64_t all_cycles = sum_cycles(s);
	char buf[48];

	n = es_sorted_rows(s, opts->sort, opts->all, idx);
	fputs(",\"reasons\":[", out);
	for (i = 0; i < n; i++) {
		const struct es_reason_stat *r = &s->reasons[idx[i]];

		fprintf(out, "%s{\"reason\":%u,\"name\":", i ? "," : "",
			r->reason);
		es_json_string(out, name_of(s, r->reason, buf, sizeof(buf)));
		fprintf(out, ",\"exits\":%" PRIu64 ",\"cycles\":%" PRIu64,
			r->exits, r->cycles);
		json_ratio(out, "exit_share", r->exits, s->exits, 6);
		json_ratio(out, "cycle_share", r->cycles, all_cycles, 6);
		json_ratio(out, "cycles_per_exit", r->cycles, r->exits, 1);
		fputc('}', out);
	}
	fprintf(out, "],\"unattributed_exits\":%" PRId64,
		es_unattributed_exits(s));
}

/* What every JSON object starts with: the context of the figures. */
static void json_head(FILE *out, bool instrumented, enum es_vendor vendor,
		      const struct es_report_context *ctx)
{
	char *const *arg;

	fprintf(out, "{\"instrumented\":%s,\"mode\":",
		instrumented ? "true" : "false");
	es_json_string(out, ctx->mode);
	fprintf(out, ",\"vendor\":");
	es_json_string(out, es_vendor_label(vendor));
	if (ctx->command) {
		fputs(",\"command\":[", out);
		for (arg = ctx->command; *arg; arg++) {
			if (arg != ctx->command)
				fputc(',', out);
			es_json_string(out, *arg);
		}
		fprintf(out, "],\"status\":%d", ctx->command_status);
	}
	if (ctx->interval)
		fprintf(out, ",\"interval\":%lu", ctx->interval);
	if (ctx->command || ctx->interval)
		fprintf(out, ",\"seconds\":%.6f", ctx->seconds);
}

static void json_report(FILE *out, const struct es_snapshot *s,
			const struct es_report_context *ctx,
			const struct es_report_opts *opts)
{
	json_head(out, true, s->vendor, ctx);
	fprintf(out, ",\"scope\":");
	es_json_string(out, es_scope_label(s->scope));
	fprintf(out, ",\"exits\":%" PRIu64 ",\"cycles\":%" PRIu64,
		s->exits, s->cycles);
	json_ratio(out, "cycles_per_exit", s->cycles, s->exits, 1);
	fprintf(out, ",\"self_exits\":%" PRIu64 ",\"self_exit_reason\":%u",
		s->self_exits, es_cpuid_reason(s->vendor));
	if (opts->reasons && s->have_reasons)
		json_reasons(out, s, opts);
	fputs("}\n", out);
}

void es_report(FILE *out, const struct es_snapshot *s,
	       const struct es_report_context *ctx,
	       const struct es_report_opts *opts)
{
	if (opts->json)
		json_report(out, s, ctx, opts);
	else
		text_report(out, s, ctx, opts);
}

/*
 * --watch columns: fixed, since lines stream out one by one; a value too
 * wide for its column is printed in exponent form (es_fit_u64).
 */
#define WATCH_SECONDS	9
#define WATCH_EXITS	13
#define WATCH_CYCLES	17
#define WATCH_RATIO	11
#define WATCH_RATE	12
#define WATCH_TOP_LEAD	"  top:"

void es_report_watch_header(FILE *out, const struct es_report_opts *opts)
{
	if (opts->json)
		return;
	fprintf(out, "%*s %*s %*s %*s %*s\n", WATCH_SECONDS, "seconds",
		WATCH_EXITS, "exits", WATCH_CYCLES, "cycles", WATCH_RATIO,
		"cycles/exit", WATCH_RATE, "exits/s");
	if (opts->reasons)
		fprintf(out, WATCH_TOP_LEAD " the 3 reasons with %s\n",
			opts->sort == ES_SORT_CYCLES ? "the most cycles" :
			opts->sort == ES_SORT_REASON ? "exits, lowest first" :
			"the most exits");
}

/* "  top: NAME N, NAME N, NAME N": as many of the top 3 as fit. */
static void text_top_reasons(FILE *out, const struct es_snapshot *d,
			     const struct es_report_opts *opts)
{
	size_t idx[ES_MAX_REASONS], i, n, used = strlen(WATCH_TOP_LEAD);
	char buf[48], item[96];

	n = es_sorted_rows(d, opts->sort, false, idx);
	fputs(WATCH_TOP_LEAD, out);
	for (i = 0; i < n && i < 3; i++) {
		const struct es_reason_stat *r = &d->reasons[idx[i]];
		int len = snprintf(item, sizeof(item), "%s %s %" PRIu64,
				   i ? "," : "",
				   name_of(d, r->reason, buf, sizeof(buf)),
				   r->exits);

		if (used + (size_t)len > ES_COLUMNS)
			break;
		fputs(item, out);
		used += (size_t)len;
	}
	if (!n)
		fputs(" -", out);
	fputc('\n', out);
}

void es_report_watch_line(FILE *out, const struct es_snapshot *d,
			  const struct es_report_context *ctx,
			  const struct es_report_opts *opts)
{
	char secs[32], exits[32], cycles[32], ratio[48], rate[48];

	if (opts->json) {
		json_report(out, d, ctx, opts);
		fflush(out);
		return;
	}
	ratio_text(ratio, sizeof(ratio), d->cycles, d->exits, WATCH_RATIO);
	if (ctx->seconds > 0)
		es_fit_double(rate, sizeof(rate), d->exits / ctx->seconds,
			      WATCH_RATE, 1);
	else
		snprintf(rate, sizeof(rate), "-");
	fprintf(out, "%*s %*s %*s %*s %*s\n", WATCH_SECONDS,
		es_fit_double(secs, sizeof(secs), ctx->seconds, WATCH_SECONDS, 3),
		WATCH_EXITS, es_fit_u64(exits, sizeof(exits), d->exits,
					WATCH_EXITS),
		WATCH_CYCLES, es_fit_u64(cycles, sizeof(cycles), d->cycles,
					 WATCH_CYCLES),
		WATCH_RATIO, ratio, WATCH_RATE, rate);
	if (opts->reasons && d->have_reasons)
		text_top_reasons(out, d, opts);
	fflush(out);
}

/* Command mode without counts: the report says so where it would be. */
static void text_absent(FILE *out, const struct es_report_context *ctx)
{
	if (!ctx->command)
		return;		/* snapshot, watch: stderr says it all */
	text_command_header(out, ctx);
	fprintf(out, "exits        %20s\n", "<not counted>");
	fprintf(out, "cycles       %20s\n", "<not counted>");
	fputs("(no counts: exitstat said why on standard error)\n", out);
}

static void json_absent(FILE *out, enum es_vendor vendor,
			const struct es_report_context *ctx, const char *why,
			const struct es_host *host)
{
	json_head(out, host == NULL, vendor, ctx);
	fputs(",\"error\":", out);
	es_json_string(out, why);
	if (host) {
		fprintf(out, ",\"host\":{\"hypervisor\":%s,\"id\":",
			host->hypervisor ? "true" : "false");
		es_json_string(out, host->id);
		fputs(",\"signature\":", out);
		if (host->leaf)
			es_json_string(out, host->signature);
		else
			fputs("null", out);
		fputs(",\"signature_leaf\":", out);
		if (host->leaf)
			fprintf(out, "%u", host->leaf);
		else
			fputs("null", out);
		fputs(",\"what\":", out);
		es_json_string(out, host->what);
		fputs("},\"advice\":", out);
		es_json_string(out, host->advice);
	}
	fputs("}\n", out);
}

void es_report_absent(FILE *out, enum es_vendor vendor,
		      const struct es_report_context *ctx,
		      const struct es_report_opts *opts, const char *why,
		      const struct es_host *host)
{
	if (opts->json)
		json_absent(out, vendor, ctx, why, host);
	else
		text_absent(out, ctx);
	fflush(out);
}
