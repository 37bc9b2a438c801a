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
 *   0x4FFFFFFC  -            exits[31:0]    exits[63:32]    0              SIGNATURE
 *   0x4FFFFFFD  -            0              cycles[63:32]   cycles[31:0]   SIGNATURE
 *   0x4FFFFFFE  ECX=reason   exits[31:0]    exits[63:32]    0              0
 *   0x4FFFFFFF  ECX=reason   0              cycles[63:32]   cycles[31:0]   0
 *
 * Exit reason: the basic exit reason (bits 15:0 of the VM-exit reason
 * field) on Intel VMX, the VMCB EXITCODE on AMD SVM.  For a reason that
 * the vendor manual does not define, EAX = EBX = ECX = 0 and
 * EDX = KVM_EXIT_STATS_UNDEFINED.  Every 64-bit value is returned from
 * one snapshot, so its two halves always belong together.
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

#endif /* _ASM_X86_KVM_EXIT_STATS_H */
