// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the CLI's other inputs (vtcaps/cli/formats.c): any
 * text, read as a dump, a kernel log report or an rdmsr capture, must load
 * or fail with exit 3, never read outside its buffer or leak, and what loads
 * must hold only CPUs the core accepts (every report line within bounds).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz_line.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Rejected inputs print their reason: run with -close_fd_mask=2 (see unit-vtcaps-fuzz). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct host h = { .cpus = NULL };
	unsigned int i;
	int rc = load_any_text("fuzz", (const char *)data, size, &h);

	if (rc != EX_OK && rc != EX_BADINPUT)
		abort();
	if (rc == EX_OK) {
		if (!h.ncpus || h.ncpus > MAX_CPUS)
			abort();
		for (i = 0; i < h.ncpus; i++) {
			if (vtc_impossible_msrs(&h.cpus[i]) || vtc_vendor_mix(&h.cpus[i]))
				abort();
			vtc_report(&h.cpus[i], VTC_REPORT_LINUX_NAMES, discard, NULL);
		}
	}
	free_host(&h);
	return 0;
}
