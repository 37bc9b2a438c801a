// SPDX-License-Identifier: GPL-2.0
/*
 * The human-readable report: the course format for the control groups,
 * then every other capability MSR (or the SVM CPUID leaf) field by field.
 */
#include "tables.h"

struct out {
	vtc_line_fn line;
	void *ctx;
	unsigned int flags;
	char text[VTC_LINE_MAX + 1];
	struct vtc_buf b;
};

static struct vtc_buf *begin(struct out *o)
{
	vtc_buf_init(&o->b, o->text, sizeof(o->text));
	return &o->b;
}

static void end(struct out *o)
{
	vtc_emit_wrapped(o->line, o->ctx, o->text);
}

static void emit(struct out *o, const char *s)
{
	vtc_puts(begin(o), s);
	end(o);
}

static bool is_lower(char ch)
{
	return ch >= 'a' && ch <= 'z';
}

static bool is_upper(char ch)
{
	return ch >= 'A' && ch <= 'Z';
}

/*
 * A word is capitalised only when the rest of it is lower case ("x2APIC"
 * stays) and it is not a short joining word ("Acknowledge Interrupt on Exit").
 */
static bool word_capitalises(const char *s)
{
	static const char *const small[] = { "and", "for", "from", "in", "of", "on", "to",
					     "with" };
	unsigned int i, n;

	for (n = 1; s[n] && s[n] != ' ' && s[n] != '-'; n++)
		if (is_upper(s[n]))
			return false;
	for (i = 0; i < ARRAY_SIZE(small); i++) {
		const char *w = small[i];
		unsigned int k = 0;

		while (k < n && w[k] == s[k])
			k++;
		if (k == n && !w[k])
			return false;
	}
	return true;
}

/*
 * Course-style title case of an SDM name: "External-interrupt exiting"
 * becomes "External Interrupt Exiting"; "IA-32e mode guest" keeps its
 * hyphen because a digit follows it.
 */
static void put_title(struct vtc_buf *b, const char *name)
{
	bool word_start = true;
	const char *s;

	for (s = name; *s; s++) {
		char ch = *s;

		if (ch == '-' && is_lower(s[1])) {
			vtc_putc(b, ' ');
			word_start = true;
			continue;
		}
		if (word_start && is_lower(ch) && (s == name || word_capitalises(s)))
			ch = (char)(ch - 'a' + 'A');
		vtc_putc(b, ch);
		word_start = ch == ' ';
	}
}

static const char *yes_no(bool v)
{
	return v ? "Yes" : "No";
}

static void put_linux_name(struct out *o, struct vtc_buf *b, u32 msr, unsigned int bit)
{
	const struct vtc_linux_flag *f;

	if (!(o->flags & VTC_REPORT_LINUX_NAMES))
		return;
	f = vtc_linux_flag_for(msr, bit);
	if (f) {
		vtc_puts(b, " [linux: ");
		vtc_puts(b, f->name);
		vtc_putc(b, ']');
	}
}

/* "<title> MSR: 0x..." or an explanation of why there is no value. */
static bool header(struct out *o, const struct vtc_cpu *c, const char *title, u32 msr,
		   u64 *v)
{
	struct vtc_buf *b = begin(o);
	bool ok = vtc_get_msr(c, msr, v);

	vtc_puts(b, title);
	vtc_puts(b, " MSR: ");
	if (ok) {
		vtc_puthex(b, *v, 1);
	} else if (vtc_msr_faulted(c, msr)) {
		vtc_puts(b, "read faulted (");
		vtc_puthex(b, msr, 1);
		vtc_puts(b, ")");
	} else if (vtc_missing_msrs(c) & (1u << vtc_msr_slot(msr))) {
		vtc_puts(b, "not in the input");
	} else {
		vtc_puts(b, "absent");
		if (vtc_strcmp(title, vtc_msr_name(msr))) {
			vtc_puts(b, " (");
			vtc_puts(b, vtc_msr_name(msr));
			vtc_puts(b, ")");
		}
		end(o);
		b = begin(o);
		vtc_puts(b, "  (");
		vtc_puts(b, vtc_msr_rule(msr));
		vtc_puts(b, ")");
	}
	end(o);
	return ok;
}

static void put_reserved(struct vtc_buf *b, unsigned int bit, bool default1)
{
	vtc_puts(b, "  Reserved (bit ");
	vtc_putdec(b, bit);
	vtc_puts(b, default1 ? ", default1)" : ")");
}

static void report_ctl_bit(struct out *o, const struct vtc_cpu *c, enum vtc_ctl_group g,
			   unsigned int bit)
{
	const struct vtc_ctl_table *t = &vtc_ctl_tables[g];
	const char *name = t->names[bit];
	bool default1 = (t->default1 >> bit) & 1;
	struct vtc_ctl_bit r;
	struct vtc_buf *b;

	if (!vtc_ctl_eval(c, g, bit, &r))
		return;
	/* A reserved bit is shown when it is set in either half of the MSR. */
	if (!name && !r.can_set && r.can_clear)
		return;

	b = begin(o);
	if (name) {
		vtc_puts(b, "  ");
		put_title(b, name);
	} else {
		put_reserved(b, bit, default1);
	}
	vtc_puts(b, ": Can set=");
	vtc_puts(b, yes_no(r.can_set));
	vtc_puts(b, ", Can clear=");
	vtc_puts(b, yes_no(r.can_clear));
	if (r.can_clear_true >= 0 && r.can_clear_true != r.can_clear) {
		vtc_puts(b, " (TRUE MSR: Can clear=");
		vtc_puts(b, yes_no(r.can_clear_true));
		vtc_puts(b, ")");
	}
	put_linux_name(o, b, t->msr, t->width == 64 ? bit : 32 + bit);
	end(o);
}

static void report_ctl_group(struct out *o, const struct vtc_cpu *c, enum vtc_ctl_group g)
{
	const struct vtc_ctl_table *t = &vtc_ctl_tables[g];
	struct vtc_buf *b;
	unsigned int bit;
	u64 v, tv;

	if (!header(o, c, t->title, t->msr, &v))
		return;
	if (t->true_msr && vtc_get_msr(c, t->true_msr, &tv)) {
		b = begin(o);
		vtc_puts(b, "  (");
		vtc_puts(b, vtc_msr_name(t->true_msr));
		vtc_puts(b, ": ");
		vtc_puthex(b, tv, 1);
		vtc_puts(b, ")");
		end(o);
	}
	for (bit = 0; bit < t->width; bit++)
		report_ctl_bit(o, c, g, bit);
}

static void put_field_value(struct vtc_buf *b, const struct vtc_field *f, u64 v)
{
	switch (f->fmt) {
	case VTC_F_FLAG:
		vtc_puts(b, yes_no(v));
		break;
	case VTC_F_DEC:
		vtc_putdec(b, v);
		break;
	case VTC_F_HEX:
		vtc_puthex(b, v, 1);
		break;
	case VTC_F_MEMTYPE:
		/* SDM Table A-1: 0 uncacheable, 6 write-back, others not used */
		vtc_putdec(b, v);
		vtc_puts(b, v == 0 ? " (uncacheable)" : v == 6 ? " (write-back)" : " (reserved)");
		break;
	case VTC_F_MSRLIST:
		vtc_putdec(b, 512 * (v + 1));
		break;
	}
}

static void report_fields(struct out *o, const struct vtc_msr_table *t, u64 v)
{
	u64 reserved = v & ~vtc_fields_mask(t);
	struct vtc_buf *b;
	unsigned int i;

	for (i = 0; i < t->nfields; i++) {
		const struct vtc_field *f = &t->fields[i];
		unsigned int width = f->hi - f->lo + 1;
		u64 x = v >> f->lo;

		if (width < 64)
			x &= (1ull << width) - 1;
		b = begin(o);
		vtc_puts(b, "  ");
		vtc_puts(b, f->name);
		vtc_puts(b, ": ");
		put_field_value(b, f, x);
		if (width == 1)
			put_linux_name(o, b, t->msr, f->lo);
		end(o);
	}
	for (i = 0; i < 64; i++) {
		if (!((reserved >> i) & 1))
			continue;
		b = begin(o);
		put_reserved(b, i, false);
		vtc_puts(b, ": set");
		end(o);
	}
}

static void report_msr(struct out *o, const struct vtc_cpu *c, const struct vtc_msr_table *t)
{
	u64 v;

	if (header(o, c, vtc_msr_name(t->msr), t->msr, &v))
		report_fields(o, t, v);
}

/* Names of the bits in mask; unnamed (reserved) bits only when all_bits. */
static void put_cr_bits(struct vtc_buf *b, const char *const names[64], u64 mask,
			bool all_bits)
{
	unsigned int i;
	bool any = false;

	for (i = 0; i < 64; i++) {
		if (!((mask >> i) & 1) || (!names[i] && !all_bits))
			continue;
		vtc_putc(b, ' ');
		if (names[i]) {
			vtc_puts(b, names[i]);
		} else {
			vtc_puts(b, "bit");
			vtc_putdec(b, i);
		}
		any = true;
	}
	if (!any)
		vtc_puts(b, " none");
}

/* SDM A.7/A.8: FIXED0 bits must be 1; bits clear in FIXED1 must be 0. */
static void report_fixed(struct out *o, const struct vtc_cpu *c, const char *cr,
			 u32 msr0, const char *const names[64])
{
	u64 f0, f1;
	struct vtc_buf *b;
	bool ok0 = header(o, c, vtc_msr_name(msr0), msr0, &f0);
	bool ok1 = header(o, c, vtc_msr_name(msr0 + 1), msr0 + 1, &f1);

	if (!ok0 || !ok1)
		return;
	b = begin(o);
	vtc_puts(b, "  ");
	vtc_puts(b, cr);
	vtc_puts(b, " bits fixed to 1 in VMX operation:");
	put_cr_bits(b, names, f0, true);
	end(o);
	b = begin(o);
	vtc_puts(b, "  ");
	vtc_puts(b, cr);
	vtc_puts(b, " bits the guest may choose (defined bits):");
	put_cr_bits(b, names, f1 & ~f0, false);
	end(o);
}

/* "  Not in the input: IA32_VMX_BASIC (0x480), ..." for partial dumps. */
static void put_missing_line(struct out *o, const struct vtc_cpu *c)
{
	u32 missing = vtc_missing_msrs(c);
	struct vtc_buf *b;
	const char *sep = "";
	unsigned int slot;

	if (!missing)
		return;
	b = begin(o);
	vtc_puts(b, "  Not in the input:");
	for (slot = 0; slot < VTC_NR_MSRS; slot++) {
		if (!(missing & (1u << slot)))
			continue;
		vtc_puts(b, sep);
		vtc_puts(b, " ");
		vtc_puts(b, vtc_msr_name(vtc_msr_index(slot)));
		vtc_puts(b, " (");
		vtc_puthex(b, vtc_msr_index(slot), 1);
		vtc_puts(b, ")");
		sep = ",";
	}
	end(o);
}

static void put_vendor_line(struct out *o, const struct vtc_cpu *c)
{
	static const char *const vendors[] = { "unknown vendor", "Intel", "AMD" };
	struct vtc_buf *b = begin(o);

	vtc_puts(b, "CPU ");
	vtc_putdec(b, c->cpu);
	vtc_puts(b, ": ");
	vtc_puts(b, vendors[vtc_vendor(c)]);
	vtc_puts(b, ", ");
	vtc_puts(b, vtc_state_text(vtc_status(c)));
	end(o);
	put_missing_line(o, c);
}

static void report_intel(struct out *o, const struct vtc_cpu *c)
{
	unsigned int g, i;

	if (vtc_status(c) == VTC_NO_VMX) {
		report_msr(o, c, vtc_find_msr_table(VTC_MSR_FEATURE_CONTROL));
		return;
	}
	for (g = 0; g < VTC_NR_CTL_GROUPS; g++)
		report_ctl_group(o, c, g);
	if (o->flags & VTC_REPORT_CONTROLS_ONLY)
		return;
	for (i = 0; i < vtc_nr_msr_tables; i++) {
		report_msr(o, c, &vtc_msr_tables[i]);
		if (vtc_msr_tables[i].msr == VTC_MSR_MISC) {
			report_fixed(o, c, "CR0", VTC_MSR_CR0_FIXED0, vtc_cr0_bits);
			report_fixed(o, c, "CR4", VTC_MSR_CR4_FIXED0, vtc_cr4_bits);
		}
	}
}

static void report_amd(struct out *o, const struct vtc_cpu *c)
{
	u32 r[4];
	struct vtc_buf *b;
	unsigned int i;
	u64 v;

	b = begin(o);
	vtc_puts(b, "CPUID 0x8000000A: ");
	if (!vtc_get_cpuid(c, 0x8000000a, r)) {
		vtc_puts(b, "absent (exists only when CPUID 0x80000001:ECX.SVM[2] is 1)");
		end(o);
	} else {
		vtc_puts(b, "EAX=");
		vtc_puthex(b, r[VTC_EAX], 1);
		vtc_puts(b, " EBX=");
		vtc_puthex(b, r[VTC_EBX], 1);
		vtc_puts(b, " ECX=");
		vtc_puthex(b, r[VTC_ECX], 1);
		vtc_puts(b, " EDX=");
		vtc_puthex(b, r[VTC_EDX], 1);
		end(o);
		b = begin(o);
		vtc_puts(b, "  SVM revision: ");
		vtc_putdec(b, r[VTC_EAX] & 0xff);
		end(o);
		b = begin(o);
		vtc_puts(b, "  Number of ASIDs: ");
		vtc_putdec(b, r[VTC_EBX]);
		end(o);
		for (i = 0; i < 32; i++) {
			bool set = (r[VTC_EDX] >> i) & 1;

			if (!vtc_svm_edx_bits[i] && !set)
				continue;
			b = begin(o);
			if (vtc_svm_edx_bits[i]) {
				vtc_puts(b, "  ");
				vtc_puts(b, vtc_svm_edx_bits[i]);
				vtc_puts(b, ": ");
				vtc_puts(b, yes_no(set));
			} else {
				put_reserved(b, i, false);
				vtc_puts(b, ": set");
			}
			end(o);
		}
	}
	if (header(o, c, "VM_CR", VTC_MSR_AMD_VM_CR, &v))
		report_fields(o, &vtc_vm_cr_table, v);
}

void vtc_report(const struct vtc_cpu *c, unsigned int flags, vtc_line_fn line, void *ctx)
{
	struct out o;

	o.line = line;
	o.ctx = ctx;
	o.flags = flags;
	put_vendor_line(&o, c);
	switch (vtc_vendor(c)) {
	case VTC_VENDOR_INTEL:
		report_intel(&o, c);
		break;
	case VTC_VENDOR_AMD:
		report_amd(&o, c);
		break;
	default:
		emit(&o, "  (no VMX or SVM capability data)");
		break;
	}
}
