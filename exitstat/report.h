/* SPDX-License-Identifier: GPL-2.0 */
/* Text and JSON output of snapshots, deltas and watch lines. */
#ifndef EXITSTAT_REPORT_H
#define EXITSTAT_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "host.h"
#include "snapshot.h"

struct es_report_opts {
	bool json;
	bool reasons;		/* print the per-reason table */
	bool all;		/* include reasons with no exits */
	enum es_sort_key sort;
};

/* What the figures describe. */
struct es_report_context {
	const char *mode;		/* "snapshot", "command", "watch" */
	char *const *command;		/* command mode: argv, NULL-terminated */
	int command_status;		/* command mode: exit status */
	double seconds;			/* command/watch: elapsed time */
	unsigned long interval;		/* watch: 1, 2, ... */
};

void es_report(FILE *out, const struct es_snapshot *s,
	       const struct es_report_context *ctx,
	       const struct es_report_opts *opts);

/* Column headings for --watch in text mode (printed once). */
void es_report_watch_header(FILE *out, const struct es_report_opts *opts);
void es_report_watch_line(FILE *out, const struct es_snapshot *d,
			  const struct es_report_context *ctx,
			  const struct es_report_opts *opts);

/*
 * No counts: why (the reader's sentence) and, when the leaves are absent,
 * what the host is; host NULL means the leaves are there but could not be
 * used (broken contract, counter went backwards).  JSON: one object;
 * text: in command mode the report with "<not counted>", else nothing
 * (the diagnostics on standard error say it).
 */
void es_report_absent(FILE *out, enum es_vendor vendor,
		      const struct es_report_context *ctx,
		      const struct es_report_opts *opts, const char *why,
		      const struct es_host *host);

void es_json_string(FILE *out, const char *s);

#endif
