// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>
#include "report.h"

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

static void text_percent(FILE *out, uint64_t num, uint64_t den)
{
	if (den)
		fprintf(out, "%6.1f%%", 100.0 * (double)num / (double)den);
	else
		fprintf(out, "%6s ", "-");
}

static void reason_label(FILE *out, enum es_vendor v, uint32_t reason)
{
	if (v == ES_VENDOR_AMD && reason > 0xFFF)
		fprintf(out, "%5d", (int32_t)reason);	/* VMEXIT_INVALID: -1 */
	else if (v == ES_VENDOR_AMD)
		fprintf(out, "0x%03X", reason);
	else
		fprintf(out, "%5u", reason);
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

static void text_reasons(FILE *out, const struct es_snapshot *s,
			 const struct es_report_opts *opts)
{
	size_t idx[ES_MAX_REASONS], i, n;
	uint64_t all_cycles = sum_cycles(s);
	int64_t missing = es_unattributed_exits(s);
	char buf[48];

	n = es_sorted_rows(s, opts->sort, opts->all, idx);
	fprintf(out, "\n%-5s  %-30s %14s %7s %18s %7s %12s\n", "reason",
		"name", "exits", "share", "cycles", "share", "cycles/exit");
	for (i = 0; i < n; i++) {
		const struct es_reason_stat *r = &s->reasons[idx[i]];

		reason_label(out, s->vendor, r->reason);
		fprintf(out, "  %-30s %14" PRIu64 " ",
			name_of(s, r->reason, buf, sizeof(buf)), r->exits);
		text_percent(out, r->exits, s->exits);
		fprintf(out, " %18" PRIu64 " ", r->cycles);
		text_percent(out, r->cycles, all_cycles);
		fputc(' ', out);
		text_ratio(out, r->cycles, r->exits, 12, 1);
		fputc('\n', out);
	}
	if (!n)
		fputs("(no reason has exits)\n", out);
	if (missing)
		fprintf(out,
			"%" PRId64 " exits not attributed to a listed reason (other vCPUs exited while the table was read, or the host counts reasons exitstat does not list)\n",
			missing);
}

static void text_command_header(FILE *out, const struct es_report_context *c)
{
	char *const *arg;

	fputs("\n KVM exit statistics for '", out);
	for (arg = c->command; *arg; arg++)
		fprintf(out, "%s%s", arg == c->command ? "" : " ", *arg);
	fprintf(out, "' (exit status %d, %.3f s):\n\n", c->command_status,
		c->seconds);
}

static void text_report(FILE *out, const struct es_snapshot *s,
			const struct es_report_context *ctx,
			const struct es_report_opts *opts)
{
	char buf[48];

	if (ctx->command)
		text_command_header(out, ctx);
	fprintf(out, "exits        %20" PRIu64 "\n", s->exits);
	fprintf(out, "cycles       %20" PRIu64 "\n", s->cycles);
	fputs("cycles/exit  ", out);
	text_ratio(out, s->cycles, s->exits, 20, 1);
	fputc('\n', out);
	if (opts->reasons)
		text_reasons(out, s, opts);
	fprintf(out,
		"(%" PRIu64 " of the exits are exitstat's own CPUID reads, reason %s; see exitstat --help)\n",
		s->self_exits,
		name_of(s, es_cpuid_reason(s->vendor), buf, sizeof(buf)));
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

static void json_report(FILE *out, const struct es_snapshot *s,
			const struct es_report_context *ctx,
			const struct es_report_opts *opts)
{
	char *const *arg;

	fprintf(out, "{\"instrumented\":true,\"mode\":");
	es_json_string(out, ctx->mode);
	fprintf(out, ",\"vendor\":");
	es_json_string(out, es_vendor_label(s->vendor));
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

void es_report_watch_header(FILE *out, const struct es_report_opts *opts)
{
	if (opts->json)
		return;
	fprintf(out, "%10s %14s %18s %12s %12s%s\n", "seconds", "exits",
		"cycles", "cycles/exit", "exits/s",
		opts->reasons ? "  top reasons" : "");
}

static void text_top_reasons(FILE *out, const struct es_snapshot *d,
			     const struct es_report_opts *opts)
{
	size_t idx[ES_MAX_REASONS], i, n;
	char buf[48];

	n = es_sorted_rows(d, opts->sort, false, idx);
	fputs(" ", out);
	for (i = 0; i < n && i < 3; i++)
		fprintf(out, "%s %s %" PRIu64, i ? "," : "",
			name_of(d, d->reasons[idx[i]].reason, buf, sizeof(buf)),
			d->reasons[idx[i]].exits);
}

void es_report_watch_line(FILE *out, const struct es_snapshot *d,
			  const struct es_report_context *ctx,
			  const struct es_report_opts *opts)
{
	if (opts->json) {
		json_report(out, d, ctx, opts);
	} else {
		fprintf(out, "%10.3f %14" PRIu64 " %18" PRIu64 " ",
			ctx->seconds, d->exits, d->cycles);
		text_ratio(out, d->cycles, d->exits, 12, 1);
		fputc(' ', out);
		if (ctx->seconds > 0)
			fprintf(out, "%12.1f", d->exits / ctx->seconds);
		else
			fprintf(out, "%12s", "-");
		if (opts->reasons && d->have_reasons)
			text_top_reasons(out, d, opts);
		fputc('\n', out);
	}
	fflush(out);
}

void es_report_not_instrumented_json(FILE *out, const char *why)
{
	fputs("{\"instrumented\":false,\"error\":", out);
	es_json_string(out, why);
	fputs("}\n", out);
}
