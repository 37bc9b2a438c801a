/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exitstat's command line, with every contact to the outside world (the
 * CPUID instruction, running a command, sleeping, the clock) behind the
 * hooks of struct es_env so the unit tests can drive it.
 */
#ifndef EXITSTAT_CLI_H
#define EXITSTAT_CLI_H

#include <stdio.h>
#include "cpuid.h"

struct es_env {
	es_cpuid_fn cpuid;
	/* Run argv and wait; exit status, 128+signal, or 127 (err set). */
	int (*run)(void *ctx, char *const argv[], char *err, size_t errlen);
	void (*sleep)(void *ctx, double seconds);
	double (*now)(void *ctx);	/* monotonic seconds */
	void *ctx;			/* passed to every hook */
	FILE *out;			/* reports (command mode: see -o) */
	FILE *err;			/* diagnostics, command-mode reports */
};

/* Exit status: 0 ok, 1 usage or error, 2 not instrumented, else CMD's. */
int exitstat_main(int argc, char **argv, const struct es_env *env);


#define ES_EXIT_ERROR 1
#define ES_EXIT_NOT_INSTRUMENTED 2

#endif
