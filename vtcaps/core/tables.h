/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal tables of the vtcaps core: the fields of the capability MSRs
 * other than the control groups (those are in vtcaps.h).
 */
#ifndef VTC_TABLES_H
#define VTC_TABLES_H

#include "vtcaps.h"

enum vtc_field_fmt {
	VTC_F_FLAG,	/* one bit: Yes/No */
	VTC_F_DEC,	/* unsigned decimal */
	VTC_F_HEX,	/* hexadecimal */
	VTC_F_MEMTYPE,	/* memory type encoding (SDM Table A-1) */
	VTC_F_MSRLIST,	/* 512 * (N + 1) MSRs */
};

struct vtc_field {
	u8 lo, hi;		/* bit range, inclusive */
	u8 fmt;		/* enum vtc_field_fmt */
	const char *name;
};

struct vtc_msr_table {
	u32 msr;
	const struct vtc_field *fields;
	unsigned int nfields;
};

/* Field tables of the non-control Intel MSRs, in report order. */
extern const struct vtc_msr_table vtc_msr_tables[];
extern const unsigned int vtc_nr_msr_tables;
const struct vtc_msr_table *vtc_find_msr_table(u32 msr);

/* Names of CR0/CR4 bits (SDM Vol. 3A 2.5), NULL when reserved. */
extern const char *const vtc_cr0_bits[64];
extern const char *const vtc_cr4_bits[64];

/* AMD CPUID Fn8000_000A_EDX feature names (APM Vol. 3 Appendix E). */
extern const char *const vtc_svm_edx_bits[32];
/* AMD VM_CR (MSR C001_0114h) fields. */
extern const struct vtc_msr_table vtc_vm_cr_table;

/* Mask of the bits a field table defines. */
u64 vtc_fields_mask(const struct vtc_msr_table *t);

#endif /* VTC_TABLES_H */
