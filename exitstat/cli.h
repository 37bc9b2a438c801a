/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exitstat's command line, with every contact to the outside world (the
 * CPUID instruction, running a command, sleeping, the clock) behind the
 * hooks of struct es_env so the unit tests can drive it.
 */
#ifndef EXITSTAT_CLI_H
#define EXITSTAT_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "cpuid.h"

#define EXITSTAT_VERSION "1.0"

struct es_env {
	es_cpuid_fn cpuid;
	/*
	 * Run argv and wait: its exit status, 128+signal, or 126/127 with
	 * err set when it could not be started.  stdout_to_stderr: the
	 * command's standard output goes to exitstat's standard error.
	 */
	int (*run)(void *ctx, char *const argv[], bool stdout_to_stderr,
		   char *err, size_t errlen);
	void (*sleep)(void *ctx, double seconds);
	double (*now)(void *ctx);	/* monotonic seconds */
	void *ctx;			/* passed to every hook */
	FILE *out;			/* standard output */
	FILE *err;			/* diagnostics, command-mode text reports */
};

/* Exit status: see ES_EXIT_* and, in command mode, the command's. */
int exitstat_main(int argc, char **argv, const struct es_env *env);

#define ES_EXIT_ERROR			1	/* broken contract, write error */
#define ES_EXIT_USAGE			2
#define ES_EXIT_NOT_INSTRUMENTED	3

#endif
