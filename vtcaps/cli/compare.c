// SPDX-License-Identifier: GPL-2.0
/*
 * Comparisons: the CPUs of one host, two hosts (diff), many hosts (baseline).
 */
#include <string.h>

#include "cli.h"
#include "tables.h"

static const char *msr_label(uint32_t msr)
{
	const char *name = vtc_msr_name(msr);

	return name ? name : "?";
}

static const char *msr_state(const struct vtc_cpu *c, unsigned int slot, char *buf, size_t size)
{
	if (c->msr_valid & (1u << slot))
		snprintf(buf, size, "0x%016llx", (unsigned long long)c->msr[slot]);
	else
		snprintf(buf, size, "%s", c->msr_fault & (1u << slot) ? "faulted" : "absent");
	return buf;
}

static bool msr_differs(const struct vtc_cpu *a, const struct vtc_cpu *b, unsigned int slot)
{
	uint32_t bit = 1u << slot;

	if ((a->msr_valid & bit) != (b->msr_valid & bit) ||
	    (a->msr_fault & bit) != (b->msr_fault & bit))
		return true;
	return (a->msr_valid & bit) && a->msr[slot] != b->msr[slot];
}

unsigned int report_cpu_differences(const struct host *h, FILE *out)
{
	const struct vtc_cpu *ref = &h->cpus[0];
	uint32_t ra[4], rb[4];
	unsigned int i, slot, count = 0;
	char text[256], va[24], vb[24];

	for (i = 1; i < h->ncpus; i++) {
		const struct vtc_cpu *c = &h->cpus[i];

		if (vtc_status(c) != vtc_status(ref)) {
			if (out)
				fprintf(out, "CPU %u: %s (CPU %u: %s)\n", c->cpu,
					vtc_state_text(vtc_status(c)), ref->cpu,
					vtc_state_text(vtc_status(ref)));
			count++;
		}
		for (slot = 0; slot < VTC_NR_MSRS; slot++) {
			if (!msr_differs(ref, c, slot))
				continue;
			count++;
			if (!out)
				continue;
			snprintf(text, sizeof(text), "CPU %u: %s (0x%x) %s, CPU %u: %s", c->cpu,
				 msr_label(vtc_msr_index(slot)), vtc_msr_index(slot),
				 msr_state(c, slot, va, sizeof(va)), ref->cpu,
				 msr_state(ref, slot, vb, sizeof(vb)));
			vtc_emit_wrapped(print_line, out, text);
		}
		/* Leaf 1 carries the APIC ID, so only the SVM leaf is compared. */
		if (vtc_get_cpuid(ref, 0x8000000a, ra) != vtc_get_cpuid(c, 0x8000000a, rb) ||
		    (vtc_get_cpuid(ref, 0x8000000a, ra) && memcmp(ra, rb, sizeof(ra)))) {
			if (out)
				fprintf(out, "CPU %u: CPUID 0x8000000a differs from CPU %u\n",
					c->cpu, ref->cpu);
			count++;
		}
	}
	return count;
}

/* ---- baseline ---- */

static bool all_have(const struct vtc_cpu *const *cpus, unsigned int n, uint32_t msr)
{
	uint64_t v;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!vtc_get_msr(cpus[i], msr, &v))
			return false;
	return true;
}

static uint64_t fold(const struct vtc_cpu *const *cpus, unsigned int n, uint32_t msr,
		     uint64_t or_mask)
{
	uint64_t and = ~0ull, or = 0, v;
	unsigned int i;

	for (i = 0; i < n; i++) {
		vtc_get_msr(cpus[i], msr, &v);
		and &= v;
		or |= v;
	}
	return (and & ~or_mask) | (or & or_mask);
}

static uint64_t fold_min(const struct vtc_cpu *const *cpus, unsigned int n, uint32_t msr,
			 unsigned int lo, unsigned int hi, uint64_t acc)
{
	uint64_t mask = ((1ull << (hi - lo + 1)) - 1) << lo, min = acc & mask, v;
	unsigned int i;

	for (i = 0; i < n; i++) {
		vtc_get_msr(cpus[i], msr, &v);
		if ((v & mask) < min)
			min = v & mask;
	}
	return (acc & ~mask) | min;
}

/*
 * How each MSR combines across hosts; or_mask bits are ORed (a restriction
 * on any host applies to all), the rest ANDed (a capability must exist on
 * every host).
 */
static const struct {
	uint32_t msr;
	uint64_t or_mask;
} combine[] = {
	{ VTC_MSR_FEATURE_CONTROL, 0 },			/* enabled (and locked) on all */
	{ VTC_MSR_VMX_BASIC, 1ull << 48 },		/* 32-bit address limit */
	{ VTC_MSR_PINBASED, 0xffffffffull },		/* allowed-0: must-be-1 */
	{ VTC_MSR_PROCBASED, 0xffffffffull },
	{ VTC_MSR_EXIT, 0xffffffffull },
	{ VTC_MSR_ENTRY, 0xffffffffull },
	{ VTC_MSR_MISC, 0 },
	{ VTC_MSR_CR0_FIXED0, ~0ull },			/* must-be-1 */
	{ VTC_MSR_CR0_FIXED1, 0 },
	{ VTC_MSR_CR4_FIXED0, ~0ull },
	{ VTC_MSR_CR4_FIXED1, 0 },
	{ VTC_MSR_VMCS_ENUM, 0 },
	{ VTC_MSR_PROCBASED2, 0xffffffffull },
	{ VTC_MSR_EPT_VPID_CAP, 0 },
	{ VTC_MSR_TRUE_PINBASED, 0xffffffffull },
	{ VTC_MSR_TRUE_PROCBASED, 0xffffffffull },
	{ VTC_MSR_TRUE_EXIT, 0xffffffffull },
	{ VTC_MSR_TRUE_ENTRY, 0xffffffffull },
	{ VTC_MSR_VMFUNC, 0 },
	{ VTC_MSR_PROCBASED3, 0 },
	{ VTC_MSR_EXIT2, 0 },
};

static bool all_have_leaf(const struct vtc_cpu *const *cpus, unsigned int n, uint32_t leaf)
{
	uint32_t r[4];
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!vtc_get_cpuid(cpus[i], leaf, r))
			return false;
	return true;
}

/*
 * SVM (APM Vol. 2 15.30, CPUID Fn8000_000A): the features every host has
 * (EDX ANDed), the lowest revision and ASID count; CPUID 0x80000001 is
 * kept for its SVM bit only; VM_CR bits are restrictions, so ORed.
 */
static void baseline_svm(const struct vtc_cpu *const *cpus, unsigned int n, struct vtc_cpu *out)
{
	uint32_t r[4], b[4];
	unsigned int i;
	uint64_t vm_cr = 0, v;

	if (vtc_vendor(cpus[0]) != VTC_VENDOR_AMD)
		return;
	if (all_have_leaf(cpus, n, 0x80000001)) {
		uint32_t svm = 1u << 2;

		for (i = 0; i < n; i++) {
			vtc_get_cpuid(cpus[i], 0x80000001, r);
			svm &= r[VTC_ECX];
		}
		vtc_set_cpuid(out, 0x80000001, 0, 0, svm, 0);
	}
	if (all_have_leaf(cpus, n, 0x8000000a)) {
		vtc_get_cpuid(cpus[0], 0x8000000a, b);
		for (i = 1; i < n; i++) {
			vtc_get_cpuid(cpus[i], 0x8000000a, r);
			if ((r[VTC_EAX] & 0xff) < (b[VTC_EAX] & 0xff))
				b[VTC_EAX] = r[VTC_EAX];
			if (r[VTC_EBX] < b[VTC_EBX])
				b[VTC_EBX] = r[VTC_EBX];
			b[VTC_EDX] &= r[VTC_EDX];
		}
		vtc_set_cpuid(out, 0x8000000a, b[VTC_EAX], b[VTC_EBX], 0, b[VTC_EDX]);
	}
	if (!all_have(cpus, n, VTC_MSR_AMD_VM_CR))
		return;
	for (i = 0; i < n; i++) {
		vtc_get_msr(cpus[i], VTC_MSR_AMD_VM_CR, &v);
		vm_cr |= v;
	}
	vtc_set_msr(out, VTC_MSR_AMD_VM_CR, vm_cr);
}

void baseline_cpu(const struct vtc_cpu *const *cpus, unsigned int n, struct vtc_cpu *out)
{
	uint32_t r[4];
	unsigned int i;
	uint64_t v;

	vtc_cpu_init(out, 0);
	if (vtc_get_cpuid(cpus[0], 0, r))
		vtc_set_cpuid(out, 0, r[0], r[1], r[2], r[3]);
	baseline_svm(cpus, n, out);
	for (i = 0; i < sizeof(combine) / sizeof(combine[0]); i++) {
		uint32_t msr = combine[i].msr;

		if (!all_have(cpus, n, msr))
			continue;
		v = fold(cpus, n, msr, combine[i].or_mask);
		if (msr == VTC_MSR_VMX_BASIC) {
			/* flags 48, 54-56, 58 combined; revision, size, memory type: first host's */
			const uint64_t flags = 0x05c1000000000000ull;

			vtc_get_msr(cpus[0], msr, &v);
			v = (v & ~flags) | (fold(cpus, n, msr, 1ull << 48) & flags);
		}
		if (msr == VTC_MSR_MISC) {
			const uint64_t flags = 0x7000c1e0ull;	/* bits 5-8, 14, 15, 28-30 */

			vtc_get_msr(cpus[0], msr, &v);
			v = (v & ~flags) | (fold(cpus, n, msr, 0) & flags);
			v = fold_min(cpus, n, msr, 16, 24, v);
			v = fold_min(cpus, n, msr, 25, 27, v);
		}
		if (msr == VTC_MSR_VMCS_ENUM)
			v = fold_min(cpus, n, msr, 1, 9, cpus[0]->msr[vtc_msr_slot(msr)]);
		vtc_set_msr(out, msr, v);
	}
}

/* ---- diff ---- */

static void diff_item(diff_fn fn, void *ctx, const char *where, int bit, const char *name,
		      const char *what)
{
	struct diff_item d = { .where = where, .bit = bit, .name = name, .what = what };

	fn(ctx, &d);
}

static int effective_clear(const struct vtc_ctl_bit *r)
{
	return r->can_clear_true >= 0 ? r->can_clear_true : r->can_clear;
}

static unsigned int diff_group(const struct vtc_cpu *a, const struct vtc_cpu *b,
			       enum vtc_ctl_group g, diff_fn fn, void *ctx)
{
	const struct vtc_ctl_table *t = &vtc_ctl_tables[g];
	struct vtc_ctl_bit ra, rb;
	unsigned int bit, count = 0;

	for (bit = 0; bit < t->width; bit++) {
		const char *name = t->names[bit];
		bool b_has;

		if (!name)
			name = (t->default1 >> bit) & 1 ? "reserved, default1" : "reserved";
		if (!vtc_ctl_eval(a, g, bit, &ra))
			continue;
		b_has = vtc_ctl_eval(b, g, bit, &rb);
		if (ra.can_set && (!b_has || !rb.can_set)) {
			diff_item(fn, ctx, t->title, (int)bit, name, "A can set, B cannot");
			count++;
		}
		if (effective_clear(&ra) && b_has && !effective_clear(&rb)) {
			diff_item(fn, ctx, t->title, (int)bit, name,
				  "A can clear, B cannot (B forces it to 1)");
			count++;
		}
	}
	return count;
}

static unsigned int diff_flags(const struct vtc_cpu *a, const struct vtc_cpu *b,
			       const struct vtc_msr_table *t, diff_fn fn, void *ctx)
{
	uint64_t va, vb = 0;
	unsigned int i, count = 0;

	if (!vtc_get_msr(a, t->msr, &va))
		return 0;
	vtc_get_msr(b, t->msr, &vb);
	for (i = 0; i < t->nfields; i++) {
		const struct vtc_field *f = &t->fields[i];

		if (f->fmt != VTC_F_FLAG || !((va >> f->lo) & 1) || ((vb >> f->lo) & 1))
			continue;
		diff_item(fn, ctx, vtc_msr_name(t->msr), f->lo, f->name, "A has it, B does not");
		count++;
	}
	return count;
}

/* SVM: CPUID Fn8000_000A features, revision and ASIDs (APM Vol. 3 App. E). */
static unsigned int diff_svm(const struct vtc_cpu *a, const struct vtc_cpu *b, diff_fn fn,
			     void *ctx)
{
	static const char leaf[] = "CPUID 0x8000000A";
	uint32_t ra[4], rb[4] = { 0, 0, 0, 0 };
	unsigned int i, count = 0;
	char what[128];

	if (!vtc_get_cpuid(a, 0x8000000a, ra))
		return 0;
	vtc_get_cpuid(b, 0x8000000a, rb);
	if ((ra[VTC_EAX] & 0xff) > (rb[VTC_EAX] & 0xff)) {
		snprintf(what, sizeof(what), "A %u, B %u", ra[VTC_EAX] & 0xff, rb[VTC_EAX] & 0xff);
		diff_item(fn, ctx, leaf, -1, "SVM revision", what);
		count++;
	}
	if (ra[VTC_EBX] > rb[VTC_EBX]) {
		snprintf(what, sizeof(what), "A %u, B %u", ra[VTC_EBX], rb[VTC_EBX]);
		diff_item(fn, ctx, leaf, -1, "Number of ASIDs", what);
		count++;
	}
	for (i = 0; i < 32; i++) {
		if (!((ra[VTC_EDX] >> i) & 1) || ((rb[VTC_EDX] >> i) & 1))
			continue;
		diff_item(fn, ctx, leaf, (int)i, vtc_svm_edx_bits[i] ? vtc_svm_edx_bits[i] :
			  "reserved", "A has it, B does not");
		count++;
	}
	return count;
}

unsigned int diff_cpus(const struct vtc_cpu *a, const struct vtc_cpu *b, diff_fn fn, void *ctx)
{
	unsigned int g, count = 0;

	for (g = 0; g < VTC_NR_CTL_GROUPS; g++)
		count += diff_group(a, b, g, fn, ctx);
	count += diff_flags(a, b, vtc_find_msr_table(VTC_MSR_EPT_VPID_CAP), fn, ctx);
	count += diff_flags(a, b, vtc_find_msr_table(VTC_MSR_VMFUNC), fn, ctx);
	count += diff_flags(a, b, vtc_find_msr_table(VTC_MSR_MISC), fn, ctx);
	count += diff_svm(a, b, fn, ctx);
	return count;
}

/* Text form of one difference under a header per group, wrapped at 80 columns. */
void print_diff_item(void *ctx, const struct diff_item *d)
{
	struct diff_printer *p = ctx;
	char text[512];

	if (!p->last || strcmp(p->last, d->where))
		fprintf(p->out, "%s%s:\n", p->indent, d->where);
	p->last = d->where;
	if (d->bit >= 0)
		snprintf(text, sizeof(text), "%s  bit %d %s: %s", p->indent, d->bit, d->name,
			 d->what);
	else
		snprintf(text, sizeof(text), "%s  %s: %s", p->indent, d->name, d->what);
	vtc_emit_wrapped(print_line, p->out, text);
}

void print_line(void *ctx, const char *text)
{
	fprintf(ctx, "%s\n", text);
}

static void count_only(void *ctx, const struct diff_item *d)
{
	(void)ctx;
	(void)d;
}

unsigned int count_differences(const struct vtc_cpu *a, const struct vtc_cpu *b)
{
	return diff_cpus(a, b, count_only, NULL);
}
