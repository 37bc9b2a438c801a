// SPDX-License-Identifier: GPL-2.0
/*
 * The dump format (docs/vtcaps.md): writer and parser.  The parser takes
 * untrusted text (files, fuzzing) and must never read outside its buffer.
 */
#include "vtcaps.h"

void vtc_dump(const struct vtc_cpu *c, vtc_line_fn line, void *ctx)
{
	char text[VTC_LINE_MAX + 1];
	struct vtc_buf b;
	unsigned int slot, r;

	for (slot = 0; slot < VTC_NR_CPUID; slot++) {
		if (!(c->cpuid_valid & (1u << slot)))
			continue;
		vtc_buf_init(&b, text, sizeof(text));
		vtc_putdec(&b, c->cpu);
		vtc_puts(&b, " cpuid ");
		vtc_puthex(&b, vtc_cpuid_leaf(slot), 8);
		for (r = 0; r < 4; r++) {
			vtc_putc(&b, ' ');
			vtc_puthex(&b, c->cpuid[slot][r], 8);
		}
		line(ctx, text);
	}
	for (slot = 0; slot < VTC_NR_MSRS; slot++) {
		bool valid = c->msr_valid & (1u << slot);

		if (!valid && !(c->msr_fault & (1u << slot)))
			continue;
		vtc_buf_init(&b, text, sizeof(text));
		vtc_putdec(&b, c->cpu);
		vtc_putc(&b, ' ');
		vtc_puthex(&b, vtc_msr_index(slot), 3);
		vtc_putc(&b, ' ');
		if (valid)
			vtc_puthex(&b, c->msr[slot], 16);
		else
			vtc_putc(&b, '-');
		line(ctx, text);
	}
}

/* ---- parser ---- */

#define MAX_TOKENS 7

struct token {
	const char *p;
	size_t len;
};

static bool tok_is(const struct token *t, const char *s)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		if (!s[i] || s[i] != t->p[i])
			return false;
	return !s[i];
}

static bool parse_dec(const struct token *t, u32 max, u32 *out)
{
	u64 v = 0;
	size_t i;

	if (!t->len || t->len > 10)
		return false;
	for (i = 0; i < t->len; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return false;
		v = v * 10 + (u64)(t->p[i] - '0');
	}
	if (v > max)
		return false;
	*out = (u32)v;
	return true;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "0x" followed by 1..max_digits hex digits */
static bool parse_hex(const struct token *t, unsigned int max_digits, u64 *out)
{
	u64 v = 0;
	size_t i;

	if (t->len < 3 || t->len > 2 + max_digits || t->p[0] != '0' ||
	    (t->p[1] != 'x' && t->p[1] != 'X'))
		return false;
	for (i = 2; i < t->len; i++) {
		int d = hex_digit(t->p[i]);

		if (d < 0)
			return false;
		v = (v << 4) | (u64)d;
	}
	*out = v;
	return true;
}

/* Split one line (comment already removed) into at most MAX_TOKENS + 1 tokens. */
static unsigned int tokenize(const char *p, size_t len, struct token tok[MAX_TOKENS + 1])
{
	unsigned int n = 0;
	size_t i = 0;

	while (i < len) {
		size_t start;

		while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			i++;
		tok[n].p = p + start;
		tok[n].len = i - start;
		if (++n > MAX_TOKENS)
			break;
	}
	return n;
}

static struct vtc_cpu *find_cpu(struct vtc_cpu *cpus, unsigned int *n, unsigned int max,
				u32 cpu)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (cpus[i].cpu == cpu)
			return &cpus[i];
	if (*n >= max)
		return NULL;
	vtc_cpu_init(&cpus[*n], cpu);
	return &cpus[(*n)++];
}

static const char *parse_cpuid(struct vtc_cpu *c, const struct token *tok, unsigned int n)
{
	u64 leaf, regs[4];
	unsigned int r;
	int slot;

	if (n != 7)
		return "a cpuid line needs 7 fields: CPU cpuid LEAF EAX EBX ECX EDX";
	if (!parse_hex(&tok[2], 8, &leaf))
		return "CPUID leaf must be hex with 0x prefix, at most 8 digits";
	for (r = 0; r < 4; r++)
		if (!parse_hex(&tok[3 + r], 8, &regs[r]))
			return "CPUID register must be hex with 0x prefix, at most 8 digits";
	slot = vtc_cpuid_slot((u32)leaf);
	if (slot < 0)
		return "CPUID leaf not recorded (0x0, 0x1, 0x80000000, 0x80000001, 0x8000000a)";
	if (c->cpuid_valid & (1u << slot))
		return "duplicate CPUID leaf for this CPU";
	vtc_set_cpuid(c, (u32)leaf, (u32)regs[0], (u32)regs[1],
		      (u32)regs[2], (u32)regs[3]);
	return NULL;
}

static const char *parse_msr(struct vtc_cpu *c, const struct token *tok, unsigned int n)
{
	u64 msr, value;
	int slot;

	if (n != 3)
		return "expected 3 fields: CPU MSR VALUE (or CPU MSR - for a faulted read)";
	if (!parse_hex(&tok[1], 8, &msr))
		return "MSR index must be hex with 0x prefix, at most 8 digits";
	slot = vtc_msr_slot((u32)msr);
	if (slot < 0)
		return "MSR not recorded by vtcaps (0x3a, 0x480-0x493, 0xc0010114)";
	if ((c->msr_valid | c->msr_fault) & (1u << slot))
		return "duplicate MSR for this CPU";
	if (tok_is(&tok[2], "-")) {
		vtc_set_msr_fault(c, (u32)msr);
		return NULL;
	}
	if (!parse_hex(&tok[2], 16, &value))
		return "MSR value must be hex with 0x prefix, at most 16 digits, or -";
	vtc_set_msr(c, (u32)msr, value);
	return NULL;
}

static const char *parse_line(const char *p, size_t len, struct vtc_cpu *cpus,
			      unsigned int max_cpus, unsigned int *ncpus, bool *data)
{
	struct token tok[MAX_TOKENS + 1];
	struct vtc_cpu *c;
	unsigned int n;
	u32 cpu;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] == '#')
			break;
	n = tokenize(p, i, tok);
	if (!n)
		return NULL;
	if (n > MAX_TOKENS)
		return "too many fields";
	if (!parse_dec(&tok[0], VTC_MAX_CPU_ID, &cpu))
		return "CPU number must be decimal, 0 to 65535";
	if (n < 2)
		return "expected 3 fields: CPU MSR VALUE";
	c = find_cpu(cpus, ncpus, max_cpus, cpu);
	if (!c)
		return "more distinct CPU numbers than the reader holds (vtcaps: 4096)";
	*data = true;
	if (tok_is(&tok[1], "cpuid"))
		return parse_cpuid(c, tok, n);
	return parse_msr(c, tok, n);
}

/* The last token of a line, or NULL. */
static const struct token *last_token(const char *p, size_t len, struct token tok[MAX_TOKENS + 1],
				      unsigned int *n)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] == '#')
			break;
	*n = tokenize(p, i, tok);
	return *n && *n <= MAX_TOKENS ? &tok[*n - 1] : NULL;
}

/*
 * vtc_dump() writes MSR values with 16 digits and CPUID registers with 8;
 * a last line without newline and with a shorter value was most likely cut.
 */
static bool looks_cut(const char *p, size_t len)
{
	struct token tok[MAX_TOKENS + 1];
	unsigned int n;
	const struct token *t = last_token(p, len, tok, &n);

	if (!t)
		return false;
	if (n >= 2 && tok_is(&tok[1], "cpuid"))
		return n < 7 || (n == 7 && t->len < 2 + 8);
	return n < 3 || (n == 3 && !tok_is(t, "-") && t->len < 2 + 16);
}

/* Line of the record (CPU, MSR), for errors found after parsing. */
static unsigned int line_of_msr(const char *buf, size_t len, u32 cpu, u32 msr)
{
	struct token tok[MAX_TOKENS + 1];
	unsigned int lineno = 0, n;
	size_t pos = 0;
	u64 m;
	u32 k;

	while (pos < len) {
		size_t end = pos;

		while (end < len && buf[end] != '\n')
			end++;
		lineno++;
		if (last_token(buf + pos, end - pos, tok, &n) && n == 3 &&
		    parse_dec(&tok[0], VTC_MAX_CPU_ID, &k) && k == cpu &&
		    parse_hex(&tok[1], 8, &m) && m == msr)
			return lineno;
		pos = end + 1;
	}
	return 0;
}

static unsigned int lowest_slot(u32 slots)
{
	unsigned int slot = 0;

	while (!(slots & (1u << slot)))
		slot++;
	return slot;
}

/* What no reader could have recorded; NULL when the CPUs are consistent. */
static const char *check_cpus(const char *buf, size_t len, const struct vtc_cpu *cpus,
			      unsigned int ncpus, struct vtc_parse_error *err)
{
	static const char mixed[] =
		"Intel VMX and AMD SVM values for one CPU: keep one machine's lines per dump";
	enum vtc_vendor first = vtc_vendor(&cpus[0]);
	unsigned int i;

	for (i = 0; i < ncpus; i++) {
		const struct vtc_cpu *c = &cpus[i];
		u32 bad = vtc_impossible_msrs(c);

		err->cpu = c->cpu;
		if (vtc_vendor_mix(c)) {
			err->line = 0;
			return mixed;
		}
		if (vtc_vendor(c) != VTC_VENDOR_UNKNOWN && first != VTC_VENDOR_UNKNOWN &&
		    vtc_vendor(c) != first) {
			err->line = 0;
			return "CPUs of different vendors in one dump: one dump holds one machine";
		}
		if (bad) {
			err->msr = vtc_msr_index(lowest_slot(bad));
			err->line = line_of_msr(buf, len, c->cpu, err->msr);
			return "this MSR cannot exist with the other values of its CPU";
		}
	}
	return NULL;
}

int vtc_parse_dump(const char *buf, size_t len, struct vtc_cpu *cpus, unsigned int max_cpus,
		   struct vtc_parse_error *err)
{
	static const char cut[] =
		"the dump ends in the middle of a value (cut off?): copy it again in full";
	unsigned int ncpus = 0, lineno = 0;
	bool data = false;
	size_t pos = 0;
	const char *reason;

	err->msr = 0;
	err->cpu = 0;
	while (pos < len) {
		size_t end = pos;

		while (end < len && buf[end] != '\n')
			end++;
		lineno++;
		reason = parse_line(buf + pos, end - pos, cpus, max_cpus, &ncpus, &data);
		if (end == len && looks_cut(buf + pos, end - pos))
			reason = cut;
		if (reason) {
			err->line = lineno;
			err->reason = reason;
			return -1;
		}
		pos = end + 1;
	}
	if (!data) {
		err->line = 0;
		err->reason = "no data lines (expected lines like \"0 0x480 0x00da040000000004\")";
		return -1;
	}
	reason = check_cpus(buf, len, cpus, ncpus, err);
	if (reason) {
		err->reason = reason;
		return -1;
	}
	return (int)ncpus;
}
