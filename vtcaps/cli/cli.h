/* SPDX-License-Identifier: GPL-2.0 */
/* vtcaps CLI: shared declarations. */
#ifndef VTCAPS_CLI_H
#define VTCAPS_CLI_H

#include <stdio.h>
#include "vtcaps.h"

/* Exit codes, documented in docs/vtcaps.md and --help. */
enum vtc_exit {
	EX_OK = 0,
	EX_DIFFER = 1,		/* diff: A offers what B lacks; CPUs of one host differ */
	EX_USAGE = 2,
	EX_BADINPUT = 3,	/* unreadable or malformed dump */
	EX_NOTROOT = 4,
	EX_NODRIVER = 5,	/* no /dev/cpu/N/msr: msr driver not loaded */
	EX_NOTINTELAMD = 6,
	EX_NOVIRT = 7,		/* VMX / SVM not supported */
	EX_DISABLED = 8,	/* VMX / SVM disabled by firmware */
	EX_IO = 9,		/* other read or write failure */
};

/* A set of CPUs from one source (live host, module dump or file). */
struct host {
	char name[256];		/* file name, "live" or the module dump path */
	struct vtc_cpu *cpus;
	unsigned int ncpus;
};

/* Limit for CPUs read from one source. */
#define MAX_CPUS 4096

/* source.c */
/* A dump, vtcaps.ko kernel log report, course-format log or rdmsr capture. */
int load_dump_file(const char *path, struct host *h);
int load_dump_text(const char *name, const char *text, size_t len, struct host *h,
		   const unsigned int *origin, const char *kind);

/* formats.c */
/* Detect the kind of input (dump, kernel log, rdmsr output) and load it. */
int load_any_text(const char *name, const char *text, size_t len, struct host *h);
/* "a dump", "a kernel log report" or "an rdmsr capture" */
const char *input_kind_name(const char *text, size_t len);
int load_live(const char *sysroot, struct host *h);
void free_host(struct host *h);
int state_exit_code(enum vtc_state s);

/* compare.c */
/*
 * Print (unless out is NULL) "CPU n ..." lines for the MSRs that differ
 * from the first CPU; return how many differ.
 */
unsigned int report_cpu_differences(const struct host *h, FILE *out);
/*
 * The capabilities every CPU in hosts[0..n) offers, as one synthetic CPU:
 * control allowed-1 bits ANDed, allowed-0 (must-be-1) bits ORed, capability
 * flags ANDed.
 */
void baseline_cpu(const struct vtc_cpu *const *cpus, unsigned int n, struct vtc_cpu *out);
/* One thing A can do that B cannot. */
struct diff_item {
	const char *where;	/* control group title, MSR name or "CPUID 0x8000000A" */
	int bit;		/* -1 for a number (revision, ASIDs) */
	const char *name;	/* SDM/APM name of the bit or field */
	const char *what;	/* "A can set, B cannot", "A 32768, B 16", ... */
};
typedef void (*diff_fn)(void *ctx, const struct diff_item *d);

/* Call fn for what a can do that b cannot (same vendor); return how many. */
unsigned int diff_cpus(const struct vtc_cpu *a, const struct vtc_cpu *b, diff_fn fn, void *ctx);
unsigned int count_differences(const struct vtc_cpu *a, const struct vtc_cpu *b);
/*
 * diff_fn printing "WHERE:" once per group, then "  bit N NAME: WHAT",
 * wrapped at 80 columns; ctx is a struct diff_printer.
 */
struct diff_printer {
	FILE *out;
	const char *indent;	/* before every line */
	const char *last;	/* group printed last; NULL at first */
};
void print_diff_item(void *ctx, const struct diff_item *d);
/* vtc_line_fn printing text and a newline to the FILE * ctx */
void print_line(void *ctx, const char *text);

/* table.c: --table of cpus[0..n), one column per source names[i] */
void print_caps_table(const char *const *names, const struct vtc_cpu *cpus, unsigned int n,
		 FILE *out);

/* json.c */
void print_json(const struct host *h, FILE *out);
void json_str(FILE *out, const char *s);
const char *vendor_key(enum vtc_vendor v);

#endif /* VTCAPS_CLI_H */
