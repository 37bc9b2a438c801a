/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtcaps core: tables, decoding and report formatting of the Intel VMX and
 * AMD SVM capability registers.
 *
 * The same files are compiled into the kernel module (vtcaps/module, Kbuild)
 * and into the user-space CLI (vtcaps/cli), so the core uses no libc and no
 * kernel API: it only fills and reads struct vtc_cpu and emits text lines
 * through a callback.
 *
 * Sources of the facts in the tables (bit positions and names):
 *   Intel 64 and IA-32 Architectures Software Developer's Manual, Combined
 *   Volumes, Order Number 325462-087US (March 2025): Vol. 3C chapter
 *   "Virtual Machine Control Structures" (tables of pin-based, processor-
 *   based, VM-exit and VM-entry controls) and Appendix A "VMX Capability
 *   Reporting Facility"; IA32_FEATURE_CONTROL from Vol. 4 (MSR 3AH).
 *   AMD64 Architecture Programmer's Manual Volume 2: System Programming,
 *   Publication 24593 Revision 3.42 (March 2024): section 15.4 (VM_CR) and
 *   Appendix E (CPUID Fn8000_000A).
 *   Linux "vmx flags" names: arch/x86/include/asm/vmxfeatures.h and
 *   arch/x86/kernel/cpu/feat_ctl.c of Linux 6.1 and 6.12.
 *
 * How a reader (kernel module or CLI) fills one CPU:
 *
 *	struct vtc_cpu c;
 *	u32 leaf, msr;
 *
 *	vtc_cpu_init(&c, cpu);
 *	for (leaf = vtc_next_cpuid(&c); leaf != VTC_END; leaf = vtc_next_cpuid(&c))
 *		vtc_set_cpuid(&c, leaf, eax, ebx, ecx, edx);    (CPUID on that CPU)
 *	for (msr = vtc_next_msr(&c); msr != VTC_END; msr = vtc_next_msr(&c))
 *		if (rdmsr on that CPU faulted)
 *			vtc_set_msr_fault(&c, msr);
 *		else
 *			vtc_set_msr(&c, msr, value);
 *	vtc_report(&c, 0, my_line, my_ctx);
 *
 * vtc_next_msr() encodes the SDM existence rules (Appendix A), so a reader
 * that follows it never reads an MSR that does not exist: e.g. 0x48B only
 * when the primary controls allow bit 31 to be 1, 0x48D..0x490 only when
 * IA32_VMX_BASIC bit 55 is set.  It needs CPUID first: without leaves 0 and
 * 1 (Intel) or 0x80000001 (AMD) it returns VTC_END at once.
 */
#ifndef VTCAPS_H
#define VTCAPS_H

#include "vtc_compat.h"

/* Returned by the iterators when there is nothing more to read. */
#define VTC_END 0xffffffffu

/* Longest line (without NUL) vtc_report()/vtc_dump() ever pass to the callback. */
#define VTC_LINE_MAX 400
/* vtc_report() wraps its lines at this many columns (where it has a blank to break at). */
#define VTC_COLS 80

/* Highest CPU number a dump may contain. */
#define VTC_MAX_CPU_ID 65535u

/* MSR indices (Intel SDM Vol. 4, AMD APM Vol. 2). */
#define VTC_MSR_FEATURE_CONTROL	0x03a
#define VTC_MSR_VMX_BASIC	0x480
#define VTC_MSR_PINBASED	0x481
#define VTC_MSR_PROCBASED	0x482
#define VTC_MSR_EXIT		0x483
#define VTC_MSR_ENTRY		0x484
#define VTC_MSR_MISC		0x485
#define VTC_MSR_CR0_FIXED0	0x486
#define VTC_MSR_CR0_FIXED1	0x487
#define VTC_MSR_CR4_FIXED0	0x488
#define VTC_MSR_CR4_FIXED1	0x489
#define VTC_MSR_VMCS_ENUM	0x48a
#define VTC_MSR_PROCBASED2	0x48b
#define VTC_MSR_EPT_VPID_CAP	0x48c
#define VTC_MSR_TRUE_PINBASED	0x48d
#define VTC_MSR_TRUE_PROCBASED	0x48e
#define VTC_MSR_TRUE_EXIT	0x48f
#define VTC_MSR_TRUE_ENTRY	0x490
#define VTC_MSR_VMFUNC		0x491
#define VTC_MSR_PROCBASED3	0x492
#define VTC_MSR_EXIT2		0x493
#define VTC_MSR_AMD_VM_CR	0xc0010114u

/* Slots of struct vtc_cpu.msr[], in the order a reader reads them. */
enum vtc_msr_slot {
	VTC_S_FEATURE_CONTROL,
	VTC_S_VMX_BASIC,	/* slots 1..20 are MSRs 0x480..0x493 */
	VTC_S_AMD_VM_CR = 21,
	VTC_NR_MSRS
};

/* CPUID leaves a reader collects, slots of struct vtc_cpu.cpuid[]. */
enum vtc_cpuid_slot {
	VTC_C_0,		/* leaf 0: max leaf, vendor */
	VTC_C_1,		/* leaf 1: ECX bit 5 VMX, bit 6 SMX */
	VTC_C_80000000,		/* max extended leaf */
	VTC_C_80000001,		/* ECX bit 2 SVM */
	VTC_C_8000000A,		/* SVM revision, ASIDs, SVM features */
	VTC_NR_CPUID
};

enum vtc_reg { VTC_EAX, VTC_EBX, VTC_ECX, VTC_EDX };

/* Raw values of one CPU. Fill it through the functions below only. */
struct vtc_cpu {
	u32 cpu;			/* logical CPU number */
	u32 msr_valid;		/* bit per enum vtc_msr_slot: msr[] holds a value */
	u32 msr_fault;		/* bit per slot: the read faulted */
	u64 msr[VTC_NR_MSRS];
	u32 cpuid_valid;		/* bit per enum vtc_cpuid_slot */
	u32 cpuid[VTC_NR_CPUID][4];	/* indexed by enum vtc_reg */
};

enum vtc_vendor { VTC_VENDOR_UNKNOWN, VTC_VENDOR_INTEL, VTC_VENDOR_AMD };

/* What a CPU offers, most specific problem first; see vtc_status(). */
enum vtc_state {
	VTC_VMX_OK,		/* Intel, VMX enumerated and enabled (or unlocked) */
	VTC_SVM_OK,		/* AMD, SVM enumerated and not disabled */
	VTC_NO_DATA,		/* nothing read at all */
	VTC_NOT_INTEL_OR_AMD,	/* CPUID vendor is neither */
	VTC_NO_VMX,		/* Intel without CPUID.1:ECX.VMX */
	VTC_VMX_DISABLED,	/* IA32_FEATURE_CONTROL locked with VMX off */
	VTC_NO_SVM,		/* AMD without CPUID 0x80000001:ECX.SVM */
	VTC_SVM_DISABLED,	/* VM_CR.SVMDIS set */
};

/* ---- filling a struct vtc_cpu ---------------------------------------- */

void vtc_cpu_init(struct vtc_cpu *c, u32 cpu);

/* Next CPUID leaf to execute on this CPU, or VTC_END. */
u32 vtc_next_cpuid(const struct vtc_cpu *c);
/* Next MSR to read on this CPU, or VTC_END (see rules above). */
u32 vtc_next_msr(const struct vtc_cpu *c);

/* Record a value; return 0, or -1 when vtcaps does not know the MSR/leaf. */
int vtc_set_cpuid(struct vtc_cpu *c, u32 leaf, u32 eax, u32 ebx,
		  u32 ecx, u32 edx);
int vtc_set_msr(struct vtc_cpu *c, u32 msr, u64 value);
int vtc_set_msr_fault(struct vtc_cpu *c, u32 msr);

/* ---- reading a struct vtc_cpu ---------------------------------------- */

/* Slot of an MSR index, or -1.  vtc_msr_index() is the inverse. */
int vtc_msr_slot(u32 msr);
u32 vtc_msr_index(unsigned int slot);
/* SDM/APM name of an MSR ("IA32_VMX_BASIC"), or NULL. */
const char *vtc_msr_name(u32 msr);
int vtc_cpuid_slot(u32 leaf);
u32 vtc_cpuid_leaf(unsigned int slot);

/* true and *value set when the MSR was read successfully. */
bool vtc_get_msr(const struct vtc_cpu *c, u32 msr, u64 *value);
bool vtc_msr_faulted(const struct vtc_cpu *c, u32 msr);
bool vtc_get_cpuid(const struct vtc_cpu *c, u32 leaf, u32 regs[4]);

/*
 * Vendor from CPUID leaf 0; a dump without CPUID lines counts as Intel when
 * it holds any VMX MSR and as AMD when it holds VM_CR.
 */
enum vtc_vendor vtc_vendor(const struct vtc_cpu *c);
enum vtc_state vtc_status(const struct vtc_cpu *c);
/* One-line English description of a state, e.g. for error messages. */
const char *vtc_state_text(enum vtc_state s);

/*
 * Consistency of the values of one CPU (for dumps, which may be edited,
 * cut or pasted together).  Bitmaps have one bit per enum vtc_msr_slot.
 *   vtc_impossible_msrs(): MSRs with a value although the other values say
 *     they do not exist (e.g. 0x48B while 0x482 bit 63 is 0; any VMX MSR
 *     of a CPU whose CPUID says AMD).
 *   vtc_missing_msrs(): MSRs that exist by the values present but were
 *     neither read nor recorded as faulted (e.g. IA32_VMX_BASIC in a dump
 *     of the control MSRs only).
 *   vtc_vendor_mix(): Intel VMX values and AMD SVM values (CPUID 0x8000000A,
 *     VM_CR, or the other vendor's CPUID leaf 0) for the same CPU.
 *   vtc_msr_rule(): when an MSR exists, e.g. "exists only when Procbased
 *     Controls can set bit 31".
 */
u32 vtc_impossible_msrs(const struct vtc_cpu *c);
u32 vtc_missing_msrs(const struct vtc_cpu *c);
bool vtc_vendor_mix(const struct vtc_cpu *c);
const char *vtc_msr_rule(u32 msr);

/* ---- VMX controls ----------------------------------------------------- */

/* Control groups, in report and JSON order. */
enum vtc_ctl_group {
	VTC_PINBASED,		/* 0x481 / TRUE 0x48D */
	VTC_PROCBASED,		/* 0x482 / TRUE 0x48E */
	VTC_PROCBASED2,		/* 0x48B */
	VTC_PROCBASED3,		/* 0x492, 64-bit allowed-1 mask */
	VTC_EXIT,		/* 0x483 / TRUE 0x48F */
	VTC_EXIT2,		/* 0x493, 64-bit allowed-1 mask */
	VTC_ENTRY,		/* 0x484 / TRUE 0x490 */
	VTC_NR_CTL_GROUPS
};

struct vtc_ctl_table {
	const char *key;	/* JSON key: "pinbased", "procbased", ... */
	const char *title;	/* course-format header: "Pinbased Controls" */
	u32 msr;
	u32 true_msr;	/* 0 when the group has no TRUE MSR */
	unsigned int width;	/* 32 (allowed-0/allowed-1 pairs) or 64 (allowed-1 only) */
	u64 default1;	/* reserved bits the SDM calls "default1" */
	const char *const *names;	/* width entries; NULL = reserved */
};

extern const struct vtc_ctl_table vtc_ctl_tables[VTC_NR_CTL_GROUPS];

/* The answer for one control bit. */
struct vtc_ctl_bit {
	bool can_set;		/* allowed-1: bit set in the high dword (or 64-bit mask) */
	bool can_clear;		/* allowed-0: bit clear in the low dword of the plain MSR */
	int can_clear_true;	/* same from the TRUE MSR: 1, 0, or -1 when none */
};

/*
 * Evaluate one control bit.  Returns false (and fills nothing) when the
 * group's MSR was not read (it does not exist or faulted).
 */
bool vtc_ctl_eval(const struct vtc_cpu *c, enum vtc_ctl_group g, unsigned int bit,
		  struct vtc_ctl_bit *out);

/* ---- Linux /proc/cpuinfo "vmx flags" ----------------------------------- */

enum vtc_linux_ver { VTC_LINUX_6_1, VTC_LINUX_6_12 };

#define VTC_LINUX_WORDS 5	/* NVMXINTS in the kernel */

struct vtc_linux_flag {
	const char *name;	/* as printed in /proc/cpuinfo */
	u8 word, bit;	/* position in cpuinfo_x86.vmx_capability[] */
	u8 since;		/* first enum vtc_linux_ver that prints it */
	u32 msr;		/* MSR the bit comes from; 0 for synthetic flags */
	u8 msr_bit;	/* bit within that 64-bit MSR value, as Linux reads it */
	const char *source;	/* the control or capability it reflects (<= 57 chars) */
};

extern const struct vtc_linux_flag vtc_linux_flags[];
extern const unsigned int vtc_nr_linux_flags;

/* The five vmx_capability words exactly as feat_ctl.c computes them. */
void vtc_linux_caps(const struct vtc_cpu *c, u32 caps[VTC_LINUX_WORDS]);

/* The Linux flag that reflects bit msr_bit of MSR msr, or NULL. */
const struct vtc_linux_flag *vtc_linux_flag_for(u32 msr, unsigned int msr_bit);

/* ---- text output ------------------------------------------------------- */

/* Receives one NUL-terminated line without the trailing newline. */
typedef void (*vtc_line_fn)(void *ctx, const char *text);

/* vtc_report() flags */
#define VTC_REPORT_LINUX_NAMES	0x1	/* append "[linux: name]" to controls */
#define VTC_REPORT_CONTROLS_ONLY 0x2	/* only the control groups (Intel) */

/*
 * The human report of one CPU: per control group a header
 * "Pinbased Controls MSR: 0x7f00000016" and per control
 * "  External Interrupt Exiting: Can set=Yes, Can clear=Yes", then the
 * other MSRs decoded (or the SVM leaf for AMD).
 */
void vtc_report(const struct vtc_cpu *c, unsigned int flags, vtc_line_fn line, void *ctx);

/*
 * The "vmx flags\t: ..." line exactly as that Linux version prints it in
 * /proc/cpuinfo.  Returns false (and prints nothing) when Linux would print
 * no such line (no VMX, VMX disabled by firmware, IA32_FEATURE_CONTROL
 * faulted, or word 0 of the capabilities is zero).
 */
bool vtc_report_linux_flags(const struct vtc_cpu *c, enum vtc_linux_ver ver,
			    vtc_line_fn line, void *ctx);
/* Why Linux prints no "vmx flags" line for this CPU, or NULL when it does. */
const char *vtc_linux_no_flags_reason(const struct vtc_cpu *c);

/*
 * Dump-format lines of one CPU (docs/vtcaps.md):
 *   "0 0x481 0x0000007f00000016"   MSR read
 *   "0 0x48b -"                    MSR read faulted
 *   "0 cpuid 0x00000001 0x000906ea 0x00100800 0x7ffafbff 0xbfebfbff"
 *                                  leaf eax ebx ecx edx
 */
void vtc_dump(const struct vtc_cpu *c, vtc_line_fn line, void *ctx);

/* ---- dump parser ------------------------------------------------------- */

struct vtc_parse_error {
	unsigned int line;	/* 1-based line number, 0 when not line-specific */
	const char *reason;	/* static English text */
	u32 msr;		/* the MSR the reason is about, or 0 */
	u32 cpu;		/* the CPU it is about (when msr or line is 0) */
};

/*
 * Parse a dump held in buf[0..len) (need not be NUL-terminated) into
 * cpus[0..max_cpus), one entry per distinct CPU number in order of first
 * appearance.  Returns the number of CPUs (>= 1), or -1 with *err filled.
 * Besides the syntax it rejects what no reader could have recorded: a last
 * line without newline whose value is shorter than vtc_dump() writes it (a
 * cut-off copy), a value of an MSR that cannot exist (vtc_impossible_msrs();
 * err->msr names it, vtc_msr_rule() says why), Intel and AMD values for one
 * CPU, and CPUs of different vendors in one dump.
 */
int vtc_parse_dump(const char *buf, size_t len, struct vtc_cpu *cpus, unsigned int max_cpus,
		   struct vtc_parse_error *err);

/* ---- tiny formatter, also usable by the module and CLI ----------------- */

struct vtc_buf {
	char *p;
	size_t size;	/* capacity including the NUL */
	size_t len;	/* characters written (truncated silently at size - 1) */
};

void vtc_buf_init(struct vtc_buf *b, char *p, size_t size);
void vtc_puts(struct vtc_buf *b, const char *s);
void vtc_putc(struct vtc_buf *b, char ch);
/* "0x" then at least min_digits lowercase hex digits */
void vtc_puthex(struct vtc_buf *b, u64 v, unsigned int min_digits);
void vtc_putdec(struct vtc_buf *b, u64 v);
/*
 * Pass text to line() wrapped at VTC_COLS columns: broken before a trailing
 * "(...)"/"[...]" remark or at the last blank that fits; continuation lines
 * are indented by 4.  A line with no blank to break at stays whole.
 */
void vtc_emit_wrapped(vtc_line_fn line, void *ctx, const char *text);
/* strcmp() for the core, which has no libc */
int vtc_strcmp(const char *a, const char *b);

#endif /* VTCAPS_H */
