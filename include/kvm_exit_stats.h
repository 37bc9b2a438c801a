/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * KVM exit statistics: the guest-visible contract.
 *
 * A guest executes CPUID with EAX = one of the leaves below (ECX = exit
 * reason for the per-reason leaves).  This one header is shared by the KVM
 * patch series (which installs it as the uapi header <asm/kvm_exit_stats.h>),
 * by the guest tool exitstat and by the tests; vtlab's unit-abi-header test
 * verifies that the copies in the patch series are identical to this file.
 *
 *   leaf        in           EAX            EBX             ECX            EDX
 *   0x4FFFFFFC  -            exits[31:0]    exits[63:32]    INFO           SIGNATURE
 *   0x4FFFFFFD  -            INFO           cycles[63:32]   cycles[31:0]   SIGNATURE
 *   0x4FFFFFFE  ECX=reason   exits[31:0]    exits[63:32]    INFO           0
 *   0x4FFFFFFF  ECX=reason   INFO           cycles[63:32]   cycles[31:0]   0
 *
 * Exit reason: the basic exit reason (bits 15:0 of the VM-exit reason
 * field) on Intel VMX, the VMCB EXITCODE on AMD SVM, per the host's KVM
 * vendor module.  For a reason that the vendor manual does not define
 * (see the predicates below), EAX = EBX = ECX = 0 and
 * EDX = KVM_EXIT_STATS_UNDEFINED.  Every 64-bit value is returned from
 * one snapshot, so its two halves always belong together.
 *
 * INFO says what answered: bits 1:0 are the scope (KVM_EXIT_STATS_SCOPE_*),
 * the other bits are reserved and 0.  Scope VM: the vCPUs of the calling
 * VM, current to the exit that reads them (which is counted in them).
 * Scope HOST: every vCPU of every VM, from a host-wide snapshot that KVM
 * refreshes every KVM_EXIT_STATS_HOST_REFRESH_MS milliseconds.
 */
#ifndef _ASM_X86_KVM_EXIT_STATS_H
#define _ASM_X86_KVM_EXIT_STATS_H

#define KVM_EXIT_STATS_LEAF_EXITS		0x4FFFFFFC
#define KVM_EXIT_STATS_LEAF_CYCLES		0x4FFFFFFD
#define KVM_EXIT_STATS_LEAF_REASON_EXITS	0x4FFFFFFE
#define KVM_EXIT_STATS_LEAF_REASON_CYCLES	0x4FFFFFFF

/* EDX of the two total leaves: "VTEX" in little-endian byte order. */
#define KVM_EXIT_STATS_SIGNATURE		0x58455456

/* EDX of the per-reason leaves when the reason is not defined. */
#define KVM_EXIT_STATS_UNDEFINED		0xFFFFFFFF

/* The INFO register. */
#define KVM_EXIT_STATS_INFO_SCOPE_MASK		0x3
#define KVM_EXIT_STATS_SCOPE_VM			1
#define KVM_EXIT_STATS_SCOPE_HOST		2

/* Period of the host-wide snapshot behind scope HOST. */
#define KVM_EXIT_STATS_HOST_REFRESH_MS		100

/* Scope of an INFO word, or 0 if the word is not one this header defines. */
static inline unsigned int kvm_exit_stats_info_scope(unsigned int info)
{
	if (info != KVM_EXIT_STATS_SCOPE_VM && info != KVM_EXIT_STATS_SCOPE_HOST)
		return 0;
	return info;
}

/*
 * Intel SDM Vol. 3C Appendix C, Table C-1: basic exit reasons 0..85 except
 * 35, 38, 42, 82 and 83, which the table leaves out.
 */
#define KVM_EXIT_STATS_VMX_REASON_MAX		85

static inline int kvm_exit_stats_vmx_reason_defined(unsigned int reason)
{
	return reason <= KVM_EXIT_STATS_VMX_REASON_MAX &&
	       reason != 35 && reason != 38 && reason != 42 &&
	       reason != 82 && reason != 83;
}

/*
 * AMD APM Vol. 2 Appendix C, Table C-1: exit codes 0x000..0x0A6,
 * 0x400..0x403 (NPF, AVIC_INCOMPLETE_IPI, AVIC_NOACCEL, VMGEXIT) and
 * VMEXIT_INVALID (-1).
 */
#define KVM_EXIT_STATS_SVM_LOW_MAX		0x0A6
#define KVM_EXIT_STATS_SVM_HIGH_FIRST		0x400
#define KVM_EXIT_STATS_SVM_HIGH_LAST		0x403
#define KVM_EXIT_STATS_SVM_INVALID		0xFFFFFFFF

static inline int kvm_exit_stats_svm_reason_defined(unsigned int code)
{
	return code <= KVM_EXIT_STATS_SVM_LOW_MAX ||
	       (code >= KVM_EXIT_STATS_SVM_HIGH_FIRST &&
		code <= KVM_EXIT_STATS_SVM_HIGH_LAST) ||
	       code == KVM_EXIT_STATS_SVM_INVALID;
}

#endif /* _ASM_X86_KVM_EXIT_STATS_H */
