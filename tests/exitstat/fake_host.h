/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake CPU + host KVM that implements include/kvm_exit_stats.h the way
 * the contract says: each CPUID is an exit of reason CPUID, counted when
 * it happens (so a read includes itself), its cycles added only after the
 * answer.  Stock behaviour (no signature) is selectable.
 */
#ifndef FAKE_HOST_H
#define FAKE_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include "cpuid.h"

#define FAKE_REASONS 0x410

struct fake_host {
	const char *vendor;		/* 12 characters */
	bool amd;			/* CPUID exit = 0x72 instead of 10 */
	bool instrumented;
	uint32_t stock_edx;		/* EDX of unknown leaves when stock */
	bool hypervisor_bit;		/* CPUID.1:ECX[31] */
	char hv_signature[12];		/* EBX ECX EDX of 0x40000000 */
	char hv_signature2[12];		/* ... of 0x40000100 */
	uint64_t exits, cycles;
	uint64_t reason_exits[FAKE_REASONS];
	uint64_t reason_cycles[FAKE_REASONS];
	bool undefined[FAKE_REASONS];	/* and everything >= FAKE_REASONS */
	uint64_t cycles_per_cpuid;
	uint32_t info;			/* INFO word: KVM_EXIT_STATS_SCOPE_* or 0 */
	unsigned long cpuid_calls;
	/* Fault injection. */
	bool bad_total_ecx;		/* a reserved INFO bit set */
	uint32_t bad_reason;		/* nonzero: this reason answers junk */

	/* What a fake command / watch interval does. */
	struct {
		uint32_t reason;
		uint64_t exits, cycles;
	} workload[4];
	int workload_status;
	/* Where the fake command writes "cmd-stdout\n" (its inherited fd 1,
	 * or fd 2 when exitstat redirects it); NULL: nowhere. */
	FILE *cmd_stdout, *cmd_stderr;
	bool last_stdout_to_stderr;
	double clock, sleep_step;
	unsigned long runs, sleeps;
};

void fake_host_init_intel(struct fake_host *h);
void fake_host_init_amd(struct fake_host *h);
/* Add exits of a reason to the counters (what a workload would do). */
void fake_host_add(struct fake_host *h, uint32_t reason, uint64_t n,
		   uint64_t cycles);

void fake_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf,
		struct es_regs *out);
void fake_host_set_hypervisor(struct fake_host *h, const char *sig12);
int fake_run(void *ctx, char *const argv[], bool stdout_to_stderr,
	     char *err, size_t errlen);
void fake_sleep(void *ctx, double seconds);
double fake_now(void *ctx);

#endif
