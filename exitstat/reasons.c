// SPDX-License-Identifier: GPL-2.0
/*
 * Names of VM-exit reasons.
 *
 * Intel: Intel SDM Vol. 3, Appendix C "VMX Basic Exit Reasons", Table C-1,
 * the 2025 editions (reasons 0..85; 35, 38, 42, 82 and 83 are not
 * defined).  Linux 6.1/6.12 arch/x86/include/uapi/asm/vmx.h names the subset
 * 0-4, 7-10, 12-16, 18-34, 36, 37, 39-41, 43-64, 67, 68, 74, 75 with the same
 * numbers (checked against Debian's 6.1.192 and 6.12.117 sources).
 *
 * AMD: AMD64 APM Vol. 2, Appendix C "SVM Intercept Exit Codes" (codes
 * 0x000..0x0A6 and 0x400..0x403).  Every code named in Linux 6.1/6.12
 * arch/x86/include/uapi/asm/svm.h has the same value here; 0xA0, 0xA1 and
 * 0xA3..0xA6 are in the APM only.  Of the negative codes only VMEXIT_INVALID
 * (-1, ECX = 0xFFFFFFFF; Linux SVM_EXIT_ERR) can happen under KVM.
 */
#include <stdio.h>
#include <string.h>
#include "kvm_exit_stats.h"
#include "reasons.h"

struct named_reason {
	uint32_t reason;
	const char *name;
};

static const struct named_reason vmx_reasons[] = {
	{ 0, "Exception or NMI" },
	{ 1, "External interrupt" },
	{ 2, "Triple fault" },
	{ 3, "INIT signal" },
	{ 4, "Start-up IPI (SIPI)" },
	{ 5, "I/O SMI" },
	{ 6, "Other SMI" },
	{ 7, "Interrupt window" },
	{ 8, "NMI window" },
	{ 9, "Task switch" },
	{ 10, "CPUID" },
	{ 11, "GETSEC" },
	{ 12, "HLT" },
	{ 13, "INVD" },
	{ 14, "INVLPG" },
	{ 15, "RDPMC" },
	{ 16, "RDTSC" },
	{ 17, "RSM" },
	{ 18, "VMCALL" },
	{ 19, "VMCLEAR" },
	{ 20, "VMLAUNCH" },
	{ 21, "VMPTRLD" },
	{ 22, "VMPTRST" },
	{ 23, "VMREAD" },
	{ 24, "VMRESUME" },
	{ 25, "VMWRITE" },
	{ 26, "VMXOFF" },
	{ 27, "VMXON" },
	{ 28, "Control-register access" },
	{ 29, "MOV DR" },
	{ 30, "I/O instruction" },
	{ 31, "RDMSR" },
	{ 32, "WRMSR" },
	{ 33, "VM-entry fail: guest state" },
	{ 34, "VM-entry fail: MSR loading" },
	{ 36, "MWAIT" },
	{ 37, "Monitor trap flag" },
	{ 39, "MONITOR" },
	{ 40, "PAUSE" },
	{ 41, "VM-entry fail: machine check" },
	{ 43, "TPR below threshold" },
	{ 44, "APIC access" },
	{ 45, "Virtualized EOI" },
	{ 46, "GDTR/IDTR access" },
	{ 47, "LDTR/TR access" },
	{ 48, "EPT violation" },
	{ 49, "EPT misconfiguration" },
	{ 50, "INVEPT" },
	{ 51, "RDTSCP" },
	{ 52, "VMX-preemption timer expired" },
	{ 53, "INVVPID" },
	{ 54, "WBINVD/WBNOINVD" },
	{ 55, "XSETBV" },
	{ 56, "APIC write" },
	{ 57, "RDRAND" },
	{ 58, "INVPCID" },
	{ 59, "VMFUNC" },
	{ 60, "ENCLS" },
	{ 61, "RDSEED" },
	{ 62, "Page-modification log full" },
	{ 63, "XSAVES" },
	{ 64, "XRSTORS" },
	{ 65, "PCONFIG" },
	{ 66, "SPP-related event" },
	{ 67, "UMWAIT" },
	{ 68, "TPAUSE" },
	{ 69, "LOADIWKEY" },
	{ 70, "ENCLV" },
	{ 71, "SGX conflict" },
	{ 72, "ENQCMD PASID transl. failure" },
	{ 73, "ENQCMDS PASID transl. failure" },
	{ 74, "Bus lock" },
	{ 75, "Instruction timeout" },
	{ 76, "SEAMCALL" },
	{ 77, "TDCALL" },
	{ 78, "RDMSRLIST" },
	{ 79, "WRMSRLIST" },
	{ 80, "URDMSR" },
	{ 81, "UWRMSR" },
	{ 84, "RDMSR with immediate" },
	{ 85, "WRMSRNS with immediate" },
};

/* SVM codes that are not part of a numbered run (CRn, DRn, exceptions). */
static const struct named_reason svm_single_reasons[] = {
	{ 0x060, "INTR" },
	{ 0x061, "NMI" },
	{ 0x062, "SMI" },
	{ 0x063, "INIT" },
	{ 0x064, "VINTR" },
	{ 0x065, "CR0_SEL_WRITE" },
	{ 0x066, "IDTR_READ" },
	{ 0x067, "GDTR_READ" },
	{ 0x068, "LDTR_READ" },
	{ 0x069, "TR_READ" },
	{ 0x06A, "IDTR_WRITE" },
	{ 0x06B, "GDTR_WRITE" },
	{ 0x06C, "LDTR_WRITE" },
	{ 0x06D, "TR_WRITE" },
	{ 0x06E, "RDTSC" },
	{ 0x06F, "RDPMC" },
	{ 0x070, "PUSHF" },
	{ 0x071, "POPF" },
	{ 0x072, "CPUID" },
	{ 0x073, "RSM" },
	{ 0x074, "IRET" },
	{ 0x075, "SWINT" },
	{ 0x076, "INVD" },
	{ 0x077, "PAUSE" },
	{ 0x078, "HLT" },
	{ 0x079, "INVLPG" },
	{ 0x07A, "INVLPGA" },
	{ 0x07B, "IOIO" },
	{ 0x07C, "MSR" },
	{ 0x07D, "TASK_SWITCH" },
	{ 0x07E, "FERR_FREEZE" },
	{ 0x07F, "SHUTDOWN" },
	{ 0x080, "VMRUN" },
	{ 0x081, "VMMCALL" },
	{ 0x082, "VMLOAD" },
	{ 0x083, "VMSAVE" },
	{ 0x084, "STGI" },
	{ 0x085, "CLGI" },
	{ 0x086, "SKINIT" },
	{ 0x087, "RDTSCP" },
	{ 0x088, "ICEBP" },
	{ 0x089, "WBINVD" },
	{ 0x08A, "MONITOR" },
	{ 0x08B, "MWAIT" },
	{ 0x08C, "MWAIT_CONDITIONAL" },
	{ 0x08D, "XSETBV" },
	{ 0x08E, "RDPRU" },
	{ 0x08F, "EFER_WRITE_TRAP" },
	{ 0x0A0, "INVLPGB" },
	{ 0x0A1, "INVLPGB_ILLEGAL" },
	{ 0x0A2, "INVPCID" },
	{ 0x0A3, "MCOMMIT" },
	{ 0x0A4, "TLBSYNC" },
	{ 0x0A5, "BUSLOCK" },
	{ 0x0A6, "IDLE_HLT" },
	{ 0x400, "NPF" },
	{ 0x401, "AVIC_INCOMPLETE_IPI" },
	{ 0x402, "AVIC_NOACCEL" },
	{ 0x403, "VMGEXIT" },
	{ 0xFFFFFFFF, "INVALID" },	/* VMEXIT_INVALID (-1): bad VMCB state */
};

/* Runs of 16 or 32 codes named by an index: CRn/DRn access, exceptions. */
struct svm_run {
	uint32_t first, count;
	const char *format;
};

static const struct svm_run svm_runs[] = {
	{ 0x000, 16, "CR%u_READ" },
	{ 0x010, 16, "CR%u_WRITE" },
	{ 0x020, 16, "DR%u_READ" },
	{ 0x030, 16, "DR%u_WRITE" },
	{ 0x040, 32, "EXCP%u" },
	{ 0x090, 16, "CR%u_WRITE_TRAP" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Mnemonics of exception vectors 0..31 (SDM Vol. 3 Table 6-1, APM 8.2). */
static const char *const exception_mnemonic[32] = {
	"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM",
	"DF", NULL, "TS", "NP", "SS", "GP", "PF", NULL,
	"MF", "AC", "MC", "XM", "VE", "CP", NULL, NULL,
	NULL, NULL, NULL, NULL, "HV", "VC", "SX", NULL,
};

/*
 * Which reasons exist is the contract header's to say
 * (kvm_exit_stats_{vmx,svm}_reason_defined(), also used by the KVM patch):
 * the lists exitstat reads are built from it, and the tables above only name
 * them (tests/exitstat/unit.c checks that every listed reason has a name and
 * every name a listed reason).
 */
#define SVM_HIGH_COUNT \
	(KVM_EXIT_STATS_SVM_HIGH_LAST - KVM_EXIT_STATS_SVM_HIGH_FIRST + 1)

static uint32_t vmx_codes[KVM_EXIT_STATS_VMX_REASON_MAX + 1];
static size_t vmx_code_count;
static uint32_t svm_codes[KVM_EXIT_STATS_SVM_LOW_MAX + 1 + SVM_HIGH_COUNT + 1];
static size_t svm_code_count;

static void add_svm_code_if_defined(uint32_t code)
{
	if (kvm_exit_stats_svm_reason_defined(code))
		svm_codes[svm_code_count++] = code;
}

static void build_reason_lists(void)
{
	uint32_t r;

	if (vmx_code_count)
		return;
	for (r = 0; r <= KVM_EXIT_STATS_VMX_REASON_MAX; r++)
		if (kvm_exit_stats_vmx_reason_defined(r))
			vmx_codes[vmx_code_count++] = r;
	for (r = 0; r <= KVM_EXIT_STATS_SVM_LOW_MAX; r++)
		add_svm_code_if_defined(r);
	for (r = KVM_EXIT_STATS_SVM_HIGH_FIRST;
	     r <= KVM_EXIT_STATS_SVM_HIGH_LAST; r++)
		add_svm_code_if_defined(r);
	add_svm_code_if_defined(KVM_EXIT_STATS_SVM_INVALID);
}

enum es_vendor es_vendor_from_leaf0(const struct es_regs *leaf0)
{
	char id[13];

	memcpy(id, &leaf0->ebx, 4);
	memcpy(id + 4, &leaf0->edx, 4);
	memcpy(id + 8, &leaf0->ecx, 4);
	id[12] = '\0';
	if (!strcmp(id, "AuthenticAMD") || !strcmp(id, "HygonGenuine"))
		return ES_VENDOR_AMD;
	if (!strcmp(id, "GenuineIntel"))
		return ES_VENDOR_INTEL;
	return ES_VENDOR_UNKNOWN;
}

enum es_vendor es_vendor_parse(const char *s)
{
	if (!strcmp(s, "intel") || !strcmp(s, "vmx"))
		return ES_VENDOR_INTEL;
	if (!strcmp(s, "amd") || !strcmp(s, "svm"))
		return ES_VENDOR_AMD;
	return ES_VENDOR_UNKNOWN;
}

const char *es_vendor_label(enum es_vendor v)
{
	switch (v) {
	case ES_VENDOR_INTEL:
		return "intel";
	case ES_VENDOR_AMD:
		return "amd";
	default:
		return "unknown";
	}
}

size_t es_reason_count(enum es_vendor v)
{
	build_reason_lists();
	return v == ES_VENDOR_AMD ? svm_code_count : vmx_code_count;
}

uint32_t es_reason_at(enum es_vendor v, size_t i)
{
	build_reason_lists();
	return v == ES_VENDOR_AMD ? svm_codes[i] : vmx_codes[i];
}

static const char *svm_name(uint32_t reason, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(svm_single_reasons); i++)
		if (svm_single_reasons[i].reason == reason)
			return svm_single_reasons[i].name;
	for (i = 0; i < ARRAY_LEN(svm_runs); i++) {
		const struct svm_run *run = &svm_runs[i];
		uint32_t idx = reason - run->first;

		if (reason < run->first || idx >= run->count)
			continue;
		if (run->first == 0x040 && exception_mnemonic[idx])
			snprintf(buf, len, "EXCP%u (#%s)", idx,
				 exception_mnemonic[idx]);
		else
			snprintf(buf, len, run->format, idx);
		return buf;
	}
	return NULL;
}

static const char *vmx_name(uint32_t reason)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(vmx_reasons); i++)
		if (vmx_reasons[i].reason == reason)
			return vmx_reasons[i].name;
	return NULL;
}

const char *es_reason_name(enum es_vendor v, uint32_t reason,
			   char *buf, size_t len)
{
	const char *name = NULL;

	if (v == ES_VENDOR_AMD)
		name = svm_name(reason, buf, len);
	else if (v == ES_VENDOR_INTEL)
		name = vmx_name(reason);
	if (!name) {
		snprintf(buf, len, "reason %u", reason);
		name = buf;
	}
	return name;
}

uint32_t es_cpuid_reason(enum es_vendor v)
{
	return v == ES_VENDOR_AMD ? 0x072 : 10;
}
