// SPDX-License-Identifier: GPL-2.0
/*
 * exitstat-vmm: a tiny KVM VMM that runs known workloads in a 16-bit guest
 * (vmm-guest.S) and checks the exit-statistics leaves against numbers
 * that do not come from the patch: the instructions the guest executed
 * and KVM's own stat.exits (binary stats fd and debugfs).
 *
 *   exitstat-vmm check [--vcpus K] [--n N]   exactness checks, see below
 *   exitstat-vmm bench [--work W] [--n N] [--reps R]
 *                       guest TSC cycles per exit of workload W:
 *     cpuid   CPUID leaf 0 (KVM's slow path; the default)
 *     tscdl   WRMSR IA32_TSC_DEADLINE, in-kernel LAPIC in TSC-deadline
 *             mode (KVM's exit fastpath where the VMX preemption timer
 *             serves the LAPIC timer)
 *     mmio    byte writes to an ioeventfd just above guest memory (EPT
 *             misconfiguration / nested page fault handled in the kernel)
 *
 * Exit status: 0 all checks pass, 1 a check failed, 2 the leaves are not
 * there (stock KVM or exit_stats=off), 3 cannot run (no /dev/kvm, ...).
 *
 * The guest never executes a CPUID other than the ones listed in
 * vmm-guest.S, so the VMM knows every CPUID exit it caused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "kvm_exit_stats.h"

#define GUEST_MEM	0x100000
#define GUEST_CODE	0x1000
#define MAILBOX_BASE	0x8000
#define MAX_VCPUS	4
#define PORT_REPORT	0x10
#define PORT_WORK	0x80
/* Where the mmio workload writes (vmm-guest.S): just above guest memory. */
#define MMIO_GPA	GUEST_MEM
#define MSR_IA32_TSC_DEADLINE	0x6E0
#define APIC_LVTT	0x320
#define APIC_LVT_MASKED	(1u << 16)
#define APIC_LVT_TIMER_TSCDEADLINE	(2u << 17)
#define CPUID_1_ECX_TSC_DEADLINE	(1u << 24)

enum { CMD_MEASURE = 1, CMD_TOTAL = 2 };
enum { WORK_CPUID = 0, WORK_IO = 1, WORK_HLT = 2, WORK_TSCDL = 3, WORK_MMIO = 4 };
/* CPUIDs one command executes (vmm-guest.S), besides the workload. */
#define MEASURE_CPUIDS	8
#define TOTAL_CPUIDS	2
/* The signal_exits check: one-shot timers, each given this many
 * 500-CPUID workloads to interrupt a KVM_RUN. */
#define SIGNAL_SHOTS	10
#define SIGNAL_MAX_RUNS	5000
/* Reads of the total against KVM's counters before a surplus fails. */
#define TOTAL_TRIES	5

/* Byte offsets match vmm-guest.S. */
struct mailbox {
	uint32_t cmd, n, reason, kind, ext_reason, pad0;
	uint32_t r_before[2], fc_before[2], fc_after[2], r_after[2];
	uint32_t tsc_before[2], fd_before[2], fd_after[2];
	uint32_t r_edx, fc_edx;
	uint32_t total[2];
	uint32_t tsc_after[2];
	uint32_t ext_before[2], ext_after[2];
	uint32_t total_reason[2];
	uint32_t deadline[2];		/* the tscdl workload's deadline */
};

_Static_assert(offsetof(struct mailbox, r_before) == 24, "layout");
_Static_assert(offsetof(struct mailbox, tsc_before) == 56, "layout");
_Static_assert(offsetof(struct mailbox, r_edx) == 80, "layout");
_Static_assert(offsetof(struct mailbox, tsc_after) == 96, "layout");
_Static_assert(offsetof(struct mailbox, total_reason) == 120, "layout");
_Static_assert(offsetof(struct mailbox, deadline) == 128, "layout");

extern const unsigned char vmm_guest_start[], vmm_guest_end[];

struct vcpu {
	int fd, stats_fd, index;
	struct kvm_run *run;
	uint64_t stats_exits_offset;	/* of "exits" in the stats file */
	uint64_t stats_signal_exits_offset;	/* of "signal_exits" */
	struct mailbox *mb;
	unsigned long cpuids;		/* CPUIDs this vCPU executed */
	unsigned long hlt_exits, io_exits;
	unsigned long eintr;		/* KVM_RUN returns with EINTR */
	char error[160];
};

static int kvm_fd, vm_fd;
static unsigned char *mem;
static struct vcpu vcpus[MAX_VCPUS];
static int nr_vcpus = 1;
static uint32_t bench_work = WORK_CPUID;
static uint32_t reason_cpuid, reason_io, reason_hlt, reason_ext;
/* The bench workloads' exit reasons: WRMSR, and what an MMIO write is. */
static uint32_t reason_wrmsr, reason_mmio;
static int pass, failures;

static void die(int code, const char *what)
{
	fprintf(stderr, "exitstat-vmm: %s: %s\n", what, strerror(errno));
	exit(code);
}

static uint64_t u64_of(const uint32_t v[2])
{
	return (uint64_t)v[1] << 32 | v[0];
}

static void check(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("check %s: %s: ", name, ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (ok)
		pass++;
	else
		failures++;
}

/* Exit-reason numbers of the CPU we run on (Intel SDM / AMD APM). */
static void pick_vendor(void)
{
	uint32_t a = 0, b, c, d;
	char id[13];

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	memcpy(id, &b, 4);
	memcpy(id + 4, &d, 4);
	memcpy(id + 8, &c, 4);
	id[12] = 0;
	if (!strcmp(id, "AuthenticAMD") || !strcmp(id, "HygonGenuine")) {
		reason_cpuid = 0x72, reason_io = 0x7B, reason_hlt = 0x78;
		reason_ext = 0x60;
		reason_wrmsr = 0x7C, reason_mmio = 0x400;	/* MSR, NPF */
	} else {
		reason_cpuid = 10, reason_io = 30, reason_hlt = 12;
		reason_ext = 1;
		reason_wrmsr = 32, reason_mmio = 49;	/* EPT misconfiguration */
	}
	printf("vendor=%s cpuid_reason=%u io_reason=%u hlt_reason=%u ext_reason=%u\n",
	       id, reason_cpuid, reason_io, reason_hlt, reason_ext);
}

/* Finds "exits" and "signal_exits" in the vCPU's binary stats. */
static void open_stats(struct vcpu *v)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	size_t dsize;
	uint32_t i;
	char *buf;
	int found = 0;

	v->stats_fd = ioctl(v->fd, KVM_GET_STATS_FD, NULL);
	if (v->stats_fd < 0)
		die(3, "KVM_GET_STATS_FD");
	if (pread(v->stats_fd, &h, sizeof(h), 0) != sizeof(h))
		die(3, "reading the stats header");
	dsize = sizeof(*d) + h.name_size;
	buf = malloc(dsize * h.num_desc);
	if (!buf || pread(v->stats_fd, buf, dsize * h.num_desc, h.desc_offset) !=
	    (ssize_t)(dsize * h.num_desc))
		die(3, "reading the stats descriptors");
	for (i = 0; i < h.num_desc; i++) {
		d = (struct kvm_stats_desc *)(buf + i * dsize);
		if (!strcmp(d->name, "exits")) {
			v->stats_exits_offset = h.data_offset + d->offset;
			found |= 1;
		} else if (!strcmp(d->name, "signal_exits")) {
			v->stats_signal_exits_offset = h.data_offset + d->offset;
			found |= 2;
		}
	}
	free(buf);
	if (found != 3) {
		fprintf(stderr, "exitstat-vmm: no \"exits\" or \"signal_exits\" in the vCPU stats\n");
		exit(3);
	}
}

static uint64_t read_stat(const struct vcpu *v, uint64_t offset)
{
	uint64_t val;

	if (pread(v->stats_fd, &val, sizeof(val), offset) != sizeof(val))
		die(3, "reading a vCPU stat");
	return val;
}

static uint64_t stat_exits(const struct vcpu *v)
{
	return read_stat(v, v->stats_exits_offset);
}

static void setup_vcpu(struct vcpu *v, int index)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int run_size;

	v->index = index;
	v->fd = ioctl(vm_fd, KVM_CREATE_VCPU, index);
	if (v->fd < 0)
		die(3, "KVM_CREATE_VCPU");
	run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	v->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->fd, 0);
	if (v->run == MAP_FAILED)
		die(3, "mmap kvm_run");
	if (ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		die(3, "KVM_GET_SREGS");
	sregs.cs.base = sregs.ds.base = sregs.es.base = sregs.ss.base = 0;
	sregs.cs.selector = sregs.ds.selector = 0;
	sregs.es.selector = sregs.ss.selector = 0;
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0)
		die(3, "KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = GUEST_CODE;
	regs.rsi = MAILBOX_BASE + 0x100 * index;
	regs.rflags = 2;
	if (ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		die(3, "KVM_SET_REGS");
	v->mb = (struct mailbox *)(mem + regs.rsi);
	open_stats(v);
}

/*
 * For the tscdl workload: a guest CPUID that offers the TSC-deadline timer
 * (KVM lets the LVT timer enter that mode only then), and the LVT timer
 * in TSC-deadline mode, masked: the deadlines arm the timer, never
 * interrupt the guest.
 */
static void setup_tsc_deadline(struct vcpu *v)
{
	struct {
		struct kvm_cpuid2 head;
		struct kvm_cpuid_entry2 leaf1;
	} cpuid = { { .nent = 1 }, { .function = 1, .ecx = CPUID_1_ECX_TSC_DEADLINE } };
	struct kvm_lapic_state lapic;
	uint32_t lvtt = APIC_LVT_MASKED | APIC_LVT_TIMER_TSCDEADLINE;

	if (ioctl(v->fd, KVM_SET_CPUID2, &cpuid) < 0)
		die(3, "KVM_SET_CPUID2");
	if (ioctl(v->fd, KVM_GET_LAPIC, &lapic) < 0)
		die(3, "KVM_GET_LAPIC");
	memcpy(lapic.regs + APIC_LVTT, &lvtt, sizeof(lvtt));
	if (ioctl(v->fd, KVM_SET_LAPIC, &lapic) < 0)
		die(3, "KVM_SET_LAPIC");
}

/* For the mmio workload: the guest's writes end at an eventfd in KVM. */
static void setup_mmio_eventfd(void)
{
	struct kvm_ioeventfd io = { .addr = MMIO_GPA, .len = 1 };

	io.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (io.fd < 0)
		die(3, "eventfd");
	if (ioctl(vm_fd, KVM_IOEVENTFD, &io) < 0)
		die(3, "KVM_IOEVENTFD");
}

static void setup_vm(void)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = GUEST_MEM,
	};
	int i;

	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0)
		die(3, "open /dev/kvm (is kvm_intel/kvm_amd loaded?)");
	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0)
		die(3, "KVM_CREATE_VM");
	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die(3, "mmap guest memory");
	memcpy(mem + GUEST_CODE, vmm_guest_start,
	       vmm_guest_end - vmm_guest_start);
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die(3, "KVM_SET_USER_MEMORY_REGION");
	/* Only the tscdl VM has an in-kernel LAPIC: with one, HLT would
	 * wait in KVM instead of exiting to the VMM, as the checks need. */
	if (bench_work == WORK_TSCDL && ioctl(vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
		die(3, "KVM_CREATE_IRQCHIP");
	if (bench_work == WORK_MMIO)
		setup_mmio_eventfd();
	for (i = 0; i < nr_vcpus; i++) {
		setup_vcpu(&vcpus[i], i);
		if (bench_work == WORK_TSCDL)
			setup_tsc_deadline(&vcpus[i]);
	}
}

/*
 * After KVM_RUN returned EINTR: the SIGALRM that caused it is blocked again
 * outside KVM_RUN and still pending; take it, or it would interrupt every
 * later KVM_RUN at once (the way QEMU eats its SIG_IPI).
 */
static void eat_alarm(void)
{
	struct timespec now = { 0, 0 };
	sigset_t alarm_set;

	sigemptyset(&alarm_set);
	sigaddset(&alarm_set, SIGALRM);
	while (sigtimedwait(&alarm_set, NULL, &now) == SIGALRM)
		;
}

/* Runs until the guest reports on PORT_REPORT; false with v->error set. */
static bool run_command(struct vcpu *v)
{
	for (;;) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR) {
				v->eintr++;
				eat_alarm();
				continue;
			}
			snprintf(v->error, sizeof(v->error), "KVM_RUN: %s",
				 strerror(errno));
			return false;
		}
		switch (v->run->exit_reason) {
		case KVM_EXIT_IO:
			if (v->run->io.port == PORT_REPORT)
				return true;
			if (v->run->io.port == PORT_WORK) {
				v->io_exits++;
				continue;
			}
			break;
		case KVM_EXIT_HLT:
			v->hlt_exits++;
			continue;
		}
		snprintf(v->error, sizeof(v->error),
			 "unexpected exit %u (io port 0x%x)", v->run->exit_reason,
			 v->run->exit_reason == KVM_EXIT_IO ? v->run->io.port : 0);
		return false;
	}
}

static bool measure(struct vcpu *v, uint32_t kind, uint32_t n,
		    uint32_t reason)
{
	struct mailbox *mb = v->mb;

	mb->cmd = CMD_MEASURE;
	mb->n = n;
	mb->kind = kind;
	mb->reason = reason;
	mb->ext_reason = reason_ext;
	if (!run_command(v))
		return false;
	v->cpuids += MEASURE_CPUIDS + (kind == WORK_CPUID ? n : 0);
	return true;
}

static bool instrumented(const struct mailbox *mb)
{
	return mb->fc_edx == KVM_EXIT_STATS_SIGNATURE;
}

static void *measure_thread(void *arg)
{
	struct vcpu *v = arg;

	if (!measure(v, WORK_CPUID, v->mb->n, reason_cpuid))
		return v;
	return NULL;
}

static const char *scope(void)
{
	static char buf[16];
	FILE *f = fopen("/sys/module/kvm/parameters/exit_stats", "r");

	if (!f)
		return "none";
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

static bool read_debugfs_u64(const char *path, uint64_t *val)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%" SCNu64, val) == 1;
	fclose(f);
	return ok;
}

/*
 * One workload of N exits of a known reason on vCPU 0: the reason's count
 * rises by exactly N (+ the CPUIDs of the window for the CPUID reason);
 * the total by N + 1 (its own second read) plus any asynchronous exits,
 * which must be external interrupts.
 */
static void check_workload(const char *name, uint32_t kind, uint32_t n,
			   uint32_t reason, uint64_t reason_extra)
{
	struct vcpu *v = &vcpus[0];
	struct mailbox *mb = v->mb;
	uint64_t total, by_reason, ext, surplus;

	if (!measure(v, kind, n, reason)) {
		check(false, name, "%s", v->error);
		return;
	}
	total = u64_of(mb->fc_after) - u64_of(mb->fc_before);
	by_reason = u64_of(mb->r_after) - u64_of(mb->r_before);
	ext = u64_of(mb->ext_after) - u64_of(mb->ext_before);
	surplus = total - (n + 1);
	check(by_reason == n + reason_extra, name,
	      "reason %u rose by %" PRIu64 ", expected N + %" PRIu64 " = %" PRIu64,
	      reason, by_reason, reason_extra, n + reason_extra);
	check(total >= n + 1 && surplus <= ext, name,
	      "0x4FFFFFFC rose by %" PRIu64 " = N + 1 + %" PRId64 " (external-interrupt exits in a wider window: %" PRIu64 ")%s",
	      total, (int64_t)surplus, ext,
	      total == n + 1 ? ", exact" : "");
	printf("window %s n=%u exits=%" PRIu64 " surplus=%" PRIu64 " cycles=%" PRIu64 " guest_tsc=%" PRIu64 "\n",
	       name, n, total, surplus,
	       u64_of(mb->fd_after) - u64_of(mb->fd_before),
	       u64_of(mb->tsc_after) - u64_of(mb->tsc_before));
}

/* Sum of stat.exits over the VM's vCPUs. */
static uint64_t sum_stat_exits(void)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < nr_vcpus; i++)
		sum += stat_exits(&vcpus[i]);
	return sum;
}

/*
 * The total against KVM's own counters, read while every vCPU is stopped
 * in the VMM: stat.exits has also counted the report's OUT, so it is the
 * total + 1.  The CPUID reason equals every CPUID the guest executed.
 * KVM's counters may also hold an exit between the guest's read and its
 * OUT: under QEMU TCG a host interrupt lands there now and then (2 in
 * 3000 exits).  Such a try is repeated, up to TOTAL_TRIES in all, and the
 * first try whose counts match exactly is checked; KVM counting less than
 * the leaves, or more in every try, fails.
 */
struct total_try {
	uint64_t total, stat_sum, debugfs_exits, reason, cpuids;
	bool have_debugfs;
};

static bool read_total(struct total_try *t)
{
	struct vcpu *v = &vcpus[0];
	int i;

	v->mb->cmd = CMD_TOTAL;
	v->mb->reason = reason_cpuid;
	if (!run_command(v))
		return false;
	v->cpuids += TOTAL_CPUIDS;
	t->total = u64_of(v->mb->total);
	t->reason = u64_of(v->mb->total_reason);
	t->stat_sum = sum_stat_exits();
	t->cpuids = 0;
	for (i = 0; i < nr_vcpus; i++)
		t->cpuids += vcpus[i].cpuids;
	t->have_debugfs = read_debugfs_u64("/sys/kernel/debug/kvm/exits",
					   &t->debugfs_exits);
	return true;
}

/* What KVM counted beyond the leaves' total + the OUT, in the scope. */
static int64_t total_surplus(const struct total_try *t)
{
	if (!strcmp(scope(), "vm"))
		return (int64_t)(t->stat_sum - (t->total + 1));
	if (t->have_debugfs)
		return (int64_t)(t->debugfs_exits - (t->total + 1));
	return 0;
}

static void check_total_against_kvm(const char *what)
{
	const char *sc = scope();
	struct total_try t;
	char name[64];
	int64_t surplus;
	int try;

	for (try = 1; ; try++) {
		if (!read_total(&t)) {
			check(false, what, "%s", vcpus[0].error);
			return;
		}
		surplus = total_surplus(&t);
		if (surplus <= 0 || try == TOTAL_TRIES)
			break;
		printf("retry %s: KVM counted %" PRId64 " exit(s) between the read and the OUT (try %d of %d)\n",
		       what, surplus, try, TOTAL_TRIES);
	}

	snprintf(name, sizeof(name), "%s-stat-exits", what);
	if (!strcmp(sc, "vm"))
		check(t.stat_sum == t.total + 1, name,
		      "exit_stats=vm: 0x4FFFFFFC %" PRIu64 " + the report's OUT = %" PRIu64 ", sum of stat.exits over %d vCPUs (binary stats fd) %" PRIu64,
		      t.total, t.total + 1, nr_vcpus, t.stat_sum);
	if (t.have_debugfs) {
		snprintf(name, sizeof(name), "%s-debugfs-exits", what);
		check(t.debugfs_exits == t.stat_sum, name,
		      "debugfs kvm/exits %" PRIu64 " == stats fd sum %" PRIu64 " (only this VM exists)",
		      t.debugfs_exits, t.stat_sum);
		if (!strcmp(sc, "host"))
			check(t.debugfs_exits == t.total + 1, name,
			      "exit_stats=host: 0x4FFFFFFC %" PRIu64 " + the report's OUT == debugfs kvm/exits %" PRIu64,
			      t.total, t.debugfs_exits);
	}
	/* The count was read before the command's last CPUID (0x4FFFFFFC). */
	snprintf(name, sizeof(name), "%s-cpuid-reason", what);
	check(t.reason == t.cpuids - 1, name,
	      "CPUID reason count %" PRIu64 " == CPUIDs the guest executed on %d vCPUs up to that read, %" PRIu64,
	      t.reason, nr_vcpus, t.cpuids - 1);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * SIGALRM stays blocked in the VMM, where it would interrupt other system
 * calls, and is unblocked only inside KVM_RUN (KVM_SET_SIGNAL_MASK with
 * the VMM's mask minus SIGALRM).
 */
static void alarm_only_in_kvm_run(struct vcpu *v)
{
	struct {
		struct kvm_signal_mask head;
		uint64_t set;	/* the kernel's sigset_t on x86-64 */
	} run_mask = { { sizeof(uint64_t) }, 0 };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	if (ioctl(v->fd, KVM_SET_SIGNAL_MASK, &run_mask) < 0)
		die(3, "KVM_SET_SIGNAL_MASK");
}

/*
 * Signals that interrupt KVM_RUN: each makes KVM_RUN fail with EINTR and
 * adds one to signal_exits.  On x86 that increment happens in the core
 * kernel (kernel/entry/kvm.c, kvm_handle_signal_exit()), not in kvm.ko, at
 * the offset of signal_exits in the kernel's own struct kvm_vcpu: if kvm
 * modules with the exit statistics (path (b)) had moved it, signal_exits
 * would stay put and something else would be incremented.
 */
static void check_signal_exits(void)
{
	/* One shot at a time, never re-armed before it has interrupted a
	 * KVM_RUN: a periodic timer faster than a slow emulator's VM entry
	 * would interrupt every KVM_RUN forever, and re-arming per workload
	 * cancels a timer whose expiry is rounded up to a jiffy longer than
	 * the workload (Bochs runs 500 CPUIDs in about a millisecond of
	 * guest time). */
	struct itimerval in_1ms = { { 0, 0 }, { 0, 1000 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct vcpu *v = &vcpus[0];
	unsigned long eintr0 = v->eintr;
	unsigned long before;
	uint64_t sig0, sig1;
	int shot, runs = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm_only_in_kvm_run(v);
	sig0 = read_stat(v, v->stats_signal_exits_offset);
	/* A signal that arrives outside KVM_RUN stays pending and interrupts
	 * the next one, so every shot ends in exactly one EINTR. */
	for (shot = 0; shot < SIGNAL_SHOTS; shot++) {
		before = v->eintr;
		setitimer(ITIMER_REAL, &in_1ms, NULL);
		while (v->eintr == before && runs < SIGNAL_MAX_RUNS) {
			if (!measure(v, WORK_CPUID, 500, reason_cpuid))
				break;
			runs++;
		}
		if (v->eintr == before)
			break;
	}
	sig1 = read_stat(v, v->stats_signal_exits_offset);
	if (shot < SIGNAL_SHOTS)
		printf("exitstat-vmm: signal %d of %d never interrupted KVM_RUN in %d workloads%s%s\n",
		       shot + 1, SIGNAL_SHOTS, runs, v->error[0] ? ": " : "",
		       v->error);
	check(shot == SIGNAL_SHOTS && sig1 - sig0 == v->eintr - eintr0,
	      "signal-exits",
	      "stat signal_exits rose by %" PRIu64 " == KVM_RUN calls that returned EINTR, %lu (%d one-shot timers, %d workloads)",
	      sig1 - sig0, v->eintr - eintr0, shot, runs);
}

static int cmd_check(uint32_t n)
{
	pthread_t th[MAX_VCPUS];
	void *err;
	int i;

	printf("exit_stats=%s vcpus=%d n=%u\n", scope(), nr_vcpus, n);
	if (!measure(&vcpus[0], WORK_CPUID, 1, reason_cpuid)) {
		printf("exitstat-vmm: %s\n", vcpus[0].error);
		return 3;
	}
	if (!instrumented(vcpus[0].mb)) {
		printf("exitstat-vmm: not instrumented (0x4FFFFFFC EDX=0x%08X)\n",
		       vcpus[0].mb->fc_edx);
		return 2;
	}
	check(vcpus[0].mb->r_edx == 0, "reason-edx", "0x4FFFFFFE(CPUID) EDX=0x%08X", vcpus[0].mb->r_edx);
	/* Window CPUIDs besides N: 0x4FFFFFFD, 0x4FFFFFFC before, 0x4FFFFFFC,
	 * 0x4FFFFFFD and 0x4FFFFFFE(R) after. */
	check_workload("cpuid", WORK_CPUID, n, reason_cpuid, 5);
	check_workload("io", WORK_IO, n, reason_io, 0);
	check_workload("hlt", WORK_HLT, n, reason_hlt, 0);
	check_total_against_kvm("serial");

	for (i = 0; i < nr_vcpus; i++) {
		vcpus[i].mb->n = n;
		pthread_create(&th[i], NULL, measure_thread, &vcpus[i]);
	}
	for (i = 0; i < nr_vcpus; i++) {
		pthread_join(th[i], &err);
		if (err)
			check(false, "parallel", "vCPU %d: %s", i, vcpus[i].error);
	}
	check_total_against_kvm("parallel");
	check_signal_exits();
	check_total_against_kvm("after-signals");
	printf("exitstat-vmm: result pass=%d fail=%d\n", pass, failures);
	return failures ? 1 : 0;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static const char *const work_names[] = {
	[WORK_CPUID] = "cpuid", [WORK_TSCDL] = "tscdl", [WORK_MMIO] = "mmio",
};

static bool parse_work(const char *name, uint32_t *work)
{
	uint32_t i;

	for (i = 0; i < sizeof(work_names) / sizeof(work_names[0]); i++) {
		if (work_names[i] && !strcmp(name, work_names[i])) {
			*work = i;
			return true;
		}
	}
	return false;
}

/* The deadline the tscdl workload wrote, as KVM reads it back: 0 unless
 * the LAPIC timer really is in TSC-deadline mode. */
static bool tsc_deadline_armed(const struct vcpu *v)
{
	struct {
		struct kvm_msrs head;
		struct kvm_msr_entry entry;
	} msrs = { { .nmsrs = 1 }, { .index = MSR_IA32_TSC_DEADLINE } };

	if (ioctl(v->fd, KVM_GET_MSRS, &msrs) != 1)
		die(3, "KVM_GET_MSRS IA32_TSC_DEADLINE");
	if (msrs.entry.data == u64_of(v->mb->deadline))
		return true;
	fprintf(stderr, "exitstat-vmm: IA32_TSC_DEADLINE reads 0x%" PRIx64 ", not the 0x%" PRIx64 " the guest wrote: the LAPIC timer is not in TSC-deadline mode\n",
		(uint64_t)msrs.entry.data, u64_of(v->mb->deadline));
	return false;
}

static void print_module_param(const char *path, const char *name)
{
	char buf[16] = "none";
	FILE *f = fopen(path, "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
	printf(" %s=%s", name, buf);
}

static uint32_t bench_reason(void)
{
	switch (bench_work) {
	case WORK_TSCDL:
		return reason_wrmsr;
	case WORK_MMIO:
		return reason_mmio;
	default:
		return reason_cpuid;
	}
}

/*
 * Guest TSC cycles per exit of the workload, the leaves' cycles per exit,
 * KVM's stat.exits per workload operation (1.000 when each operation is
 * one exit and nothing else exited; timer ticks of the host add a few)
 * and, with the leaves, the count of the workload's exit reason per
 * operation (1.000: the exits are of the kind the workload is for).
 */
static int cmd_bench(uint32_t n, int reps)
{
	uint64_t tsc[64], leaf_cycles[64], exits0;
	int64_t exits = 0;
	struct vcpu *v = &vcpus[0];
	struct mailbox *mb = v->mb;
	uint32_t reason = bench_reason();
	/* Window CPUIDs besides the workload's (see check_workload()). */
	uint64_t extra = bench_work == WORK_CPUID ? 5 : 0;
	int64_t by_reason = 0;
	int i, have_leaves = 1;

	if (reps > 64)
		reps = 64;
	/* Warm up (the mmio workload's first write also makes KVM cache the
	 * address as MMIO). */
	measure(v, bench_work, n, reason);
	for (i = 0; i < reps; i++) {
		exits0 = stat_exits(v);
		if (!measure(v, bench_work, n, reason)) {
			fprintf(stderr, "exitstat-vmm: %s\n", v->error);
			return 3;
		}
		/* The window's CPUIDs and the report's OUT exit too. */
		exits += (int64_t)(stat_exits(v) - exits0) - (MEASURE_CPUIDS + 1);
		tsc[i] = u64_of(mb->tsc_after) - u64_of(mb->tsc_before);
		have_leaves &= instrumented(mb);
		if (have_leaves) {
			leaf_cycles[i] = u64_of(mb->fd_after) - u64_of(mb->fd_before);
			by_reason += (int64_t)(u64_of(mb->r_after) - u64_of(mb->r_before) - extra);
		}
	}
	if (bench_work == WORK_TSCDL && !tsc_deadline_armed(v))
		return 3;
	qsort(tsc, reps, sizeof(tsc[0]), compare_u64);
	printf("bench work=%s n=%u reps=%d exit_stats=%s guest_tsc_per_exit_min=%.1f guest_tsc_per_exit_median=%.1f kvm_exits_per_op=%.3f",
	       work_names[bench_work], n, reps, scope(), (double)tsc[0] / n,
	       (double)tsc[reps / 2] / n, (double)exits / reps / n);
	if (have_leaves) {
		qsort(leaf_cycles, reps, sizeof(leaf_cycles[0]), compare_u64);
		/* window: N exits + 3 leaf reads finish inside it */
		printf(" leaf_cycles_per_exit_median=%.1f reason_0x%x_per_op=%.3f",
		       (double)leaf_cycles[reps / 2] / (n + 3), reason,
		       (double)by_reason / reps / n);
	}
	if (bench_work == WORK_TSCDL)
		print_module_param("/sys/module/kvm_intel/parameters/preemption_timer",
				   "preemption_timer");
	putchar('\n');
	return 0;
}

static unsigned long parse_num(const char *s, const char *what,
			       unsigned long max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v < 1 || v > max) {
		fprintf(stderr, "exitstat-vmm: %s takes 1..%lu, not '%s'\n",
			what, max, s);
		exit(3);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long n = 1000, reps = 9;
	const char *mode = argc > 1 ? argv[1] : "";
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--vcpus") && i + 1 < argc)
			nr_vcpus = parse_num(argv[++i], "--vcpus", MAX_VCPUS);
		else if (!strcmp(argv[i], "--n") && i + 1 < argc)
			n = parse_num(argv[++i], "--n", 100000000);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = parse_num(argv[++i], "--reps", 64);
		else if (!strcmp(argv[i], "--work") && i + 1 < argc &&
			 !strcmp(mode, "bench")) {
			if (!parse_work(argv[++i], &bench_work)) {
				fprintf(stderr, "exitstat-vmm: --work takes cpuid, tscdl or mmio, not '%s'\n",
					argv[i]);
				return 3;
			}
		} else
			mode = "";
	}
	if (strcmp(mode, "check") && strcmp(mode, "bench")) {
		fprintf(stderr, "usage: exitstat-vmm check [--vcpus 1..4] [--n N]\n"
			"       exitstat-vmm bench [--work cpuid|tscdl|mmio] [--n N] [--reps R]\n");
		return 3;
	}
	pick_vendor();
	setup_vm();
	return !strcmp(mode, "check") ? cmd_check(n) : cmd_bench(n, reps);
}
