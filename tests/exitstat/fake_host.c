// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "kvm_exit_stats.h"
#include "fake_host.h"

static void init_common(struct fake_host *h)
{
	memset(h, 0, sizeof(*h));
	h->instrumented = true;
	h->cycles_per_cpuid = 1000;
	h->stock_edx = 0x2C100800;	/* what a real leaf 0xD might hold */
	fake_host_set_hypervisor(h, "KVMKVMKVM\0\0\0");
}

/* sig12: 12 bytes (NUL padding included), or NULL for bare metal. */
void fake_host_set_hypervisor(struct fake_host *h, const char *sig12)
{
	h->hypervisor_bit = sig12 != NULL;
	memset(h->hv_signature, 0, 12);
	if (sig12)
		memcpy(h->hv_signature, sig12, 12);
}

static void put_signature(struct es_regs *o, const char sig[12])
{
	memcpy(&o->ebx, sig, 4);
	memcpy(&o->ecx, sig + 4, 4);
	memcpy(&o->edx, sig + 8, 4);
}

/* SDM Table C-1: 35, 38, 42, 82, 83 and everything above 85 undefined. */
void fake_host_init_intel(struct fake_host *h)
{
	uint32_t r;

	init_common(h);
	h->vendor = "GenuineIntel";
	for (r = 86; r < FAKE_REASONS; r++)
		h->undefined[r] = true;
	h->undefined[35] = h->undefined[38] = h->undefined[42] = true;
	h->undefined[82] = h->undefined[83] = true;
}

/* APM exit codes 0x000..0x0A6 and 0x400..0x403 defined. */
void fake_host_init_amd(struct fake_host *h)
{
	uint32_t r;

	init_common(h);
	h->vendor = "AuthenticAMD";
	h->amd = true;
	for (r = 0xA7; r < FAKE_REASONS - 1; r++)
		h->undefined[r] = r < 0x400 || r > 0x403;
}

static uint32_t cpuid_reason(const struct fake_host *h)
{
	return h->amd ? 0x72 : 10;
}

/* SVM's VMEXIT_INVALID (-1) lives in the fake's last slot. */
static uint32_t fake_index(const struct fake_host *h, uint32_t reason)
{
	return h->amd && reason == 0xFFFFFFFF ? FAKE_REASONS - 1 : reason;
}

void fake_host_add(struct fake_host *h, uint32_t reason, uint64_t n,
		   uint64_t cycles)
{
	reason = fake_index(h, reason);
	h->exits += n;
	h->cycles += cycles;
	h->reason_exits[reason] += n;
	h->reason_cycles[reason] += cycles;
}

static bool reason_undefined(const struct fake_host *h, uint32_t reason)
{
	reason = fake_index(h, reason);
	return reason >= FAKE_REASONS || h->undefined[reason];
}

static void answer(struct fake_host *h, uint32_t leaf, uint32_t subleaf,
		   struct es_regs *o)
{
	uint64_t v;

	memset(o, 0, sizeof(*o));
	if (leaf == 0) {
		o->eax = 0xD;
		memcpy(&o->ebx, h->vendor, 4);
		memcpy(&o->edx, h->vendor + 4, 4);
		memcpy(&o->ecx, h->vendor + 8, 4);
		return;
	}
	if (leaf == 1) {
		o->eax = 0x000906EA;
		o->ecx = h->hypervisor_bit ? 1u << 31 : 0;
		return;
	}
	if (h->hypervisor_bit && leaf == 0x40000000) {
		o->eax = 0x40000001;
		put_signature(o, h->hv_signature);
		return;
	}
	if (h->hypervisor_bit && leaf == 0x40000100) {
		put_signature(o, h->hv_signature2);
		return;
	}
	if (!h->instrumented || leaf < KVM_EXIT_STATS_LEAF_EXITS) {
		/* Stock KVM: an unknown leaf answers like the last basic one. */
		o->eax = 0x340;
		o->ebx = 0x340;
		o->edx = h->stock_edx;
		return;
	}
	switch (leaf) {
	case KVM_EXIT_STATS_LEAF_EXITS:
		o->eax = (uint32_t)h->exits;
		o->ebx = (uint32_t)(h->exits >> 32);
		o->ecx = h->info | (h->bad_total_ecx ? 0x4 : 0);
		o->edx = KVM_EXIT_STATS_SIGNATURE;
		return;
	case KVM_EXIT_STATS_LEAF_CYCLES:
		o->eax = h->info;
		o->ebx = (uint32_t)(h->cycles >> 32);
		o->ecx = (uint32_t)h->cycles;
		o->edx = KVM_EXIT_STATS_SIGNATURE;
		return;
	}
	if (reason_undefined(h, subleaf)) {
		o->edx = KVM_EXIT_STATS_UNDEFINED;
		return;
	}
	if (h->bad_reason && subleaf == h->bad_reason) {
		o->eax = 5;
		o->edx = 0x12345678;
		return;
	}
	subleaf = fake_index(h, subleaf);
	if (leaf == KVM_EXIT_STATS_LEAF_REASON_EXITS) {
		v = h->reason_exits[subleaf];
		o->eax = (uint32_t)v;
		o->ebx = (uint32_t)(v >> 32);
		o->ecx = h->info;
	} else {
		v = h->reason_cycles[subleaf];
		o->eax = h->info;
		o->ebx = (uint32_t)(v >> 32);
		o->ecx = (uint32_t)v;
	}
}

void fake_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf,
		struct es_regs *out)
{
	struct fake_host *h = ctx;

	h->cpuid_calls++;
	/* The exit is counted before KVM answers ... */
	fake_host_add(h, cpuid_reason(h), 1, 0);
	answer(h, leaf, subleaf, out);
	/* ... and its handling time once the answer is done. */
	h->cycles += h->cycles_per_cpuid;
	h->reason_cycles[cpuid_reason(h)] += h->cycles_per_cpuid;
}

static void apply_workload(struct fake_host *h)
{
	size_t i;

	for (i = 0; i < sizeof(h->workload) / sizeof(h->workload[0]); i++)
		if (h->workload[i].exits)
			fake_host_add(h, h->workload[i].reason,
				      h->workload[i].exits,
				      h->workload[i].cycles);
}

int fake_run(void *ctx, char *const argv[], bool stdout_to_stderr,
	     char *err, size_t errlen)
{
	struct fake_host *h = ctx;
	FILE *out = stdout_to_stderr ? h->cmd_stderr : h->cmd_stdout;

	h->runs++;
	h->last_stdout_to_stderr = stdout_to_stderr;
	if (!strcmp(argv[0], "does-not-exist")) {
		snprintf(err, errlen, "cannot run %s: No such file", argv[0]);
		return 127;
	}
	if (out)
		fputs("cmd-stdout\n", out);
	apply_workload(h);
	h->clock += 0.25;
	return h->workload_status;
}

void fake_sleep(void *ctx, double seconds)
{
	struct fake_host *h = ctx;

	h->sleeps++;
	h->clock += h->sleep_step ? h->sleep_step : seconds;
	apply_workload(h);
}

double fake_now(void *ctx)
{
	return ((struct fake_host *)ctx)->clock;
}
