// SPDX-License-Identifier: GPL-2.0
/*
 * --json output.  The schema is documented in docs/vtcaps.md; bump
 * SCHEMA_VERSION on any incompatible change.
 */
#include "cli.h"
#include "tables.h"

#define SCHEMA_VERSION 1

void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static const char *const vendor_keys[] = { "unknown", "intel", "amd" };

const char *vendor_key(enum vtc_vendor v)
{
	return vendor_keys[v];
}

static const char *state_key(enum vtc_state s)
{
	static const char *const keys[] = {
		[VTC_VMX_OK] = "vmx_ok", [VTC_SVM_OK] = "svm_ok", [VTC_NO_DATA] = "no_data",
		[VTC_NOT_INTEL_OR_AMD] = "not_intel_or_amd", [VTC_NO_VMX] = "no_vmx",
		[VTC_VMX_DISABLED] = "vmx_disabled", [VTC_NO_SVM] = "no_svm",
		[VTC_SVM_DISABLED] = "svm_disabled",
	};

	return keys[s];
}

static void json_tri(FILE *out, int v)
{
	fputs(v < 0 ? "null" : v ? "true" : "false", out);
}

/* "0x%016llx", null (faulted) or "absent" */
static void print_msr_json(const struct vtc_cpu *c, unsigned int slot, FILE *out)
{
	if (c->msr_valid & (1u << slot))
		fprintf(out, "\"0x%016llx\"", (unsigned long long)c->msr[slot]);
	else if (c->msr_fault & (1u << slot))
		fputs("null", out);
	else
		fputs("\"absent\"", out);
}

static void print_raw(const struct vtc_cpu *c, FILE *out)
{
	unsigned int slot, r;
	const char *sep = "";

	fputs("      \"msrs\": {", out);
	for (slot = 0; slot < VTC_NR_MSRS; slot++) {
		bool valid = c->msr_valid & (1u << slot);

		if (!valid && !(c->msr_fault & (1u << slot)))
			continue;
		fprintf(out, "%s\"0x%x\": ", sep, vtc_msr_index(slot));
		if (valid)
			fprintf(out, "\"0x%016llx\"", (unsigned long long)c->msr[slot]);
		else
			fputs("null", out);
		sep = ", ";
	}
	fputs("},\n      \"cpuid\": {", out);
	sep = "";
	for (slot = 0; slot < VTC_NR_CPUID; slot++) {
		if (!(c->cpuid_valid & (1u << slot)))
			continue;
		fprintf(out, "%s\"0x%08x\": [", sep, vtc_cpuid_leaf(slot));
		for (r = 0; r < 4; r++)
			fprintf(out, "%s\"0x%08x\"", r ? ", " : "", c->cpuid[slot][r]);
		fputs("]", out);
		sep = ", ";
	}
	fputs("},\n", out);
}

static void print_group(const struct vtc_cpu *c, enum vtc_ctl_group g, FILE *out)
{
	const struct vtc_ctl_table *t = &vtc_ctl_tables[g];
	const char *sep = "\n";
	struct vtc_ctl_bit r;
	unsigned int bit;

	fprintf(out, "        \"%s\": ", t->key);
	if (!vtc_ctl_eval(c, g, 0, &r)) {
		fputs("null", out);
		return;
	}
	fputs("[", out);
	for (bit = 0; bit < t->width; bit++) {
		const struct vtc_linux_flag *f;

		vtc_ctl_eval(c, g, bit, &r);
		if (!t->names[bit] && !r.can_set && r.can_clear)
			continue;	/* reserved and not set in either half */
		fprintf(out, "%s          {\"bit\": %u, \"name\": ", sep, bit);
		json_str(out, t->names[bit] ? t->names[bit] : "reserved");
		fprintf(out, ", \"can_set\": %s, \"can_clear\": %s, \"can_clear_true\": ",
			r.can_set ? "true" : "false", r.can_clear ? "true" : "false");
		json_tri(out, r.can_clear_true);
		f = vtc_linux_flag_for(t->msr, t->width == 64 ? bit : 32 + bit);
		fputs(", \"linux_flag\": ", out);
		if (f)
			json_str(out, f->name);
		else
			fputs("null", out);
		fputs("}", out);
		sep = ",\n";
	}
	fputs("\n        ]", out);
}

static void print_field(const struct vtc_field *f, uint64_t v, FILE *out)
{
	unsigned int width = f->hi - f->lo + 1;
	uint64_t x = v >> f->lo;

	if (width < 64)
		x &= (1ull << width) - 1;
	json_str(out, f->name);
	fputs(": ", out);
	if (f->fmt == VTC_F_FLAG)
		fputs(x ? "true" : "false", out);
	else if (f->fmt == VTC_F_MSRLIST)
		fprintf(out, "%llu", 512ull * (x + 1));
	else
		fprintf(out, "%llu", (unsigned long long)x);
}

static void print_table(const struct vtc_cpu *c, const struct vtc_msr_table *t, const char *sep,
			FILE *out)
{
	uint64_t v, reserved;
	unsigned int i;
	const char *rsep = "";

	fprintf(out, "%s        ", sep);
	json_str(out, vtc_msr_name(t->msr));
	fputs(": ", out);
	if (!vtc_get_msr(c, t->msr, &v)) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"value\": \"0x%016llx\", \"fields\": {", (unsigned long long)v);
	for (i = 0; i < t->nfields; i++) {
		if (i)
			fputs(", ", out);
		print_field(&t->fields[i], v, out);
	}
	fputs("}, \"reserved_bits_set\": [", out);
	reserved = v & ~vtc_fields_mask(t);
	for (i = 0; i < 64; i++)
		if ((reserved >> i) & 1) {
			fprintf(out, "%s%u", rsep, i);
			rsep = ", ";
		}
	fputs("]}", out);
}

static void print_svm(const struct vtc_cpu *c, FILE *out)
{
	uint32_t r[4];
	unsigned int i;
	const char *sep = "";

	fputs("      \"svm\": ", out);
	if (!vtc_get_cpuid(c, 0x8000000a, r)) {
		fputs("null,\n", out);
		return;
	}
	fprintf(out, "{\"revision\": %u, \"asids\": %u, \"features\": {", r[VTC_EAX] & 0xff,
		r[VTC_EBX]);
	for (i = 0; i < 32; i++) {
		if (!vtc_svm_edx_bits[i])
			continue;
		fprintf(out, "%s\"%s\": %s", sep, vtc_svm_edx_bits[i],
			(r[VTC_EDX] >> i) & 1 ? "true" : "false");
		sep = ", ";
	}
	fputs("}, \"reserved_edx_bits_set\": [", out);
	sep = "";
	for (i = 0; i < 32; i++)
		if (!vtc_svm_edx_bits[i] && ((r[VTC_EDX] >> i) & 1)) {
			fprintf(out, "%s%u", sep, i);
			sep = ", ";
		}
	fputs("]},\n", out);
}

static void collect_flag(void *ctx, const char *text)
{
	FILE *out = ctx;
	const char *p = text;
	const char *sep = "";

	/* "vmx flags\t: a b c" -> "a", "b", "c" */
	while (*p && *p != ':')
		p++;
	if (*p)
		p++;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		fprintf(out, "%s\"", sep);
		while (*p && *p != ' ')
			fputc(*p++, out);
		fputc('"', out);
		sep = ", ";
	}
}

static void print_linux(const struct vtc_cpu *c, FILE *out)
{
	fputs("      \"linux_vmx_flags\": {\"6.1\": [", out);
	vtc_report_linux_flags(c, VTC_LINUX_6_1, collect_flag, out);
	fputs("], \"6.12\": [", out);
	vtc_report_linux_flags(c, VTC_LINUX_6_12, collect_flag, out);
	fputs("]},\n      \"linux_no_vmx_flags_reason\": ", out);
	if (vtc_linux_no_flags_reason(c))
		json_str(out, vtc_linux_no_flags_reason(c));
	else
		fputs("null", out);
	fputs("\n", out);
}

/* MSRs that exist by the values present but are not in the input */
static void print_missing(const struct vtc_cpu *c, FILE *out)
{
	u32 missing = vtc_missing_msrs(c);
	const char *sep = "";
	unsigned int slot;

	fputs("      \"missing_msrs\": [", out);
	for (slot = 0; slot < VTC_NR_MSRS; slot++)
		if (missing & (1u << slot)) {
			fprintf(out, "%s\"0x%x\"", sep, vtc_msr_index(slot));
			sep = ", ";
		}
	fputs("],\n", out);
}

static void print_cpu(const struct vtc_cpu *c, FILE *out)
{
	unsigned int g, i;
	const char *sep = "\n";

	fprintf(out, "    {\n      \"cpu\": %u,\n      \"vendor\": \"%s\",\n", c->cpu,
		vendor_keys[vtc_vendor(c)]);
	fprintf(out, "      \"status\": \"%s\",\n      \"status_text\": ",
		state_key(vtc_status(c)));
	json_str(out, vtc_state_text(vtc_status(c)));
	fputs(",\n", out);
	print_missing(c, out);
	print_raw(c, out);
	fputs("      \"controls\": {\n", out);
	for (g = 0; g < VTC_NR_CTL_GROUPS; g++) {
		print_group(c, g, out);
		fputs(g + 1 < VTC_NR_CTL_GROUPS ? ",\n" : "\n", out);
	}
	fputs("      },\n      \"capabilities\": {", out);
	for (i = 0; i < vtc_nr_msr_tables; i++) {
		print_table(c, &vtc_msr_tables[i], sep, out);
		sep = ",\n";
	}
	print_table(c, &vtc_vm_cr_table, sep, out);
	fputs("\n      },\n", out);
	print_svm(c, out);
	print_linux(c, out);
	fputs("    }", out);
}

/* MSRs whose state differs from the first CPU's, by CPU and MSR. */
static void print_differences(const struct host *h, FILE *out)
{
	const struct vtc_cpu *ref = &h->cpus[0];
	const char *sep = "\n";
	unsigned int i, slot;

	fputs("  \"differences\": [", out);
	for (i = 1; i < h->ncpus; i++) {
		const struct vtc_cpu *c = &h->cpus[i];

		for (slot = 0; slot < VTC_NR_MSRS; slot++) {
			u32 bit = 1u << slot;

			if ((c->msr_valid & bit) == (ref->msr_valid & bit) &&
			    (c->msr_fault & bit) == (ref->msr_fault & bit) &&
			    (!(c->msr_valid & bit) || c->msr[slot] == ref->msr[slot]))
				continue;
			fprintf(out, "%s    {\"cpu\": %u, \"msr\": \"0x%x\", \"value\": ", sep,
				c->cpu, vtc_msr_index(slot));
			print_msr_json(c, slot, out);
			fprintf(out, ", \"reference_cpu\": %u, \"reference_value\": ", ref->cpu);
			print_msr_json(ref, slot, out);
			fputs("}", out);
			sep = ",\n";
		}
	}
	fputs(*sep == ',' ? "\n  ],\n" : "],\n", out);
}

void print_json(const struct host *h, FILE *out)
{
	unsigned int i;

	fprintf(out, "{\n  \"schema\": %d,\n  \"source\": ", SCHEMA_VERSION);
	json_str(out, h->name);
	fputs(",\n", out);
	print_differences(h, out);
	fputs("  \"cpus\": [\n", out);
	for (i = 0; i < h->ncpus; i++) {
		print_cpu(&h->cpus[i], out);
		fputs(i + 1 < h->ncpus ? ",\n" : "\n", out);
	}
	fputs("  ]\n}\n", out);
}
