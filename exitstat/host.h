/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What is below this guest when the exit-statistics leaves are absent:
 * CPUID.1:ECX[31] (hypervisor present) and the hypervisor's vendor
 * signature in EBX, ECX, EDX of leaf 0x40000000 (and of 0x40000100, where
 * KVM and Xen put theirs when they also offer the Hyper-V interface).
 */
#ifndef EXITSTAT_HOST_H
#define EXITSTAT_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include "snapshot.h"

#define ES_HV_LEAF		0x40000000
#define ES_HV_LEAF_SECOND	0x40000100	/* behind the Hyper-V leaves */

struct es_host {
	bool hypervisor;		/* CPUID.1:ECX[31] */
	uint32_t leaf;			/* leaf the signature came from, or 0 */
	char signature[64];		/* printable: "\0" and "\xNN" escaped */
	const char *id;			/* JSON: "kvm", "hyperv", ..., "none" */
	const char *what;		/* a sentence: what the host is */
	const char *advice;		/* a sentence: what to do */
};

/* Identify the host through rd (three or four CPUIDs). */
void es_host_identify(struct es_reader *rd, struct es_host *h);

#endif
