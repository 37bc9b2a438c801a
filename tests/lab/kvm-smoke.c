// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-smoke: the smallest VMM that proves /dev/kvm works in a lab guest.
 *
 * It creates a VM with 64 KiB of memory and one vCPU in real mode, runs
 *	mov dx, 0xe9; add al, bl; out dx, al; mov cx, 0x1234; hlt
 * with al = 2 and bl = 3, and checks the two exits KVM reports:
 * KVM_EXIT_IO (an OUT of one byte, value 5, to port 0xe9) and then
 * KVM_EXIT_HLT with rip just past the HLT and cx = 0x1234.
 * Prints one line per check and exits 0 only if all of them hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_MEM_SIZE	0x10000
#define CODE_ADDR	0x1000
#define TEST_PORT	0xe9
/* Below 4 GiB, above the guest memory: the TSS KVM needs for real mode
 * on VMX without unrestricted guest (ignored on SVM).
 */
#define TSS_ADDR	0xfffbd000

static const uint8_t guest_code[] = {
	0xba, TEST_PORT, 0x00,	/* mov dx, 0x00e9 */
	0x00, 0xd8,		/* add al, bl */
	0xee,			/* out dx, al */
	0xb9, 0x34, 0x12,	/* mov cx, 0x1234 */
	0xf4,			/* hlt */
};

static int failures;

static void check(int ok, const char *what)
{
	printf("kvm-smoke: %s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

static int xioctl(int fd, unsigned long req, void *arg, const char *name)
{
	int r = ioctl(fd, req, arg);

	if (r < 0) {
		fprintf(stderr, "kvm-smoke: %s: %s\n", name, strerror(errno));
		exit(2);
	}
	return r;
}

static void setup_vcpu(int vcpu)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	xioctl(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	xioctl(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");

	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_ADDR;
	regs.rax = 2;
	regs.rbx = 3;
	regs.rflags = 0x2;	/* bit 1 is reserved and must be set */
	xioctl(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");
}

static void check_io_exit(struct kvm_run *run)
{
	const uint8_t *data = (const uint8_t *)run + run->io.data_offset;

	check(run->exit_reason == KVM_EXIT_IO, "first exit is KVM_EXIT_IO");
	if (run->exit_reason != KVM_EXIT_IO) {
		printf("kvm-smoke: exit_reason=%u\n", run->exit_reason);
		return;
	}
	printf("kvm-smoke: io direction=%u port=0x%x size=%u count=%u value=%u\n",
	       run->io.direction, run->io.port, run->io.size, run->io.count, data[0]);
	check(run->io.direction == KVM_EXIT_IO_OUT, "direction is OUT");
	check(run->io.port == TEST_PORT, "port is 0xe9");
	check(run->io.size == 1 && run->io.count == 1, "one byte");
	check(data[0] == 5, "value is 2 + 3");
}

static void check_hlt_exit(int vcpu, struct kvm_run *run)
{
	struct kvm_regs regs;

	check(run->exit_reason == KVM_EXIT_HLT, "second exit is KVM_EXIT_HLT");
	if (run->exit_reason != KVM_EXIT_HLT)
		printf("kvm-smoke: exit_reason=%u\n", run->exit_reason);
	xioctl(vcpu, KVM_GET_REGS, &regs, "KVM_GET_REGS");
	printf("kvm-smoke: rip=0x%llx rax=0x%llx rcx=0x%llx\n",
	       regs.rip, regs.rax, regs.rcx);
	check(regs.rip == CODE_ADDR + sizeof(guest_code), "rip is past the hlt");
	check((regs.rcx & 0xffff) == 0x1234, "cx is 0x1234");
	check((regs.rax & 0xff) == 5, "al is 5");
}

int main(void)
{
	struct kvm_userspace_memory_region region;
	struct kvm_run *run;
	int kvm, vm, vcpu, run_size;
	uint8_t *mem;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		perror("kvm-smoke: /dev/kvm (is kvm_intel or kvm_amd loaded?)");
		return 2;
	}
	check(ioctl(kvm, KVM_GET_API_VERSION, 0) == KVM_API_VERSION, "API version 12");
	vm = xioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
	xioctl(vm, KVM_SET_TSS_ADDR, (void *)TSS_ADDR, "KVM_SET_TSS_ADDR");

	mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("kvm-smoke: mmap");
		return 2;
	}
	memcpy(mem + CODE_ADDR, guest_code, sizeof(guest_code));
	memset(&region, 0, sizeof(region));
	region.guest_phys_addr = 0;
	region.memory_size = GUEST_MEM_SIZE;
	region.userspace_addr = (uintptr_t)mem;
	xioctl(vm, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");

	vcpu = xioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
	run_size = xioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED) {
		perror("kvm-smoke: mmap kvm_run");
		return 2;
	}
	setup_vcpu(vcpu);

	xioctl(vcpu, KVM_RUN, 0, "KVM_RUN");
	check_io_exit(run);
	xioctl(vcpu, KVM_RUN, 0, "KVM_RUN");
	check_hlt_exit(vcpu, run);

	printf("kvm-smoke: %s\n", failures ? "FAILED" : "PASSED");
	return failures ? 1 : 0;
}
