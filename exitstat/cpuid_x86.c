// SPDX-License-Identifier: GPL-2.0
#include "cpuid.h"

void es_cpuid_hw(void *ctx, uint32_t leaf, uint32_t subleaf,
		 struct es_regs *out)
{
	(void)ctx;
	__asm__ volatile("cpuid"
			 : "=a"(out->eax), "=b"(out->ebx),
			   "=c"(out->ecx), "=d"(out->edx)
			 : "a"(leaf), "c"(subleaf));
}
