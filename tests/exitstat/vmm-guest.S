/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code of exitstat-vmm: 16-bit real mode, flat (CS = DS = 0), loaded
 * at guest physical 0x1000.  SI points at this vCPU's mailbox (layout in
 * vmm.c, struct mailbox).  The guest loops: read the command, execute it,
 * report with OUT to port 0x10 (an exit to the VMM), start over.
 *
 * The measure command reads the leaves in this order, so that the window
 * between the two reads of the total holds only the workload and the
 * second read itself:
 *   0x4FFFFFFE(ext), 0x4FFFFFFE(R), 0x4FFFFFFD, 0x4FFFFFFC, RDTSC,
 *   workload x N,
 *   RDTSC, 0x4FFFFFFC, 0x4FFFFFFD, 0x4FFFFFFE(R), 0x4FFFFFFE(ext)
 */
	.code16
	.section .rodata
	.globl vmm_guest_start, vmm_guest_end
vmm_guest_start:
top:
	movl	0(%si), %eax		/* command */
	cmpl	$1, %eax
	je	measure
	cmpl	$2, %eax
	je	total
	hlt
	jmp	top

measure:
	movl	$0x4FFFFFFE, %eax
	movl	16(%si), %ecx		/* external-interrupt reason */
	cpuid
	movl	%eax, 104(%si)
	movl	%ebx, 108(%si)
	movl	$0x4FFFFFFE, %eax
	movl	8(%si), %ecx		/* reason R */
	cpuid
	movl	%eax, 24(%si)
	movl	%ebx, 28(%si)
	movl	%edx, 80(%si)
	movl	$0x4FFFFFFD, %eax
	cpuid
	movl	%ecx, 64(%si)
	movl	%ebx, 68(%si)
	movl	$0x4FFFFFFC, %eax
	cpuid
	movl	%eax, 32(%si)
	movl	%ebx, 36(%si)
	movl	%edx, 84(%si)
	rdtsc
	movl	%eax, 56(%si)
	movl	%edx, 60(%si)
	movl	4(%si), %ebp		/* N >= 1 */
	movl	12(%si), %eax		/* workload kind */
	cmpl	$1, %eax
	je	io_loop
	cmpl	$2, %eax
	je	hlt_loop
	cmpl	$3, %eax
	je	tscdl
	cmpl	$4, %eax
	je	mmio
cpuid_loop:
	xorl	%eax, %eax
	xorl	%ecx, %ecx
	cpuid
	decl	%ebp
	jnz	cpuid_loop
	jmp	after
io_loop:
	outb	%al, $0x80
	decl	%ebp
	jnz	io_loop
	jmp	after
hlt_loop:
	hlt
	decl	%ebp
	jnz	hlt_loop
	jmp	after
/* WRMSR IA32_TSC_DEADLINE (0x6E0), a deadline 2^32 TSC cycles ahead,
 * rewritten N times: KVM handles it in its exit fastpath when the LAPIC
 * timer is in TSC-deadline mode and the VMX preemption timer is in use.
 * The deadline goes to the mailbox for the VMM to read back. */
tscdl:
	rdtsc
	incl	%edx
	movl	%eax, 128(%si)
	movl	%edx, 132(%si)
	movl	$0x6E0, %ecx
tscdl_loop:
	wrmsr
	decl	%ebp
	jnz	tscdl_loop
	jmp	after
/* Byte writes to guest physical 0x100000 (ES:0x10 with ES = 0xFFFF), just
 * above the guest's memory, where the VMM put an ioeventfd: each is an
 * EPT misconfiguration (Intel) or a nested page fault (AMD) that KVM
 * handles in the kernel, without an exit to the VMM. */
mmio:
	movw	$0xFFFF, %ax
	movw	%ax, %es
mmio_loop:
	movb	%al, %es:0x10
	decl	%ebp
	jnz	mmio_loop
after:
	rdtsc
	movl	%eax, 96(%si)
	movl	%edx, 100(%si)
	movl	$0x4FFFFFFC, %eax
	cpuid
	movl	%eax, 40(%si)
	movl	%ebx, 44(%si)
	movl	$0x4FFFFFFD, %eax
	cpuid
	movl	%ecx, 72(%si)
	movl	%ebx, 76(%si)
	movl	$0x4FFFFFFE, %eax
	movl	8(%si), %ecx
	cpuid
	movl	%eax, 48(%si)
	movl	%ebx, 52(%si)
	movl	$0x4FFFFFFE, %eax
	movl	16(%si), %ecx
	cpuid
	movl	%eax, 112(%si)
	movl	%ebx, 116(%si)
	outb	%al, $0x10
	jmp	top

/* The CPUID reason's count, then the total, read last before the report:
 * the VMM compares the total with KVM's own stat.exits, which then also
 * counts the OUT below, and the count with the CPUIDs it made the guest
 * execute. */
total:
	movl	$0x4FFFFFFE, %eax
	movl	8(%si), %ecx
	cpuid
	movl	%eax, 120(%si)
	movl	%ebx, 124(%si)
	movl	$0x4FFFFFFC, %eax
	cpuid
	movl	%eax, 88(%si)
	movl	%ebx, 92(%si)
	movl	%edx, 84(%si)
	outb	%al, $0x10
	jmp	top
vmm_guest_end:
	.section .note.GNU-stack, "", @progbits
