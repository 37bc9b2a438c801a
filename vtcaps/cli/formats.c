// SPDX-License-Identifier: GPL-2.0
/*
 * The inputs people have besides the dump format, converted to dump text so
 * that one parser (vtcaps/core/dump.c) checks every value the same way:
 *
 *  - the report vtcaps.ko writes to the kernel log, and the course-format
 *    lines of other assignment-1 modules: "Pinbased Controls MSR: 0x..."
 *    headers, "(IA32_VMX_TRUE_...: 0x...)" lines, "CPUID 0x8000000A: EAX=..."
 *    on AMD; captured with dmesg (with or without [timestamps]), journalctl
 *    or syslog, any prefix before the text;
 *  - msr-tools output: "rdmsr -a 0x480" prints one hex value per CPU, no 0x
 *    prefix and no CPU number, so the command lines must be in the capture
 *    (a pasted terminal session, or "for m in ...; do echo rdmsr -a $m;
 *    rdmsr -a $m; done").
 *
 * Each generated dump line remembers the input line it came from, so
 * errors name the user's line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct conv {
	char *text;		/* generated dump text */
	size_t len, cap;
	unsigned int *origin;	/* input line of each generated line */
	unsigned int lines, origin_cap;
	bool oom;
	const char *error;	/* the first line that cannot be read, and why */
	unsigned int error_line;
};

static void conv_line(struct conv *c, unsigned int origin, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void conv_line(struct conv *c, unsigned int origin, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (c->oom || n < 0 || (size_t)n >= sizeof(line) - 1)
		return;
	if (c->len + (size_t)n + 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4096;
		char *p = realloc(c->text, cap);

		if (!p) {
			c->oom = true;
			return;
		}
		c->text = p;
		c->cap = cap;
	}
	if (c->lines >= c->origin_cap) {
		unsigned int cap = c->origin_cap ? c->origin_cap * 2 : 256;
		unsigned int *p = realloc(c->origin, cap * sizeof(*p));

		if (!p) {
			c->oom = true;
			return;
		}
		c->origin = p;
		c->origin_cap = cap;
	}
	memcpy(c->text + c->len, line, (size_t)n);
	c->len += (size_t)n;
	c->text[c->len++] = '\n';
	c->origin[c->lines++] = origin;
}

/* Next line of text[0..len) at *pos, NUL-terminated copy in buf. */
static bool next_line(const char *text, size_t len, size_t *pos, char *buf, size_t size)
{
	size_t n = 0;

	if (*pos >= len)
		return false;
	while (*pos < len && text[*pos] != '\n') {
		if (n + 1 < size && text[*pos] != '\r' && text[*pos] != '\0')
			buf[n++] = text[*pos];
		(*pos)++;
	}
	(*pos)++;
	buf[n] = '\0';
	return true;
}

/* ---- kernel log / course format ---- */

/*
 * MSR whose title or SDM name ends the text line[0..p), starting a word
 * ("[ 3.1] cmpe283: Pinbased Controls" -> 0x481), or 0.
 */
static uint32_t msr_before(const char *line, const char *p)
{
	size_t len = (size_t)(p - line), best_len = 0;
	unsigned int i, slot;
	uint32_t best = 0;

	/* the longest match: "Secondary Procbased Controls", not "Procbased Controls" */
	for (i = 0; i < VTC_NR_CTL_GROUPS + VTC_NR_MSRS; i++) {
		const char *t;
		uint32_t msr;
		size_t n;

		if (i < VTC_NR_CTL_GROUPS) {
			t = vtc_ctl_tables[i].title;
			msr = vtc_ctl_tables[i].msr;
		} else {
			slot = i - VTC_NR_CTL_GROUPS;
			msr = vtc_msr_index(slot);
			t = vtc_msr_name(msr);
		}
		n = strlen(t);
		if (n > len || n <= best_len || strncmp(p - n, t, n))
			continue;
		if (n < len && (isalnum((unsigned char)p[-(long)n - 1]) || p[-(long)n - 1] == '_'))
			continue;
		best = msr;
		best_len = n;
	}
	return best;
}

static bool hex_value(const char *p, uint64_t *v, const char **end)
{
	char *e;

	if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X') || !isxdigit((unsigned char)p[2]))
		return false;
	*v = strtoull(p, &e, 16);
	*end = e;
	return true;
}

/* A header's value: 0x and at most 16 digits (more would be cut to garbage). */
static bool msr_value(struct conv *c, unsigned int lineno, const char *p, uint64_t *v)
{
	const char *e;

	if (!hex_value(p, v, &e))
		return false;
	if (e - p <= 2 + 16)
		return true;
	if (!c->error) {
		c->error = "an MSR value has more than 16 hex digits";
		c->error_line = lineno;
	}
	return false;
}

struct log_state {
	int cpu;		/* CPU of the current report; 0 until a CPU line */
	char verdict[160];	/* the module's one line for a CPU without VMX/SVM */
};

/* vtcaps.ko's one line instead of a report: "CPU 0: VMX not supported (...)" */
static bool log_verdict_line(const char *line, struct log_state *st)
{
	static const char *const states[] = { "VMX not supported", "VMX disabled",
					      "SVM not supported", "SVM disabled" };
	const char *p = strstr(line, "CPU ");
	unsigned int i;
	char *e;

	if (!p)
		return false;
	strtol(p + 4, &e, 10);
	if (e == p + 4 || strncmp(e, ": ", 2))
		return false;
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (!strncmp(e + 2, states[i], strlen(states[i]))) {
			snprintf(st->verdict, sizeof(st->verdict), "%s", p);
			return true;
		}
	return false;
}

/* "... CPU 3: Intel, VMX supported" starts the report of CPU 3. */
static bool log_cpu_line(const char *line, struct log_state *st)
{
	const char *p = strstr(line, "CPU ");
	char *e;
	long cpu;

	while (p) {
		cpu = strtol(p + 4, &e, 10);
		if (e != p + 4 && cpu >= 0 && cpu <= (long)VTC_MAX_CPU_ID &&
		    (!strncmp(e, ": Intel, ", 9) || !strncmp(e, ": AMD, ", 7) ||
		     !strncmp(e, ": unknown vendor, ", 18))) {
			st->cpu = (int)cpu;
			return true;
		}
		p = strstr(p + 1, "CPU ");
	}
	return false;
}

static void log_line(struct conv *c, unsigned int lineno, const char *line, struct log_state *st)
{
	const char *p, *e;
	uint64_t v;
	uint32_t msr, r[4];

	if (log_cpu_line(line, st) || log_verdict_line(line, st))
		return;
	p = strstr(line, "CPUID 0x8000000A: EAX=");
	if (p && sscanf(p, "CPUID 0x8000000A: EAX=%x EBX=%x ECX=%x EDX=%x", &r[0], &r[1], &r[2],
			&r[3]) == 4) {
		conv_line(c, lineno, "%d cpuid 0x8000000a 0x%08x 0x%08x 0x%08x 0x%08x", st->cpu,
			  r[0], r[1], r[2], r[3]);
		return;
	}
	/* "(IA32_VMX_TRUE_PINBASED_CTLS: 0x...)" */
	p = strstr(line, "(IA32_VMX_TRUE_");
	if (p && (e = strstr(p, ": 0x")) && (msr = msr_before(p + 1, e)) &&
	    msr_value(c, lineno, e + 2, &v)) {
		conv_line(c, lineno, "%d 0x%x 0x%016llx", st->cpu, msr, (unsigned long long)v);
		return;
	}
	/* "<title> MSR: 0x..." or "<title> MSR: read faulted (0x...)" */
	p = strstr(line, " MSR: ");
	if (!p)
		return;
	msr = msr_before(line, p);
	if (!msr)
		return;
	if (msr_value(c, lineno, p + 6, &v)) {
		conv_line(c, lineno, "%d 0x%x 0x%016llx", st->cpu, msr, (unsigned long long)v);
	} else if (!strncmp(p + 6, "read faulted", 12)) {
		conv_line(c, lineno, "%d 0x%x -", st->cpu, msr);
	}
}

/*
 * A second report for a CPU already seen (the module loaded twice in one
 * dmesg) replaces the first: only the last report of each CPU is kept.
 */
static void keep_last_reports(struct conv *c)
{
	unsigned int i, j, kept = 0;
	size_t pos = 0, out = 0;
	char **lines, *copy;

	if (!c->lines)
		return;
	lines = calloc(c->lines, sizeof(*lines));
	if (!lines || !(copy = malloc(c->len + 1))) {
		free(lines);
		c->oom = true;
		return;
	}
	memcpy(copy, c->text, c->len);
	for (i = 0; i < c->lines; i++) {
		lines[i] = copy + pos;
		while (copy[pos] != '\n')
			pos++;
		copy[pos++] = '\0';
	}
	for (i = 0; i < c->lines; i++) {
		unsigned int cpu_i, cpu_j;
		char key_i[32], key_j[32];
		bool later = false;

		sscanf(lines[i], "%u %31s", &cpu_i, key_i);
		if (!strcmp(key_i, "cpuid"))
			sscanf(lines[i], "%u cpuid %31s", &cpu_i, key_i);
		for (j = i + 1; j < c->lines && !later; j++) {
			sscanf(lines[j], "%u %31s", &cpu_j, key_j);
			if (!strcmp(key_j, "cpuid"))
				sscanf(lines[j], "%u cpuid %31s", &cpu_j, key_j);
			later = cpu_i == cpu_j && !strcmp(key_i, key_j);
		}
		if (later)
			continue;
		out += (size_t)sprintf(c->text + out, "%s\n", lines[i]);
		c->origin[kept++] = c->origin[i];
	}
	c->len = out;
	c->lines = kept;
	free(copy);
	free(lines);
}

static void convert_log(const char *text, size_t len, struct conv *c, char *verdict, size_t size)
{
	struct log_state st = { .cpu = 0, .verdict = "" };
	char line[1024];
	unsigned int lineno = 0;
	size_t pos = 0;

	while (next_line(text, len, &pos, line, sizeof(line)))
		log_line(c, ++lineno, line, &st);
	keep_last_reports(c);
	snprintf(verdict, size, "%s", st.verdict);
}

/* ---- rdmsr (msr-tools) ---- */

struct rdmsr_cmd {
	bool active, all;
	unsigned long msr;
	int cpu;		/* -p N, or the next CPU of -a */
};

/*
 * Parse "rdmsr [options] regno" from a shell line ("$ sudo rdmsr -a 0x480").
 * Returns NULL when fine, else what is wrong.
 */
static const char *rdmsr_command(const char *line, struct rdmsr_cmd *cmd)
{
	char buf[1024], *tok, *save = NULL, *e;
	bool seen = false;

	snprintf(buf, sizeof(buf), "%s", line);
	memset(cmd, 0, sizeof(*cmd));
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (!seen) {
			const char *base = strrchr(tok, '/');

			seen = !strcmp(base ? base + 1 : tok, "rdmsr");
			continue;
		}
		if (!strcmp(tok, "-a") || !strcmp(tok, "--all")) {
			cmd->all = true;
		} else if (!strcmp(tok, "-p") || !strcmp(tok, "--processor")) {
			tok = strtok_r(NULL, " \t", &save);
			if (!tok)
				return "rdmsr -p needs a CPU number";
			cmd->cpu = (int)strtol(tok, &e, 10);
			if (*e || cmd->cpu < 0 || cmd->cpu > (int)VTC_MAX_CPU_ID)
				return "rdmsr -p needs a CPU number";
		} else if (!strncmp(tok, "-p", 2) && isdigit((unsigned char)tok[2])) {
			cmd->cpu = (int)strtol(tok + 2, &e, 10);
			if (*e || cmd->cpu > (int)VTC_MAX_CPU_ID)
				return "rdmsr -p needs a CPU number";
		} else if (!strcmp(tok, "-x") || !strcmp(tok, "-X") || !strcmp(tok, "-0") ||
			   !strcmp(tok, "-c") || !strcmp(tok, "-x0") || !strcmp(tok, "-0x") ||
			   !strcmp(tok, "-c0") || !strcmp(tok, "-0c") ||
			   !strncmp(tok, "--hex", 5) || !strncmp(tok, "--capital", 9) ||
			   !strcmp(tok, "--zero-pad") || !strcmp(tok, "--c-language")) {
			continue;	/* hexadecimal output, however padded */
		} else if (tok[0] == '-') {
			return "only hexadecimal rdmsr output can be read (options -a, -p, -x, -X, "
			       "-0, -c; not -d, -u, -o, -r, -f)";
		} else if (tok[0] == '|' || tok[0] == '>' || tok[0] == ';' || tok[0] == '&') {
			break;
		} else {
			/* rdmsr takes C-style numbers: 0x480, 1152, 02200 */
			cmd->msr = strtoul(tok, &e, 0);
			if (*e)
				return "rdmsr's MSR number is not a number";
			cmd->active = true;
		}
	}
	if (!seen)
		return "";
	return cmd->active ? NULL : "rdmsr without an MSR number";
}

static bool is_rdmsr_command(const char *line)
{
	const char *p = strstr(line, "rdmsr");

	return p && (p == line || p[-1] == ' ' || p[-1] == '/' || p[-1] == '$' ||
		     p[-1] == '#') && (p[5] == ' ' || p[5] == '\t');
}

/* A value line: hex digits, optionally with 0x. */
static bool rdmsr_value(const char *line, uint64_t *v)
{
	const char *p = line;
	char *e;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isxdigit((unsigned char)*p))
		return false;
	errno = 0;
	*v = strtoull(p, &e, 16);
	while (*e == ' ' || *e == '\t')
		e++;
	return !*e && !errno;
}

static const char *convert_rdmsr(const char *text, size_t len, struct conv *c,
				 unsigned int *bad_line)
{
	struct rdmsr_cmd cmd = { .active = false };
	char line[1024];
	unsigned int lineno = 0, cpu, m;
	size_t pos = 0;
	uint64_t v;
	const char *why;

	while (next_line(text, len, &pos, line, sizeof(line))) {
		lineno++;
		if (is_rdmsr_command(line)) {
			why = rdmsr_command(line, &cmd);
			if (why && *why) {
				*bad_line = lineno;
				return why;
			}
			continue;
		}
		/* stderr of a read that faulted: "rdmsr: CPU 0 cannot read MSR 0x0000048b" */
		if (sscanf(line, "rdmsr: CPU %u cannot read MSR %x", &cpu, &m) == 2) {
			conv_line(c, lineno, "%u 0x%x -", cpu, m);
			cmd.active = false;	/* rdmsr stops at the first fault */
			continue;
		}
		if (!cmd.active || !rdmsr_value(line, &v))
			continue;	/* prompts, other commands' output */
		conv_line(c, lineno, "%d 0x%lx 0x%016llx", cmd.cpu, cmd.msr,
			  (unsigned long long)v);
		if (cmd.all)
			cmd.cpu++;
		else
			cmd.active = false;
	}
	return NULL;
}

/* ---- detection ---- */

enum input_kind { IN_DUMP, IN_LOG, IN_RDMSR };

/* "0 0x480 ..." or "0 cpuid ...": the dump format */
static bool dump_record(const char *line)
{
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != ' ' && *p != '\t')
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	return !strncmp(p, "0x", 2) || !strncmp(p, "0X", 2) || !strncmp(p, "cpuid", 5);
}

/* The first line that is not blank or a comment decides for dumps. */
static bool starts_as_dump(const char *text, size_t len)
{
	char line[1024];
	size_t pos = 0;

	while (next_line(text, len, &pos, line, sizeof(line))) {
		const char *p = line + strspn(line, " \t");

		if (*p && *p != '#')
			return dump_record(p);
	}
	return false;
}

static enum input_kind detect(const char *text, size_t len)
{
	char line[1024];
	size_t pos = 0;
	struct log_state st = { .cpu = 0 };

	if (starts_as_dump(text, len))
		return IN_DUMP;
	while (next_line(text, len, &pos, line, sizeof(line))) {
		const char *p = strstr(line, " MSR: ");

		if (is_rdmsr_command(line))
			return IN_RDMSR;
		if (strstr(line, "CPUID 0x8000000A: EAX=") || log_cpu_line(line, &st) ||
		    strstr(line, "vtcaps: ") || strstr(line, "Assignment 1 Module"))
			return IN_LOG;
		if (p && msr_before(line, p))
			return IN_LOG;
	}
	return IN_DUMP;
}

const char *input_kind_name(const char *text, size_t len)
{
	static const char *const names[] = { "a dump", "a kernel log report", "an rdmsr capture" };

	return names[detect(text, len)];
}

int load_any_text(const char *name, const char *text, size_t len, struct host *h)
{
	struct conv c = { .text = NULL };
	enum input_kind kind = detect(text, len);
	unsigned int bad_line = 0;
	const char *why = NULL;
	char verdict[160] = "";
	int rc;

	if (kind == IN_DUMP)
		return load_dump_text(name, text, len, h, NULL, NULL);
	if (kind == IN_LOG) {
		convert_log(text, len, &c, verdict, sizeof(verdict));
		why = c.error;
		bad_line = c.error_line;
	} else {
		why = convert_rdmsr(text, len, &c, &bad_line);
	}
	if (c.oom) {
		fprintf(stderr, "vtcaps: out of memory\n");
		rc = EX_IO;
	} else if (why) {
		fprintf(stderr, "vtcaps: %s:%u: %s\n", name, bad_line, why);
		rc = EX_BADINPUT;
	} else if (!c.lines && *verdict) {
		fprintf(stderr, "vtcaps: %s: the log holds no MSR value, only vtcaps.ko's "
			"verdict:\nvtcaps: %s\n", name, verdict);
		rc = EX_BADINPUT;
	} else if (!c.lines) {
		fprintf(stderr, "vtcaps: %s: %s without any MSR value (%s)\n", name,
			input_kind_name(text, len), kind == IN_LOG ?
			"no \"... MSR: 0x...\" line" :
			"each 'rdmsr' line must be followed by its output; 'rdmsr: open: ...' "
			"means the msr driver was not loaded: modprobe msr");
		rc = EX_BADINPUT;
	} else {
		rc = load_dump_text(name, c.text, c.len, h, c.origin, input_kind_name(text, len));
	}
	free(c.text);
	free(c.origin);
	return rc;
}
