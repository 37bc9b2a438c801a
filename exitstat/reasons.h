/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit reasons, per vendor: which ones exist is the contract header's
 * kvm_exit_stats_{vmx,svm}_reason_defined() (the KVM patch answers
 * KVM_EXIT_STATS_UNDEFINED for the others through the same predicates);
 * exitstat adds only their names.
 */
#ifndef EXITSTAT_REASONS_H
#define EXITSTAT_REASONS_H

#include <stddef.h>
#include <stdint.h>
#include "cpuid.h"

enum es_vendor {
	ES_VENDOR_UNKNOWN,
	ES_VENDOR_INTEL,	/* VMX basic exit reasons */
	ES_VENDOR_AMD,		/* SVM exit codes */
};

/* Vendor from the CPUID leaf 0 regs (the host's vendor string, under KVM). */
enum es_vendor es_vendor_from_leaf0(const struct es_regs *leaf0);
enum es_vendor es_vendor_parse(const char *s);	/* "intel"/"amd", else UNKNOWN */
const char *es_vendor_label(enum es_vendor v);	/* "intel", "amd", "unknown" */

/*
 * The reasons exitstat reads, in ascending order.  An unknown vendor gets
 * the VMX list (VIA/Zhaoxin implement VMX too) but es_reason_name() then
 * gives neutral names.
 */
size_t es_reason_count(enum es_vendor v);
uint32_t es_reason_at(enum es_vendor v, size_t i);

/* Name of a reason; writes into buf when the name is generated. */
const char *es_reason_name(enum es_vendor v, uint32_t reason,
			   char *buf, size_t len);

/* The exit reason that a CPUID instruction causes on this vendor. */
uint32_t es_cpuid_reason(enum es_vendor v);

#endif
