// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the dump parser: any input must either parse or fail
 * with a line number and reason, never read outside the buffer, and what
 * parses must survive a write/parse round trip and the report unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vtcaps.h"
#include "fuzz_line.h"

#define MAX_CPUS 64

struct sink {
	char *buf;
	size_t len, cap;
};

static void to_sink(void *ctx, const char *text)
{
	struct sink *s = ctx;
	size_t n = strlen(text);

	if (n > VTC_LINE_MAX)
		abort();
	if (s->len + n + 1 > s->cap)
		return;
	memcpy(s->buf + s->len, text, n);
	s->buf[s->len + n] = '\n';
	s->len += n + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vtc_cpu cpus[MAX_CPUS], again[MAX_CPUS];
	static char text[MAX_CPUS * 40 * 80];
	struct vtc_parse_error err;
	struct sink s = { text, 0, sizeof(text) };
	int n, m, i;

	n = vtc_parse_dump((const char *)data, size, cpus, MAX_CPUS, &err);
	if (n < 0) {
		if (!err.reason || !*err.reason)
			abort();
		return 0;
	}
	if (n == 0 || n > MAX_CPUS)
		abort();
	for (i = 0; i < n; i++) {
		vtc_dump(&cpus[i], to_sink, &s);
		vtc_report(&cpus[i], VTC_REPORT_LINUX_NAMES, discard, NULL);
		vtc_report_linux_flags(&cpus[i], VTC_LINUX_6_12, discard, NULL);
	}
	m = vtc_parse_dump(text, s.len, again, MAX_CPUS, &err);
	if (m != n)
		abort();
	for (i = 0; i < n; i++)
		if (again[i].cpu != cpus[i].cpu || again[i].msr_valid != cpus[i].msr_valid ||
		    again[i].msr_fault != cpus[i].msr_fault ||
		    memcmp(again[i].msr, cpus[i].msr, sizeof(cpus[i].msr)) ||
		    again[i].cpuid_valid != cpus[i].cpuid_valid ||
		    memcmp(again[i].cpuid, cpus[i].cpuid, sizeof(cpus[i].cpuid)))
			abort();
	return 0;
}
