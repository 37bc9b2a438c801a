// SPDX-License-Identifier: GPL-2.0
/*
 * The bit tables of the vtcaps core.  Names are the SDM's (Order Number
 * 325462-087US, March 2025: Vol. 3C chapter "Virtual Machine Control
 * Structures", the tables "Definitions of ... Controls", and Appendix A)
 * and the APM's (24593 Rev. 3.42).  A bit absent from a table is reserved
 * in the revision followed; the report shows reserved bits that are set,
 * it never drops them.
 */
#include "tables.h"

/* SDM table "Definitions of Pin-Based VM-Execution Controls" */
static const char *const pinbased_names[32] = {
	[0] = "External-interrupt exiting",
	[3] = "NMI exiting",
	[5] = "Virtual NMIs",
	[6] = "Activate VMX-preemption timer",
	[7] = "Process posted interrupts",
};

/* SDM table "Definitions of Primary Processor-Based VM-Execution Controls" */
static const char *const procbased_names[32] = {
	[2] = "Interrupt-window exiting",
	[3] = "Use TSC offsetting",
	[7] = "HLT exiting",
	[9] = "INVLPG exiting",
	[10] = "MWAIT exiting",
	[11] = "RDPMC exiting",
	[12] = "RDTSC exiting",
	[15] = "CR3-load exiting",
	[16] = "CR3-store exiting",
	[17] = "Activate tertiary controls",
	[19] = "CR8-load exiting",
	[20] = "CR8-store exiting",
	[21] = "Use TPR shadow",
	[22] = "NMI-window exiting",
	[23] = "MOV-DR exiting",
	[24] = "Unconditional I/O exiting",
	[25] = "Use I/O bitmaps",
	[27] = "Monitor trap flag",
	[28] = "Use MSR bitmaps",
	[29] = "MONITOR exiting",
	[30] = "PAUSE exiting",
	[31] = "Activate secondary controls",
};

/* SDM table "Definitions of Secondary Processor-Based VM-Execution Controls" */
static const char *const procbased2_names[32] = {
	[0] = "Virtualize APIC accesses",
	[1] = "Enable EPT",
	[2] = "Descriptor-table exiting",
	[3] = "Enable RDTSCP",
	[4] = "Virtualize x2APIC mode",
	[5] = "Enable VPID",
	[6] = "WBINVD exiting",
	[7] = "Unrestricted guest",
	[8] = "APIC-register virtualization",
	[9] = "Virtual-interrupt delivery",
	[10] = "PAUSE-loop exiting",
	[11] = "RDRAND exiting",
	[12] = "Enable INVPCID",
	[13] = "Enable VM functions",
	[14] = "VMCS shadowing",
	[15] = "Enable ENCLS exiting",
	[16] = "RDSEED exiting",
	[17] = "Enable PML",
	[18] = "EPT-violation #VE",
	[19] = "Conceal VMX from PT",
	[20] = "Enable XSAVES/XRSTORS",
	[21] = "PASID translation",
	[22] = "Mode-based execute control for EPT",
	[23] = "Sub-page write permissions for EPT",
	[24] = "Intel PT uses guest physical addresses",
	[25] = "Use TSC scaling",
	[26] = "Enable user wait and pause",
	[27] = "Enable PCONFIG",
	[28] = "Enable ENCLV exiting",
	[30] = "VMM bus-lock detection",
	[31] = "Instruction timeout",
};

/* SDM table "Definitions of Tertiary Processor-Based VM-Execution Controls" */
static const char *const procbased3_names[64] = {
	[0] = "LOADIWKEY exiting",
	[1] = "Enable HLAT",
	[2] = "EPT paging-write control",
	[3] = "Guest-paging verification",
	[4] = "IPI virtualization",
	[5] = "SEAM guest-physical address width",
	[6] = "Enable MSR-list instructions",
	[7] = "Virtualize IA32_SPEC_CTRL",
	[8] = "APIC-timer virtualization",
	[9] = "Enable PBNDKB",
	[12] = "PEBS uses guest physical addresses",
};

/* SDM table "Definitions of Primary VM-Exit Controls" */
static const char *const exit_names[32] = {
	[2] = "Save debug controls",
	[9] = "Host address-space size",
	[12] = "Load IA32_PERF_GLOBAL_CTRL",
	[15] = "Acknowledge interrupt on exit",
	[18] = "Save IA32_PAT",
	[19] = "Load IA32_PAT",
	[20] = "Save IA32_EFER",
	[21] = "Load IA32_EFER",
	[22] = "Save VMX-preemption timer value",
	[23] = "Clear IA32_BNDCFGS",
	[24] = "Conceal VMX from PT",
	[25] = "Clear IA32_RTIT_CTL",
	[26] = "Clear IA32_LBR_CTL",
	[27] = "Clear UINV",
	[28] = "Load CET state",
	[29] = "Load PKRS",
	[30] = "Save IA32_PERF_GLOBAL_CTL",
	[31] = "Activate secondary controls",
};

/* SDM table "Definitions of Secondary VM-Exit Controls" */
static const char *const exit2_names[64] = {
	[0] = "Save FRED",
	[1] = "Load FRED",
	[2] = "Load IA32_SPEC_CTRL",
	[3] = "Prematurely busy shadow stack",
};

/* SDM table "Definitions of VM-Entry Controls" */
static const char *const entry_names[32] = {
	[2] = "Load debug controls",
	[9] = "IA-32e mode guest",
	[10] = "Entry to SMM",
	[11] = "Deactivate dual-monitor treatment",
	[13] = "Load IA32_PERF_GLOBAL_CTRL",
	[14] = "Load IA32_PAT",
	[15] = "Load IA32_EFER",
	[16] = "Load IA32_BNDCFGS",
	[17] = "Conceal VMX from PT",
	[18] = "Load IA32_RTIT_CTL",
	[19] = "Load UINV",
	[20] = "Load CET state",
	[21] = "Load guest IA32_LBR_CTL",
	[22] = "Load PKRS",
	[23] = "Load FRED",
	[24] = "Load IA32_SPEC_CTRL",
	[25] = "Allow SEAM-guest telemetry",
};

/*
 * default1 classes, SDM Appendix A.3-A.5: reserved controls that must be 1
 * unless the TRUE MSR says otherwise.
 */
#define PIN_DEFAULT1	0x00000016ull	/* bits 1, 2, 4 */
#define PROC_DEFAULT1	0x0401e172ull	/* bits 1, 4-6, 8, 13-16, 26 */
#define EXIT_DEFAULT1	0x00036dffull	/* bits 0-8, 10, 11, 13, 14, 16, 17 */
#define ENTRY_DEFAULT1	0x000011ffull	/* bits 0-8, 12 */

const struct vtc_ctl_table vtc_ctl_tables[VTC_NR_CTL_GROUPS] = {
	[VTC_PINBASED] = { "pinbased", "Pinbased Controls", VTC_MSR_PINBASED,
			   VTC_MSR_TRUE_PINBASED, 32, PIN_DEFAULT1, pinbased_names },
	[VTC_PROCBASED] = { "procbased", "Procbased Controls", VTC_MSR_PROCBASED,
			    VTC_MSR_TRUE_PROCBASED, 32, PROC_DEFAULT1, procbased_names },
	[VTC_PROCBASED2] = { "procbased2", "Secondary Procbased Controls",
			     VTC_MSR_PROCBASED2, 0, 32, 0, procbased2_names },
	[VTC_PROCBASED3] = { "procbased3", "Tertiary Procbased Controls",
			     VTC_MSR_PROCBASED3, 0, 64, 0, procbased3_names },
	[VTC_EXIT] = { "exit", "Exit Controls", VTC_MSR_EXIT, VTC_MSR_TRUE_EXIT, 32,
		       EXIT_DEFAULT1, exit_names },
	[VTC_EXIT2] = { "exit2", "Secondary Exit Controls", VTC_MSR_EXIT2, 0, 64, 0,
			exit2_names },
	[VTC_ENTRY] = { "entry", "Entry Controls", VTC_MSR_ENTRY, VTC_MSR_TRUE_ENTRY, 32,
			ENTRY_DEFAULT1, entry_names },
};

/* SDM Vol. 4 Table 2-2, MSR 3AH */
static const struct vtc_field feature_control_fields[] = {
	{ 0, 0, VTC_F_FLAG, "Lock bit" },
	{ 1, 1, VTC_F_FLAG, "Enable VMX inside SMX operation" },
	{ 2, 2, VTC_F_FLAG, "Enable VMX outside SMX operation" },
	{ 8, 14, VTC_F_HEX, "SENTER local function enables" },
	{ 15, 15, VTC_F_FLAG, "SENTER global enable" },
	{ 17, 17, VTC_F_FLAG, "SGX launch control enable" },
	{ 18, 18, VTC_F_FLAG, "SGX global enable" },
	{ 20, 20, VTC_F_FLAG, "LMCE on" },
};

/* SDM Appendix A.1 "Basic VMX Information" */
static const struct vtc_field basic_fields[] = {
	{ 0, 30, VTC_F_HEX, "VMCS revision identifier" },
	{ 32, 44, VTC_F_DEC, "VMCS region size (bytes)" },
	{ 48, 48, VTC_F_FLAG, "Physical addresses limited to 32 bits" },
	{ 49, 49, VTC_F_FLAG, "Dual-monitor treatment of SMI and SMM" },
	{ 50, 53, VTC_F_MEMTYPE, "VMCS memory type" },
	{ 54, 54, VTC_F_FLAG, "VM-exit instruction information for INS/OUTS" },
	{ 55, 55, VTC_F_FLAG, "TRUE capability MSRs (default1 controls may be 0)" },
	{ 56, 56, VTC_F_FLAG, "Hardware exception injection without error code" },
	{ 58, 58, VTC_F_FLAG, "Nested-exception support (FRED)" },
};

/* SDM Appendix A.6 "Miscellaneous Data" */
static const struct vtc_field misc_fields[] = {
	{ 0, 4, VTC_F_DEC, "VMX-preemption timer counts when TSC bit changes (bit number)" },
	{ 5, 5, VTC_F_FLAG, "VM exit stores EFER.LMA into IA-32e mode guest" },
	{ 6, 6, VTC_F_FLAG, "Activity state HLT" },
	{ 7, 7, VTC_F_FLAG, "Activity state shutdown" },
	{ 8, 8, VTC_F_FLAG, "Activity state wait-for-SIPI" },
	{ 14, 14, VTC_F_FLAG, "Intel PT usable in VMX operation" },
	{ 15, 15, VTC_F_FLAG, "RDMSR can read IA32_SMBASE in SMM" },
	{ 16, 24, VTC_F_DEC, "CR3-target values" },
	{ 25, 27, VTC_F_MSRLIST, "Recommended maximum MSR-list entries" },
	{ 28, 28, VTC_F_FLAG, "IA32_SMM_MONITOR_CTL bit 2 (SMI blocking on VMXOFF) can be set" },
	{ 29, 29, VTC_F_FLAG, "VMWRITE to any VMCS field, including VM-exit information" },
	{ 30, 30, VTC_F_FLAG, "VM entry injects with instruction length 0" },
	{ 32, 63, VTC_F_HEX, "MSEG revision identifier" },
};

/* SDM Appendix A.9 "VMCS Enumeration" */
static const struct vtc_field vmcs_enum_fields[] = {
	{ 1, 9, VTC_F_HEX, "Highest index value in VMCS field encodings" },
};

/* SDM Appendix A.10 "VPID and EPT Capabilities" */
static const struct vtc_field ept_vpid_fields[] = {
	{ 0, 0, VTC_F_FLAG, "EPT execute-only translations" },
	{ 6, 6, VTC_F_FLAG, "Page-walk length of 4" },
	{ 7, 7, VTC_F_FLAG, "Page-walk length of 5" },
	{ 8, 8, VTC_F_FLAG, "EPT paging structures uncacheable (UC)" },
	{ 14, 14, VTC_F_FLAG, "EPT paging structures write-back (WB)" },
	{ 16, 16, VTC_F_FLAG, "EPT 2-MByte pages" },
	{ 17, 17, VTC_F_FLAG, "EPT 1-GByte pages" },
	{ 20, 20, VTC_F_FLAG, "INVEPT supported" },
	{ 21, 21, VTC_F_FLAG, "EPT accessed and dirty flags" },
	{ 22, 22, VTC_F_FLAG, "Advanced VM-exit information for EPT violations" },
	{ 23, 23, VTC_F_FLAG, "Supervisor shadow-stack control" },
	{ 25, 25, VTC_F_FLAG, "Single-context INVEPT" },
	{ 26, 26, VTC_F_FLAG, "All-context INVEPT" },
	{ 32, 32, VTC_F_FLAG, "INVVPID supported" },
	{ 40, 40, VTC_F_FLAG, "Individual-address INVVPID" },
	{ 41, 41, VTC_F_FLAG, "Single-context INVVPID" },
	{ 42, 42, VTC_F_FLAG, "All-context INVVPID" },
	{ 43, 43, VTC_F_FLAG, "Single-context-retaining-globals INVVPID" },
	{ 48, 53, VTC_F_DEC, "Maximum HLAT prefix size" },
};

/* SDM Appendix A.11 "VM Functions" */
static const struct vtc_field vmfunc_fields[] = {
	{ 0, 0, VTC_F_FLAG, "EPTP switching" },
};

#define TABLE(msr, f) { msr, f, ARRAY_SIZE(f) }

const struct vtc_msr_table vtc_msr_tables[] = {
	TABLE(VTC_MSR_FEATURE_CONTROL, feature_control_fields),
	TABLE(VTC_MSR_VMX_BASIC, basic_fields),
	TABLE(VTC_MSR_MISC, misc_fields),
	TABLE(VTC_MSR_VMCS_ENUM, vmcs_enum_fields),
	TABLE(VTC_MSR_EPT_VPID_CAP, ept_vpid_fields),
	TABLE(VTC_MSR_VMFUNC, vmfunc_fields),
};

const unsigned int vtc_nr_msr_tables = ARRAY_SIZE(vtc_msr_tables);

/* APM Vol. 2 15.30.1 "VM_CR MSR (C001_0114h)" */
static const struct vtc_field vm_cr_fields[] = {
	{ 0, 0, VTC_F_FLAG, "DPD (debug port disable)" },
	{ 1, 1, VTC_F_FLAG, "R_INIT (INIT redirected to #SX)" },
	{ 2, 2, VTC_F_FLAG, "DIS_A20M" },
	{ 3, 3, VTC_F_FLAG, "LOCK (SVMDIS is read-only)" },
	{ 4, 4, VTC_F_FLAG, "SVMDIS (SVM disabled)" },
};

const struct vtc_msr_table vtc_vm_cr_table = TABLE(VTC_MSR_AMD_VM_CR, vm_cr_fields);

/* APM Vol. 3 Appendix E, CPUID Fn8000_000A_EDX */
const char *const vtc_svm_edx_bits[32] = {
	[0] = "NP",
	[1] = "LbrVirt",
	[2] = "SVML",
	[3] = "NRIPS",
	[4] = "TscRateMsr",
	[5] = "VmcbClean",
	[6] = "FlushByAsid",
	[7] = "DecodeAssists",
	[8] = "PmcVirt",
	[10] = "PauseFilter",
	[12] = "PauseFilterThreshold",
	[13] = "AVIC",
	[15] = "VMSAVEvirt",
	[16] = "VGIF",
	[17] = "GMET",
	[18] = "x2AVIC",
	[19] = "SSSCheck",
	[20] = "SpecCtrl",
	[21] = "ROGPT",
	[23] = "HOST_MCE_OVERRIDE",
	[24] = "TlbiCtl",
	[25] = "VNMI",
	[26] = "IbsVirt",
	[27] = "ExtLvtAvicAccessChg",
	[28] = "NestedVirtVmcbAddrChk",
	[29] = "BusLockThreshold",
	[30] = "IdleHltIntercept",
};

/* SDM Vol. 3A 2.5 "Control Registers" */
const char *const vtc_cr0_bits[64] = {
	[0] = "PE", [1] = "MP", [2] = "EM", [3] = "TS", [4] = "ET", [5] = "NE",
	[16] = "WP", [18] = "AM", [29] = "NW", [30] = "CD", [31] = "PG",
};

const char *const vtc_cr4_bits[64] = {
	[0] = "VME", [1] = "PVI", [2] = "TSD", [3] = "DE", [4] = "PSE", [5] = "PAE",
	[6] = "MCE", [7] = "PGE", [8] = "PCE", [9] = "OSFXSR", [10] = "OSXMMEXCPT",
	[11] = "UMIP", [12] = "LA57", [13] = "VMXE", [14] = "SMXE", [16] = "FSGSBASE",
	[17] = "PCIDE", [18] = "OSXSAVE", [19] = "KL", [20] = "SMEP", [21] = "SMAP",
	[22] = "PKE", [23] = "CET", [24] = "PKS", [25] = "UINTR", [27] = "LASS",
	[28] = "LAM_SUP", [32] = "FRED",
};

const struct vtc_msr_table *vtc_find_msr_table(u32 msr)
{
	unsigned int i;

	for (i = 0; i < vtc_nr_msr_tables; i++)
		if (vtc_msr_tables[i].msr == msr)
			return &vtc_msr_tables[i];
	return NULL;
}

static u64 field_mask(const struct vtc_field *f)
{
	unsigned int width = f->hi - f->lo + 1;
	u64 ones = width >= 64 ? ~0ull : (1ull << width) - 1;

	return ones << f->lo;
}

u64 vtc_fields_mask(const struct vtc_msr_table *t)
{
	u64 mask = 0;
	unsigned int i;

	for (i = 0; i < t->nfields; i++)
		mask |= field_mask(&t->fields[i]);
	return mask;
}
