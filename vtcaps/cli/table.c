// SPDX-License-Identifier: GPL-2.0
/*
 * --table: one row per control or capability flag, one column per source,
 * in the spirit of QEMU's vmxcap (but sources side by side).  Cells:
 *   yes     the control can be set and cleared (TRUE MSR answer where it exists)
 *   no      it cannot be set
 *   forced  it can only be 1
 *   -       the MSR is absent (or the source is of the other vendor)
 */
#include <string.h>

#include "cli.h"
#include "tables.h"

#define CELL 10		/* cell width (0x and 8 hex digits); one blank before each */
#define PER_BLOCK 4	/* columns per block: 80 columns hold a 34-char name and 4 cells */

struct table {
	const struct vtc_cpu *cpus;
	unsigned int first, n;	/* the columns of this block */
	unsigned int name_width;
	FILE *out;
};

static void row(const struct table *t, const char *name, const char *const *cells)
{
	unsigned int i;

	/* a longer name gets a line of its own, the cells the next one */
	if (strlen(name) > t->name_width) {
		fprintf(t->out, "  %s\n", name);
		name = "";
	}
	fprintf(t->out, "  %-*s", (int)t->name_width, name);
	for (i = 0; i < t->n; i++)
		fprintf(t->out, " %*s", CELL, cells[i]);
	fputc('\n', t->out);
}

static bool any_vendor(const struct table *t, enum vtc_vendor v)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (vtc_vendor(&t->cpus[t->first + i]) == v)
			return true;
	return false;
}

static const char *ctl_cell(const struct vtc_cpu *c, enum vtc_ctl_group g, unsigned int bit)
{
	struct vtc_ctl_bit r;
	bool clear;

	if (!vtc_ctl_eval(c, g, bit, &r))
		return "-";
	clear = r.can_clear_true >= 0 ? r.can_clear_true : r.can_clear;
	if (!r.can_set)
		return "no";
	return clear ? "yes" : "forced";
}

static void ctl_groups(const struct table *t)
{
	const char *cells[PER_BLOCK];
	unsigned int g, bit, i;

	for (g = 0; g < VTC_NR_CTL_GROUPS; g++) {
		const struct vtc_ctl_table *ct = &vtc_ctl_tables[g];

		fprintf(t->out, "%s (%#x)\n", ct->title, ct->msr);
		for (bit = 0; bit < ct->width; bit++) {
			if (!ct->names[bit])
				continue;
			for (i = 0; i < t->n; i++)
				cells[i] = ctl_cell(&t->cpus[t->first + i], g, bit);
			row(t, ct->names[bit], cells);
		}
	}
}

/* Flags and numbers of one capability MSR. */
static void msr_fields(const struct table *t, const struct vtc_msr_table *mt)
{
	char buf[PER_BLOCK][24];
	const char *cells[PER_BLOCK];
	unsigned int f, i;
	uint64_t v;

	fprintf(t->out, "%s (%#x)\n", vtc_msr_name(mt->msr), mt->msr);
	for (f = 0; f < mt->nfields; f++) {
		const struct vtc_field *fd = &mt->fields[f];
		unsigned int width = fd->hi - fd->lo + 1;

		for (i = 0; i < t->n; i++) {
			uint64_t x;

			cells[i] = "-";
			if (!vtc_get_msr(&t->cpus[t->first + i], mt->msr, &v))
				continue;
			x = v >> fd->lo;
			if (width < 64)
				x &= (1ull << width) - 1;
			if (fd->fmt == VTC_F_FLAG)
				cells[i] = x ? "yes" : "no";
			else if (fd->fmt == VTC_F_HEX)
				snprintf(buf[i], sizeof(buf[i]), "%#llx", (unsigned long long)x);
			else if (fd->fmt == VTC_F_MSRLIST)
				snprintf(buf[i], sizeof(buf[i]), "%llu", 512ull * (x + 1));
			else
				snprintf(buf[i], sizeof(buf[i]), "%llu", (unsigned long long)x);
			if (fd->fmt != VTC_F_FLAG)
				cells[i] = buf[i];
		}
		row(t, fd->name, cells);
	}
}

static void svm_rows(const struct table *t)
{
	char buf[PER_BLOCK][24];
	const char *cells[PER_BLOCK];
	unsigned int i, bit;
	uint32_t r[4];

	fprintf(t->out, "SVM (CPUID 0x8000000A)\n");
	for (i = 0; i < t->n; i++) {
		cells[i] = "-";
		if (vtc_get_cpuid(&t->cpus[t->first + i], 0x8000000a, r)) {
			snprintf(buf[i], sizeof(buf[i]), "%u", r[VTC_EBX]);
			cells[i] = buf[i];
		}
	}
	row(t, "Number of ASIDs", cells);
	for (bit = 0; bit < 32; bit++) {
		if (!vtc_svm_edx_bits[bit])
			continue;
		for (i = 0; i < t->n; i++) {
			cells[i] = "-";
			if (vtc_get_cpuid(&t->cpus[t->first + i], 0x8000000a, r))
				cells[i] = (r[VTC_EDX] >> bit) & 1 ? "yes" : "no";
		}
		row(t, vtc_svm_edx_bits[bit], cells);
	}
}

static void block(const struct table *t, const char *const *names)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		fprintf(t->out, "%u = %s\n", t->first + i + 1, names[t->first + i]);
	fprintf(t->out, "%-*s", (int)t->name_width + 2, "");
	for (i = 0; i < t->n; i++)
		fprintf(t->out, " %*u", CELL, t->first + i + 1);
	fputc('\n', t->out);
	if (any_vendor(t, VTC_VENDOR_INTEL)) {
		ctl_groups(t);
		for (i = 0; i < vtc_nr_msr_tables; i++)
			if (vtc_msr_tables[i].msr != VTC_MSR_FEATURE_CONTROL)
				msr_fields(t, &vtc_msr_tables[i]);
	}
	if (any_vendor(t, VTC_VENDOR_AMD))
		svm_rows(t);
}

void print_caps_table(const char *const *names, const struct vtc_cpu *cpus, unsigned int n, FILE *out)
{
	struct table t = { .cpus = cpus, .out = out };

	fprintf(out, "# yes: can be set and cleared, no: cannot be set, forced: must be 1,\n"
		"# -: absent\n");
	for (t.first = 0; t.first < n; t.first += PER_BLOCK) {
		t.n = n - t.first < PER_BLOCK ? n - t.first : PER_BLOCK;
		t.name_width = 80 - 2 - t.n * (CELL + 1);
		if (t.first)
			fputc('\n', out);
		block(&t, names);
	}
}
