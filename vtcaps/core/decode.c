// SPDX-License-Identifier: GPL-2.0
/*
 * Filling struct vtc_cpu, the MSR existence rules and the evaluation of
 * control bits (Intel SDM 325462-087US Appendix A; AMD APM 24593 Rev. 3.42).
 */
#include "vtcaps.h"

#define BIT64(n) (1ull << (n))

/* CPUID.1:ECX */
#define CPUID1_ECX_VMX		BIT64(5)
#define CPUID1_ECX_SMX		BIT64(6)
/* CPUID.80000001h:ECX */
#define CPUID81_ECX_SVM		BIT64(2)

/* IA32_FEATURE_CONTROL */
#define FC_LOCK			BIT64(0)
#define FC_VMX_OUTSIDE_SMX	BIT64(2)
/* VM_CR */
#define VM_CR_SVMDIS		BIT64(4)

/* Existence conditions, SDM Appendix A.3.2, A.3.3, A.3.4, A.4.2, A.10, A.11 */
#define BASIC_TRUE_CTLS		BIT64(55)
#define PROC_ALLOW1_SECONDARY	BIT64(32 + 31)
#define PROC_ALLOW1_TERTIARY	BIT64(32 + 17)
#define EXIT_ALLOW1_SECONDARY	BIT64(32 + 31)
#define PROC2_ALLOW1_EPT	BIT64(32 + 1)
#define PROC2_ALLOW1_VPID	BIT64(32 + 5)
#define PROC2_ALLOW1_VMFUNC	BIT64(32 + 13)

static const u32 cpuid_leaves[VTC_NR_CPUID] = {
	0x00000000, 0x00000001, 0x80000000, 0x80000001, 0x8000000a,
};

void vtc_cpu_init(struct vtc_cpu *c, u32 cpu)
{
	unsigned int i, r;

	c->cpu = cpu;
	c->msr_valid = 0;
	c->msr_fault = 0;
	c->cpuid_valid = 0;
	for (i = 0; i < VTC_NR_MSRS; i++)
		c->msr[i] = 0;
	for (i = 0; i < VTC_NR_CPUID; i++)
		for (r = 0; r < 4; r++)
			c->cpuid[i][r] = 0;
}

int vtc_msr_slot(u32 msr)
{
	if (msr == VTC_MSR_FEATURE_CONTROL)
		return VTC_S_FEATURE_CONTROL;
	if (msr >= VTC_MSR_VMX_BASIC && msr <= VTC_MSR_EXIT2)
		return VTC_S_VMX_BASIC + (int)(msr - VTC_MSR_VMX_BASIC);
	if (msr == VTC_MSR_AMD_VM_CR)
		return VTC_S_AMD_VM_CR;
	return -1;
}

u32 vtc_msr_index(unsigned int slot)
{
	if (slot == VTC_S_FEATURE_CONTROL)
		return VTC_MSR_FEATURE_CONTROL;
	if (slot == VTC_S_AMD_VM_CR)
		return VTC_MSR_AMD_VM_CR;
	if (slot < VTC_NR_MSRS)
		return VTC_MSR_VMX_BASIC + slot - VTC_S_VMX_BASIC;
	return VTC_END;
}

/* SDM Vol. 4 Table 2-2 names, 0x480..0x493 */
static const char *const vmx_msr_names[] = {
	"IA32_VMX_BASIC", "IA32_VMX_PINBASED_CTLS", "IA32_VMX_PROCBASED_CTLS",
	"IA32_VMX_EXIT_CTLS", "IA32_VMX_ENTRY_CTLS", "IA32_VMX_MISC",
	"IA32_VMX_CR0_FIXED0", "IA32_VMX_CR0_FIXED1", "IA32_VMX_CR4_FIXED0",
	"IA32_VMX_CR4_FIXED1", "IA32_VMX_VMCS_ENUM", "IA32_VMX_PROCBASED_CTLS2",
	"IA32_VMX_EPT_VPID_CAP", "IA32_VMX_TRUE_PINBASED_CTLS",
	"IA32_VMX_TRUE_PROCBASED_CTLS", "IA32_VMX_TRUE_EXIT_CTLS",
	"IA32_VMX_TRUE_ENTRY_CTLS", "IA32_VMX_VMFUNC", "IA32_VMX_PROCBASED_CTLS3",
	"IA32_VMX_EXIT_CTLS2",
};

const char *vtc_msr_name(u32 msr)
{
	if (msr == VTC_MSR_FEATURE_CONTROL)
		return "IA32_FEATURE_CONTROL";
	if (msr == VTC_MSR_AMD_VM_CR)
		return "VM_CR";
	if (msr >= VTC_MSR_VMX_BASIC && msr <= VTC_MSR_EXIT2)
		return vmx_msr_names[msr - VTC_MSR_VMX_BASIC];
	return NULL;
}

int vtc_cpuid_slot(u32 leaf)
{
	int i;

	for (i = 0; i < VTC_NR_CPUID; i++)
		if (cpuid_leaves[i] == leaf)
			return i;
	return -1;
}

u32 vtc_cpuid_leaf(unsigned int slot)
{
	return slot < VTC_NR_CPUID ? cpuid_leaves[slot] : VTC_END;
}

int vtc_set_cpuid(struct vtc_cpu *c, u32 leaf, u32 eax, u32 ebx,
		  u32 ecx, u32 edx)
{
	int slot = vtc_cpuid_slot(leaf);

	if (slot < 0)
		return -1;
	c->cpuid[slot][VTC_EAX] = eax;
	c->cpuid[slot][VTC_EBX] = ebx;
	c->cpuid[slot][VTC_ECX] = ecx;
	c->cpuid[slot][VTC_EDX] = edx;
	c->cpuid_valid |= 1u << slot;
	return 0;
}

int vtc_set_msr(struct vtc_cpu *c, u32 msr, u64 value)
{
	int slot = vtc_msr_slot(msr);

	if (slot < 0)
		return -1;
	c->msr[slot] = value;
	c->msr_valid |= 1u << slot;
	c->msr_fault &= ~(1u << slot);
	return 0;
}

int vtc_set_msr_fault(struct vtc_cpu *c, u32 msr)
{
	int slot = vtc_msr_slot(msr);

	if (slot < 0)
		return -1;
	c->msr[slot] = 0;
	c->msr_valid &= ~(1u << slot);
	c->msr_fault |= 1u << slot;
	return 0;
}

bool vtc_get_msr(const struct vtc_cpu *c, u32 msr, u64 *value)
{
	int slot = vtc_msr_slot(msr);

	if (slot < 0 || !(c->msr_valid & (1u << slot)))
		return false;
	*value = c->msr[slot];
	return true;
}

bool vtc_msr_faulted(const struct vtc_cpu *c, u32 msr)
{
	int slot = vtc_msr_slot(msr);

	return slot >= 0 && (c->msr_fault & (1u << slot));
}

bool vtc_get_cpuid(const struct vtc_cpu *c, u32 leaf, u32 regs[4])
{
	int slot = vtc_cpuid_slot(leaf);
	unsigned int r;

	if (slot < 0 || !(c->cpuid_valid & (1u << slot)))
		return false;
	for (r = 0; r < 4; r++)
		regs[r] = c->cpuid[slot][r];
	return true;
}

/* Leaf 0 vendor string is EBX, EDX, ECX: "Genu" "ineI" "ntel". */
static bool vendor_is(const u32 regs[4], u32 ebx, u32 edx, u32 ecx)
{
	return regs[VTC_EBX] == ebx && regs[VTC_EDX] == edx && regs[VTC_ECX] == ecx;
}

enum vtc_vendor vtc_vendor(const struct vtc_cpu *c)
{
	u32 regs[4];
	unsigned int slot;

	if (vtc_get_cpuid(c, 0, regs)) {
		if (vendor_is(regs, 0x756e6547, 0x49656e69, 0x6c65746e))
			return VTC_VENDOR_INTEL;
		if (vendor_is(regs, 0x68747541, 0x69746e65, 0x444d4163))
			return VTC_VENDOR_AMD;
		return VTC_VENDOR_UNKNOWN;
	}
	for (slot = VTC_S_VMX_BASIC; slot < VTC_S_AMD_VM_CR; slot++)
		if ((c->msr_valid | c->msr_fault) & (1u << slot))
			return VTC_VENDOR_INTEL;
	if ((c->msr_valid | c->msr_fault) & (1u << VTC_S_AMD_VM_CR) ||
	    (c->cpuid_valid & (1u << VTC_C_8000000A)))
		return VTC_VENDOR_AMD;
	return VTC_VENDOR_UNKNOWN;
}

static bool cpuid_has(const struct vtc_cpu *c, u32 leaf, enum vtc_reg r, u64 bit)
{
	u32 regs[4];

	return vtc_get_cpuid(c, leaf, regs) && (regs[r] & bit);
}

/* Max basic (ext = false) or extended leaf; 0 when unknown. */
static u32 max_leaf(const struct vtc_cpu *c, bool ext)
{
	u32 regs[4];

	if (!vtc_get_cpuid(c, ext ? 0x80000000 : 0, regs))
		return 0;
	return regs[VTC_EAX];
}

u32 vtc_next_cpuid(const struct vtc_cpu *c)
{
	unsigned int slot;
	u32 leaf;

	for (slot = 0; slot < VTC_NR_CPUID; slot++) {
		if (c->cpuid_valid & (1u << slot))
			continue;
		leaf = cpuid_leaves[slot];
		switch (slot) {
		case VTC_C_0:
		case VTC_C_80000000:
			return leaf;
		case VTC_C_1:
			if (max_leaf(c, false) >= 1)
				return leaf;
			break;
		case VTC_C_80000001:
			if (max_leaf(c, true) >= leaf)
				return leaf;
			break;
		case VTC_C_8000000A:
			/* APM: the leaf is meaningful only when SVM is enumerated. */
			if (max_leaf(c, true) >= leaf &&
			    cpuid_has(c, 0x80000001, VTC_ECX, CPUID81_ECX_SVM))
				return leaf;
			break;
		}
	}
	return VTC_END;
}

/*
 * Existence of an MSR judged from the values present: yes, no, or unknown
 * when a value the rule depends on is missing or faulted.
 */
enum exist { EXIST_NO, EXIST_YES, EXIST_UNKNOWN };

static enum exist exist_and(enum exist a, enum exist b)
{
	if (a == EXIST_NO || b == EXIST_NO)
		return EXIST_NO;
	return a == EXIST_YES && b == EXIST_YES ? EXIST_YES : EXIST_UNKNOWN;
}

static enum exist exist_or(enum exist a, enum exist b)
{
	if (a == EXIST_YES || b == EXIST_YES)
		return EXIST_YES;
	return a == EXIST_NO && b == EXIST_NO ? EXIST_NO : EXIST_UNKNOWN;
}

/* Is bit set in the MSR (unknown when the MSR was not read)? */
static enum exist msr_has(const struct vtc_cpu *c, u32 msr, u64 bit)
{
	u64 v;

	if (!vtc_get_msr(c, msr, &v))
		return EXIST_UNKNOWN;
	return v & bit ? EXIST_YES : EXIST_NO;
}

static bool any_vmx_msr_value(const struct vtc_cpu *c)
{
	u32 vmx_slots = ((1u << (VTC_S_AMD_VM_CR - VTC_S_VMX_BASIC)) - 1) << VTC_S_VMX_BASIC;

	return c->msr_valid & vmx_slots;
}

/*
 * CPUID.1:ECX.VMX; without leaf 1, a VMX MSR that was read proves VMX (an
 * MSR that does not exist cannot be read).
 */
static enum exist vmx_enumerated(const struct vtc_cpu *c)
{
	u32 regs[4];

	if (vtc_get_cpuid(c, 1, regs))
		return regs[VTC_ECX] & CPUID1_ECX_VMX ? EXIST_YES : EXIST_NO;
	return any_vmx_msr_value(c) ? EXIST_YES : EXIST_UNKNOWN;
}

static enum exist svm_enumerated(const struct vtc_cpu *c)
{
	u32 regs[4];

	if (vtc_get_cpuid(c, 0x80000001, regs))
		return regs[VTC_ECX] & CPUID81_ECX_SVM ? EXIST_YES : EXIST_NO;
	return c->msr_valid & (1u << VTC_S_AMD_VM_CR) ? EXIST_YES : EXIST_UNKNOWN;
}

static enum exist feature_control_exists(const struct vtc_cpu *c)
{
	u32 regs[4];

	/* exists when CPUID.01H:ECX[5] or [6] is 1 */
	if (vtc_get_cpuid(c, 1, regs))
		return regs[VTC_ECX] & (CPUID1_ECX_VMX | CPUID1_ECX_SMX) ? EXIST_YES : EXIST_NO;
	return vmx_enumerated(c) == EXIST_YES ? EXIST_YES : EXIST_UNKNOWN;
}

/* The rule of each Intel MSR that exists only on some CPUs (SDM Appendix A). */
static enum exist vmx_msr_rule(const struct vtc_cpu *c, u32 msr)
{
	enum exist secondary = msr_has(c, VTC_MSR_PROCBASED, PROC_ALLOW1_SECONDARY);

	switch (msr) {
	case VTC_MSR_PROCBASED2:
		return secondary;
	case VTC_MSR_EPT_VPID_CAP:
		return exist_and(secondary,
				 exist_or(msr_has(c, VTC_MSR_PROCBASED2, PROC2_ALLOW1_EPT),
					  msr_has(c, VTC_MSR_PROCBASED2, PROC2_ALLOW1_VPID)));
	case VTC_MSR_TRUE_PINBASED:
	case VTC_MSR_TRUE_PROCBASED:
	case VTC_MSR_TRUE_EXIT:
	case VTC_MSR_TRUE_ENTRY:
		return msr_has(c, VTC_MSR_VMX_BASIC, BASIC_TRUE_CTLS);
	case VTC_MSR_VMFUNC:
		return exist_and(secondary, msr_has(c, VTC_MSR_PROCBASED2, PROC2_ALLOW1_VMFUNC));
	case VTC_MSR_PROCBASED3:
		return msr_has(c, VTC_MSR_PROCBASED, PROC_ALLOW1_TERTIARY);
	case VTC_MSR_EXIT2:
		return msr_has(c, VTC_MSR_EXIT, EXIT_ALLOW1_SECONDARY);
	}
	/* 0x480..0x48a exist whenever VMX does */
	return EXIST_YES;
}

/*
 * Does this MSR exist, judging from the values present?  Intel SDM Vol. 4
 * Table 2-2 and Appendix A; AMD APM Vol. 2 15.30.1.
 */
static enum exist msr_existence(const struct vtc_cpu *c, u32 msr)
{
	enum vtc_vendor vendor = vtc_vendor(c);

	if (vendor == VTC_VENDOR_AMD)
		return msr == VTC_MSR_AMD_VM_CR ? svm_enumerated(c) : EXIST_NO;
	if (vendor != VTC_VENDOR_INTEL || msr == VTC_MSR_AMD_VM_CR)
		return EXIST_NO;
	if (msr == VTC_MSR_FEATURE_CONTROL)
		return feature_control_exists(c);
	return exist_and(vmx_enumerated(c), vmx_msr_rule(c, msr));
}

static bool msr_exists(const struct vtc_cpu *c, u32 msr)
{
	return msr_existence(c, msr) == EXIST_YES;
}

u32 vtc_impossible_msrs(const struct vtc_cpu *c)
{
	unsigned int slot;
	u32 slots = 0;

	for (slot = 0; slot < VTC_NR_MSRS; slot++)
		if ((c->msr_valid & (1u << slot)) &&
		    msr_existence(c, vtc_msr_index(slot)) == EXIST_NO)
			slots |= 1u << slot;
	return slots;
}

u32 vtc_missing_msrs(const struct vtc_cpu *c)
{
	unsigned int slot;
	u32 slots = 0;

	for (slot = 0; slot < VTC_NR_MSRS; slot++)
		if (!((c->msr_valid | c->msr_fault) & (1u << slot)) &&
		    msr_exists(c, vtc_msr_index(slot)))
			slots |= 1u << slot;
	return slots;
}

bool vtc_vendor_mix(const struct vtc_cpu *c)
{
	u32 regs[4];
	bool intel = any_vmx_msr_value(c), amd;

	amd = (c->msr_valid & (1u << VTC_S_AMD_VM_CR)) ||
	      (c->cpuid_valid & (1u << VTC_C_8000000A));
	if (vtc_get_cpuid(c, 0, regs)) {
		enum vtc_vendor v = vtc_vendor(c);

		intel |= v == VTC_VENDOR_INTEL;
		amd |= v == VTC_VENDOR_AMD;
	}
	return intel && amd;
}

const char *vtc_msr_rule(u32 msr)
{
	switch (msr) {
	case VTC_MSR_FEATURE_CONTROL:
		return "exists only when CPUID.1:ECX.VMX[5] or .SMX[6] is 1";
	case VTC_MSR_PROCBASED2:
		return "exists only when Procbased Controls can set bit 31";
	case VTC_MSR_PROCBASED3:
		return "exists only when Procbased Controls can set bit 17";
	case VTC_MSR_EXIT2:
		return "exists only when Exit Controls can set bit 31";
	case VTC_MSR_EPT_VPID_CAP:
		return "exists only when Secondary Procbased Controls can set bit 1 or 5";
	case VTC_MSR_VMFUNC:
		return "exists only when Secondary Procbased Controls can set bit 13";
	case VTC_MSR_TRUE_PINBASED:
	case VTC_MSR_TRUE_PROCBASED:
	case VTC_MSR_TRUE_EXIT:
	case VTC_MSR_TRUE_ENTRY:
		return "exists only when IA32_VMX_BASIC bit 55 is set";
	case VTC_MSR_AMD_VM_CR:
		return "exists only on AMD CPUs with CPUID 0x80000001:ECX.SVM[2]";
	}
	return "exists only when CPUID.1:ECX.VMX[5] is 1 (Intel)";
}

u32 vtc_next_msr(const struct vtc_cpu *c)
{
	unsigned int slot;
	u32 msr;

	for (slot = 0; slot < VTC_NR_MSRS; slot++) {
		if ((c->msr_valid | c->msr_fault) & (1u << slot))
			continue;
		msr = vtc_msr_index(slot);
		if (msr_exists(c, msr))
			return msr;
	}
	return VTC_END;
}

enum vtc_state vtc_status(const struct vtc_cpu *c)
{
	enum vtc_vendor vendor = vtc_vendor(c);
	u64 v;

	if (!c->msr_valid && !c->msr_fault && !c->cpuid_valid)
		return VTC_NO_DATA;
	if (vendor == VTC_VENDOR_AMD) {
		if ((c->cpuid_valid & (1u << VTC_C_80000001)) &&
		    !cpuid_has(c, 0x80000001, VTC_ECX, CPUID81_ECX_SVM))
			return VTC_NO_SVM;
		if (vtc_get_msr(c, VTC_MSR_AMD_VM_CR, &v) && (v & VM_CR_SVMDIS))
			return VTC_SVM_DISABLED;
		return VTC_SVM_OK;
	}
	if (vendor != VTC_VENDOR_INTEL)
		return VTC_NOT_INTEL_OR_AMD;
	if ((c->cpuid_valid & (1u << VTC_C_1)) && !cpuid_has(c, 1, VTC_ECX, CPUID1_ECX_VMX))
		return VTC_NO_VMX;
	/*
	 * Without IA32_VMX_BASIC (a partial dump, e.g. a course report) any
	 * other VMX value still proves VMX; vtc_missing_msrs() says what is
	 * not there.
	 */
	if (!vtc_get_msr(c, VTC_MSR_VMX_BASIC, &v) && !any_vmx_msr_value(c))
		return VTC_NO_VMX;
	/* Linux feat_ctl.c: a locked MSR without VMX enabled means firmware disabled it. */
	if (vtc_get_msr(c, VTC_MSR_FEATURE_CONTROL, &v) && (v & FC_LOCK) &&
	    !(v & FC_VMX_OUTSIDE_SMX))
		return VTC_VMX_DISABLED;
	return VTC_VMX_OK;
}

const char *vtc_state_text(enum vtc_state s)
{
	switch (s) {
	case VTC_VMX_OK:
		return "VMX supported";
	case VTC_SVM_OK:
		return "SVM supported";
	case VTC_NO_DATA:
		return "no CPUID or MSR values";
	case VTC_NOT_INTEL_OR_AMD:
		return "CPU vendor is neither Intel nor AMD";
	case VTC_NO_VMX:
		return "VMX not supported (CPUID.1:ECX.VMX = 0 or no IA32_VMX_BASIC)";
	case VTC_VMX_DISABLED:
		return "VMX disabled by firmware (IA32_FEATURE_CONTROL locked, VMX off)";
	case VTC_NO_SVM:
		return "SVM not supported (CPUID 0x80000001:ECX.SVM[bit 2] = 0)";
	case VTC_SVM_DISABLED:
		return "SVM disabled by firmware (VM_CR.SVMDIS = 1)";
	}
	return "unknown state";
}

bool vtc_ctl_eval(const struct vtc_cpu *c, enum vtc_ctl_group g, unsigned int bit,
		  struct vtc_ctl_bit *out)
{
	const struct vtc_ctl_table *t;
	u64 v, tv;

	if ((unsigned int)g >= VTC_NR_CTL_GROUPS)
		return false;
	t = &vtc_ctl_tables[g];
	if (bit >= t->width || !vtc_get_msr(c, t->msr, &v))
		return false;

	if (t->width == 64) {
		/* Tertiary and secondary exit MSRs: all 64 bits are allowed-1. */
		out->can_set = (v >> bit) & 1;
		out->can_clear = true;
		out->can_clear_true = -1;
		return true;
	}
	/* SDM A.3.1: allowed-0 in bits 31:0 (1 = must be 1), allowed-1 in 63:32. */
	out->can_set = (v >> (32 + bit)) & 1;
	out->can_clear = !((v >> bit) & 1);
	out->can_clear_true = -1;
	if (t->true_msr && vtc_get_msr(c, t->true_msr, &tv))
		out->can_clear_true = !((tv >> bit) & 1);
	return true;
}
