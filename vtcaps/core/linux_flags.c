// SPDX-License-Identifier: GPL-2.0
/*
 * Linux's names for VMX features, as /proc/cpuinfo prints them on the
 * "vmx flags" line.  Positions and names come from
 * arch/x86/include/asm/vmxfeatures.h; the way the words are filled from the
 * MSRs mirrors init_vmx_capabilities() in arch/x86/kernel/cpu/feat_ctl.c
 * (Linux 6.1 and 6.12).  Only the names a kernel actually prints are listed.
 */
#include "vtcaps.h"

#define V61 VTC_LINUX_6_1
#define V612 VTC_LINUX_6_12
#define PIN VTC_MSR_PINBASED
#define PROC VTC_MSR_PROCBASED
#define PROC2 VTC_MSR_PROCBASED2
#define PROC3 VTC_MSR_PROCBASED3
#define EPT VTC_MSR_EPT_VPID_CAP

/* Sorted by (word, bit): that is the order Linux prints them in. */
const struct vtc_linux_flag vtc_linux_flags[] = {
	{ "vnmi", 0, 5, V61, PIN, 32 + 5, "pin-based bit 5: virtual NMIs" },
	{ "preemption_timer", 0, 6, V61, PIN, 32 + 6,
	  "pin-based bit 6: activate VMX-preemption timer" },
	{ "posted_intr", 0, 7, V61, PIN, 32 + 7,
	  "pin-based bit 7: process posted interrupts" },
	{ "invvpid", 0, 16, V61, EPT, 32, "IA32_VMX_EPT_VPID_CAP bit 32: INVVPID supported" },
	{ "ept_x_only", 0, 17, V61, EPT, 0,
	  "IA32_VMX_EPT_VPID_CAP bit 0: execute-only translations" },
	{ "ept_ad", 0, 18, V61, EPT, 21,
	  "IA32_VMX_EPT_VPID_CAP bit 21: accessed and dirty flags" },
	{ "ept_1gb", 0, 19, V61, EPT, 17, "IA32_VMX_EPT_VPID_CAP bit 17: 1-GByte pages" },
	{ "ept_5level", 0, 20, V612, EPT, 7,
	  "IA32_VMX_EPT_VPID_CAP bit 7: page-walk length of 5" },
	{ "flexpriority", 0, 24, V61, 0, 0,
	  "synthetic: vtpr and vapic both settable" },
	{ "apicv", 0, 25, V61, 0, 0,
	  "synthetic: vtpr, vapic_reg, vid, posted_intr all settable" },
	/*
	 * feat_ctl.c reads IA32_VMX_VMFUNC with rdmsr_safe(msr, &ign, &funcs)
	 * and takes bit 0 of the high dword: bit 32 of the MSR.  The SDM puts
	 * EPTP switching at bit 0 (A.11), which Linux does not look at.
	 */
	{ "eptp_switching", 0, 28, V61, VTC_MSR_VMFUNC, 32,
	  "IA32_VMX_VMFUNC bit 32, as Linux reads it (SDM: bit 0)" },
	{ "tsc_offset", 1, 3, V61, PROC, 32 + 3, "primary bit 3: use TSC offsetting" },
	{ "vtpr", 1, 21, V61, PROC, 32 + 21, "primary bit 21: use TPR shadow" },
	{ "mtf", 1, 27, V61, PROC, 32 + 27, "primary bit 27: monitor trap flag" },
	{ "vapic", 2, 0, V61, PROC2, 32 + 0,
	  "secondary bit 0: virtualize APIC accesses" },
	{ "ept", 2, 1, V61, PROC2, 32 + 1, "secondary bit 1: enable EPT" },
	{ "vpid", 2, 5, V61, PROC2, 32 + 5, "secondary bit 5: enable VPID" },
	{ "unrestricted_guest", 2, 7, V61, PROC2, 32 + 7,
	  "secondary bit 7: unrestricted guest" },
	{ "vapic_reg", 2, 8, V61, PROC2, 32 + 8,
	  "secondary bit 8: APIC-register virtualization" },
	{ "vid", 2, 9, V61, PROC2, 32 + 9,
	  "secondary bit 9: virtual-interrupt delivery" },
	{ "ple", 2, 10, V61, PROC2, 32 + 10,
	  "secondary bit 10: PAUSE-loop exiting" },
	{ "shadow_vmcs", 2, 14, V61, PROC2, 32 + 14,
	  "secondary bit 14: VMCS shadowing" },
	{ "pml", 2, 17, V61, PROC2, 32 + 17, "secondary bit 17: enable PML" },
	{ "ept_violation_ve", 2, 18, V612, PROC2, 32 + 18,
	  "secondary bit 18: EPT-violation #VE" },
	{ "ept_mode_based_exec", 2, 22, V61, PROC2, 32 + 22,
	  "secondary bit 22: mode-based execute control for EPT" },
	{ "tsc_scaling", 2, 25, V61, PROC2, 32 + 25,
	  "secondary bit 25: use TSC scaling" },
	{ "usr_wait_pause", 2, 26, V61, PROC2, 32 + 26,
	  "secondary bit 26: enable user wait and pause" },
	{ "notify_vm_exiting", 2, 31, V61, PROC2, 32 + 31,
	  "secondary bit 31: instruction timeout" },
	{ "ipi_virt", 3, 4, V61, PROC3, 4, "tertiary bit 4: IPI virtualization" },
};

const unsigned int vtc_nr_linux_flags = ARRAY_SIZE(vtc_linux_flags);

const struct vtc_linux_flag *vtc_linux_flag_for(u32 msr, unsigned int msr_bit)
{
	unsigned int i;

	for (i = 0; i < vtc_nr_linux_flags; i++)
		if (vtc_linux_flags[i].msr == msr && msr_bit == vtc_linux_flags[i].msr_bit)
			return &vtc_linux_flags[i];
	return NULL;
}

/* rdmsr_safe() in the kernel yields 0 for an MSR that faults; so do we. */
static u64 msr_or_zero(const struct vtc_cpu *c, u32 msr)
{
	u64 v;

	return vtc_get_msr(c, msr, &v) ? v : 0;
}

/* a bit of one vmx_capability word */
#define F(bit) (1u << (bit))

void vtc_linux_caps(const struct vtc_cpu *c, u32 caps[VTC_LINUX_WORDS])
{
	u64 ept_vpid = msr_or_zero(c, VTC_MSR_EPT_VPID_CAP);
	u32 ept = (u32)ept_vpid, vpid = (u32)(ept_vpid >> 32);
	u32 pin = (u32)(msr_or_zero(c, VTC_MSR_PINBASED) >> 32);
	/*
	 * Linux 6.1 and 6.12 feat_ctl.c read IA32_VMX_VMFUNC with
	 * rdmsr_safe(msr, &ign, &funcs), i.e. keep the HIGH dword, so their
	 * eptp_switching reflects bit 32, not the SDM's bit 0 (EPTP switching).
	 * Reproduce that: this function says what the kernel prints (the
	 * table above names bit 32 for the same reason).
	 */
	u32 funcs = (u32)(msr_or_zero(c, VTC_MSR_VMFUNC) >> 32);
	u64 proc3 = msr_or_zero(c, VTC_MSR_PROCBASED3);

	caps[1] = (u32)(msr_or_zero(c, VTC_MSR_PROCBASED) >> 32);
	caps[2] = (u32)(msr_or_zero(c, VTC_MSR_PROCBASED2) >> 32);
	caps[3] = (u32)proc3;
	caps[4] = (u32)(proc3 >> 32);

	caps[0] = (pin & 0xffff) | ((vpid & 0x1) << 16) | ((funcs & 0xf) << 28);
	if (ept & (1u << 0))
		caps[0] |= F(17);
	if (ept & (1u << 21))
		caps[0] |= F(18);
	if (ept & (1u << 17))
		caps[0] |= F(19);
	if (ept & (1u << 7))
		caps[0] |= F(20);	/* 6.12 only; 6.1 has no name for it */

	/* synthetic: TPR shadow (word1 bit 21) with APIC features */
	if ((caps[1] & F(21)) && (caps[2] & F(0)))
		caps[0] |= F(24);
	if ((caps[1] & F(21)) && (caps[2] & F(8)) && (caps[2] & F(9)) &&
	    (caps[0] & F(7)))
		caps[0] |= F(25);
}

const char *vtc_linux_no_flags_reason(const struct vtc_cpu *c)
{
	u32 caps[VTC_LINUX_WORDS];
	enum vtc_state st = vtc_status(c);

	/*
	 * init_ia32_feat_ctl() clears X86_FEATURE_VMX when firmware disabled
	 * VMX, and also when reading IA32_FEATURE_CONTROL faults.
	 */
	if (vtc_vendor(c) == VTC_VENDOR_AMD)
		return "an AMD CPU: the line describes Intel VMX only";
	if (st != VTC_VMX_OK)
		return vtc_state_text(st);
	if (vtc_msr_faulted(c, VTC_MSR_FEATURE_CONTROL))
		return "reading IA32_FEATURE_CONTROL faulted";
	vtc_linux_caps(c, caps);
	/* proc.c prints the line only when word 0 is non-zero */
	if (!caps[0])
		return "word 0 of its VMX capabilities is zero (no flag of it is settable)";
	return NULL;
}

bool vtc_report_linux_flags(const struct vtc_cpu *c, enum vtc_linux_ver ver,
			    vtc_line_fn line, void *ctx)
{
	u32 caps[VTC_LINUX_WORDS];
	char text[VTC_LINE_MAX + 1];
	struct vtc_buf b;
	unsigned int i;

	if (vtc_linux_no_flags_reason(c))
		return false;
	vtc_linux_caps(c, caps);

	vtc_buf_init(&b, text, sizeof(text));
	vtc_puts(&b, "vmx flags\t:");
	for (i = 0; i < vtc_nr_linux_flags; i++) {
		const struct vtc_linux_flag *f = &vtc_linux_flags[i];

		if (f->since <= ver && (caps[f->word] & (1u << f->bit))) {
			vtc_putc(&b, ' ');
			vtc_puts(&b, f->name);
		}
	}
	line(ctx, text);
	return true;
}
