/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where exitstat touches the CPU: everything else receives a
 * cpuid function pointer, so the unit tests can replace the instruction with
 * a table that implements include/kvm_exit_stats.h.
 */
#ifndef EXITSTAT_CPUID_H
#define EXITSTAT_CPUID_H

#include <stdint.h>

struct es_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* Execute CPUID with EAX = leaf, ECX = subleaf; ctx is for fakes. */
typedef void (*es_cpuid_fn)(void *ctx, uint32_t leaf, uint32_t subleaf,
			    struct es_regs *out);

void es_cpuid_hw(void *ctx, uint32_t leaf, uint32_t subleaf,
		 struct es_regs *out);

#endif
