// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the vtcaps core and CLI helpers (cmocka).
 *
 * Every expected value below was worked out by hand from the raw MSR values
 * in the vtcaps/dumps files and the rules of Intel SDM 325462-087US Appendix A:
 *   can set   = bit (32 + n) of the control MSR (allowed-1 settings)
 *   can clear = bit n of the control MSR is 0 (allowed-0 settings)
 *   TRUE MSRs (0x48D..0x490) exist only when IA32_VMX_BASIC bit 55 is 1
 * The comments next to each check show the arithmetic.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"

#ifndef VTC_DUMPS_DIR
#error "build with -DVTC_DUMPS_DIR=\"path/to/vtcaps/dumps\""
#endif

/* ---- helpers ---- */

static struct host load(const char *name)
{
	char path[4096];
	struct host h = { .cpus = NULL };

	snprintf(path, sizeof(path), "%s/%s", VTC_DUMPS_DIR, name);
	assert_int_equal(load_dump_file(path, &h), EX_OK);
	assert_non_null(h.cpus);
	return h;
}

/* Expect can_set / can_clear / can_clear_true (-1: no TRUE MSR). */
static void expect_ctl(const struct vtc_cpu *c, enum vtc_ctl_group g, unsigned int bit,
		       bool set, bool clear, int clear_true)
{
	struct vtc_ctl_bit r;

	assert_true(vtc_ctl_eval(c, g, bit, &r));
	if (r.can_set != set || r.can_clear != clear || r.can_clear_true != clear_true)
		fail_msg("%s bit %u: got set=%d clear=%d clear_true=%d, want %d %d %d",
			 vtc_ctl_tables[g].key, bit, r.can_set, r.can_clear, r.can_clear_true,
			 set, clear, clear_true);
}

static void expect_absent(const struct vtc_cpu *c, enum vtc_ctl_group g)
{
	struct vtc_ctl_bit r;

	assert_false(vtc_ctl_eval(c, g, 0, &r));
}

struct lines {
	char text[512][VTC_LINE_MAX + 1];
	unsigned int n;
};

static void collect(void *ctx, const char *text)
{
	struct lines *l = ctx;

	assert_true(strlen(text) <= VTC_LINE_MAX);
	assert_true(l->n < 512);
	strcpy(l->text[l->n++], text);
}

static bool has_line(const struct lines *l, const char *want)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->text[i], want))
			return true;
	return false;
}

static void expect_line(const struct lines *l, const char *want)
{
	if (!has_line(l, want))
		fail_msg("report lacks the line \"%s\"", want);
}

/* A line wrapped at VTC_COLS: first and continuation line, consecutive. */
static void expect_wrapped(const struct lines *l, const char *first, const char *next)
{
	unsigned int i;

	for (i = 0; i + 1 < l->n; i++)
		if (!strcmp(l->text[i], first) && !strcmp(l->text[i + 1], next))
			return;
	fail_msg("report lacks the lines \"%s\" + \"%s\"", first, next);
}

static struct lines *report(const struct vtc_cpu *c, unsigned int flags)
{
	struct lines *l = calloc(1, sizeof(*l));

	assert_non_null(l);
	vtc_report(c, flags, collect, l);
	return l;
}

static void expect_linux_flags(const struct vtc_cpu *c, enum vtc_linux_ver ver,
			       const char *want)
{
	struct lines l = { .n = 0 };
	bool printed = vtc_report_linux_flags(c, ver, collect, &l);

	if (!want) {
		assert_false(printed);
		assert_int_equal(l.n, 0);
		return;
	}
	assert_true(printed);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.text[0], want);
}

/*
 * A reader that follows vtc_next_cpuid()/vtc_next_msr() and answers from
 * `src` (faulting where src has no value): it must read exactly the MSRs
 * that exist.  Returns the bitmap of MSR slots read.
 */
static uint32_t replay(const struct vtc_cpu *src, struct vtc_cpu *dst)
{
	uint32_t leaf, msr, r[4], read = 0;
	uint64_t v;
	unsigned int guard = 0;

	vtc_cpu_init(dst, src->cpu);
	for (leaf = vtc_next_cpuid(dst); leaf != VTC_END; leaf = vtc_next_cpuid(dst)) {
		if (!vtc_get_cpuid(src, leaf, r))
			memset(r, 0, sizeof(r));
		assert_int_equal(vtc_set_cpuid(dst, leaf, r[0], r[1], r[2], r[3]), 0);
		assert_true(++guard < 100);
	}
	for (msr = vtc_next_msr(dst); msr != VTC_END; msr = vtc_next_msr(dst)) {
		read |= 1u << vtc_msr_slot(msr);
		if (vtc_get_msr(src, msr, &v))
			assert_int_equal(vtc_set_msr(dst, msr, v), 0);
		else
			assert_int_equal(vtc_set_msr_fault(dst, msr), 0);
		assert_true(++guard < 100);
	}
	return read;
}

#define SLOT(msr) (1u << vtc_msr_slot(msr))

/* Field by field: struct vtc_cpu has padding that memcmp would see. */
static void assert_cpu_equal(const struct vtc_cpu *a, const struct vtc_cpu *b)
{
	assert_int_equal(a->cpu, b->cpu);
	assert_int_equal(a->msr_valid, b->msr_valid);
	assert_int_equal(a->msr_fault, b->msr_fault);
	assert_memory_equal(a->msr, b->msr, sizeof(a->msr));
	assert_int_equal(a->cpuid_valid, b->cpuid_valid);
	assert_memory_equal(a->cpuid, b->cpuid, sizeof(a->cpuid));
}

/* ---- formatter ---- */

static void test_fmt(void **state)
{
	char small[8], buf[128];
	struct vtc_buf b;

	(void)state;
	vtc_buf_init(&b, buf, sizeof(buf));
	vtc_puthex(&b, 0x7f00000016ull, 1);
	vtc_putc(&b, ' ');
	vtc_puthex(&b, 0x481, 3);
	vtc_putc(&b, ' ');
	vtc_puthex(&b, 0, 16);
	vtc_putc(&b, ' ');
	vtc_putdec(&b, 18446744073709551615ull);
	vtc_putc(&b, ' ');
	vtc_puthex(&b, ~0ull, 1);
	assert_string_equal(buf, "0x7f00000016 0x481 0x0000000000000000 18446744073709551615 "
			    "0xffffffffffffffff");
	vtc_buf_init(&b, small, sizeof(small));
	vtc_puts(&b, "truncated text");
	assert_string_equal(small, "truncat");
	assert_int_equal(b.len, 7);
}

/*
 * A course-format report holds only the five control MSRs.  Skylake-SP
 * values: 0x482 allowed-1 0xfff9fffe (bit 31 set -> 0x48b exists; bit 17
 * clear -> no 0x492), 0x483 allowed-1 0x01ffffff (bit 31 clear -> no
 * 0x493), 0x48b allowed-1 0x025f7fff (bit 1 EPT -> 0x48c exists, bit 13
 * VM functions -> 0x491 exists).  Without IA32_VMX_BASIC bit 55 the TRUE
 * MSRs are unknown, so not listed as missing.
 */
static void test_partial_input(void **state)
{
	struct vtc_cpu c;
	struct lines *l;
	uint32_t want;

	(void)state;
	vtc_cpu_init(&c, 0);
	vtc_set_msr(&c, 0x481, 0x000000ff00000016ull);
	vtc_set_msr(&c, 0x482, 0xfff9fffe0401e172ull);
	vtc_set_msr(&c, 0x483, 0x01ffffff00036dffull);
	vtc_set_msr(&c, 0x484, 0x0003ffff000011ffull);
	vtc_set_msr(&c, 0x48b, 0x025f7fff00000000ull);
	assert_int_equal(vtc_status(&c), VTC_VMX_OK);
	want = SLOT(0x3a) | SLOT(0x480) | SLOT(0x485) | SLOT(0x486) | SLOT(0x487) |
	       SLOT(0x488) | SLOT(0x489) | SLOT(0x48a) | SLOT(0x48c) | SLOT(0x491);
	assert_int_equal(vtc_missing_msrs(&c), want);
	assert_int_equal(vtc_impossible_msrs(&c), 0);
	l = report(&c, 0);
	expect_line(l, "CPU 0: Intel, VMX supported");
	expect_wrapped(l, "  Not in the input: IA32_FEATURE_CONTROL (0x3a), IA32_VMX_BASIC (0x480),",
		       "    IA32_VMX_MISC (0x485), IA32_VMX_CR0_FIXED0 (0x486), IA32_VMX_CR0_FIXED1");
	expect_line(l, "IA32_VMX_BASIC MSR: not in the input");
	expect_line(l, "  Virtual NMIs: Can set=Yes, Can clear=Yes");	/* 0xff bit 5 */
	free(l);
	/* 0x48b with 0x482 bit 63 clear cannot exist (SDM A.3.2) */
	vtc_set_msr(&c, 0x482, 0x7ff9fffe0401e172ull);
	assert_int_equal(vtc_impossible_msrs(&c), SLOT(0x48b));
	/* AMD's VM_CR beside VMX MSRs */
	vtc_set_msr(&c, 0xc0010114, 0);
	assert_true(vtc_vendor_mix(&c));
}

/* Linux's eptp_switching is IA32_VMX_VMFUNC bit 32 (feat_ctl.c keeps the high dword). */
static void test_linux_eptp_switching(void **state)
{
	const struct vtc_linux_flag *f = vtc_linux_flag_for(VTC_MSR_VMFUNC, 32);
	struct host h = load("skylake-sp.dump");
	uint32_t caps[VTC_LINUX_WORDS];
	unsigned int i;

	(void)state;
	assert_non_null(f);
	assert_string_equal(f->name, "eptp_switching");
	assert_int_equal(f->word, 0);
	assert_int_equal(f->bit, 28);
	assert_null(vtc_linux_flag_for(VTC_MSR_VMFUNC, 0));
	/* listing lines "  %-20s %s" fit 80 columns */
	for (i = 0; i < vtc_nr_linux_flags; i++)
		assert_true(strlen(vtc_linux_flags[i].source) <= 80 - 23);
	/* Skylake-SP 0x491 = 0x1: SDM bit 0 set, bit 32 clear -> no eptp_switching */
	vtc_linux_caps(&h.cpus[0], caps);
	assert_false(caps[0] & (1u << 28));
	vtc_set_msr(&h.cpus[0], VTC_MSR_VMFUNC, 1ull << 32);
	vtc_linux_caps(&h.cpus[0], caps);
	assert_true(caps[0] & (1u << 28));
	free_host(&h);
}

static void test_wrap(void **state)
{
	struct lines l = { .n = 0 };

	(void)state;
	/* a final remark moves to the next line whole */
	vtc_emit_wrapped(collect, &l, "  Reserved (bit 1, default1): Can set=Yes, Can clear=No "
			 "(TRUE MSR: Can clear=Yes)");
	assert_int_equal(l.n, 2);
	assert_string_equal(l.text[0], "  Reserved (bit 1, default1): Can set=Yes, Can clear=No");
	assert_string_equal(l.text[1], "    (TRUE MSR: Can clear=Yes)");
	/* else at the last blank within 80 columns */
	l.n = 0;
	vtc_emit_wrapped(collect, &l, "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee "
			 "ffffffffff gggggggggg hhhhhhhhhh iiiiiiiiii");
	assert_int_equal(l.n, 2);
	assert_string_equal(l.text[0], "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee "
			    "ffffffffff gggggggggg");
	assert_string_equal(l.text[1], "    hhhhhhhhhh iiiiiiiiii");
	/* no blank: kept whole */
	l.n = 0;
	vtc_emit_wrapped(collect, &l, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	assert_int_equal(l.n, 1);
}

/* ---- parser ---- */

static void test_parse_ok(void **state)
{
	static const char text[] =
		"# comment line\n"
		"\n"
		"  3\t0x480   0x00DA040000000004   # trailing comment\r\n"
		"3 0x48b -\n"
		"7 cpuid 0x1 0x906ea 0x100800 0x7ffafbff 0xbfebfbff\n"
		"3 0x3A 0x10\n";
	struct vtc_cpu cpus[4];
	struct vtc_parse_error err;
	uint32_t r[4];
	uint64_t v;

	(void)state;
	assert_int_equal(vtc_parse_dump(text, strlen(text), cpus, 4, &err), 2);
	assert_int_equal(cpus[0].cpu, 3);
	assert_int_equal(cpus[1].cpu, 7);
	assert_true(vtc_get_msr(&cpus[0], 0x480, &v));
	assert_true(v == 0x00da040000000004ull);
	assert_false(vtc_get_msr(&cpus[0], 0x48b, &v));
	assert_true(vtc_msr_faulted(&cpus[0], 0x48b));
	assert_true(vtc_get_msr(&cpus[0], 0x3a, &v));
	assert_true(v == 0x10);
	assert_true(vtc_get_cpuid(&cpus[1], 1, r));
	assert_int_equal(r[VTC_ECX], 0x7ffafbff);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		unsigned int line;
		const char *reason_part;
		uint32_t msr;	/* err.msr, 0 when the error names no MSR */
	} cases[] = {
		{ "", 0, "no data lines" },
		{ "# only a comment\n\n", 0, "no data lines" },
		{ "0 0x480\n", 1, "expected 3 fields" },
		{ "0 0x480 0x1 0x2\n", 1, "expected 3 fields" },
		{ "x 0x480 0x1\n", 1, "CPU number" },
		{ "65536 0x480 0x1\n", 1, "CPU number" },
		{ "-1 0x480 0x1\n", 1, "CPU number" },
		{ "0 480 0x1\n", 1, "MSR index must be hex" },
		{ "0 0x 0x1\n", 1, "MSR index must be hex" },
		{ "0 0x999 0x1\n", 1, "MSR not recorded" },
		{ "0 0x480 1\n", 1, "MSR value must be hex" },
		{ "0 0x480 0x10000000000000000\n", 1, "MSR value must be hex" },
		{ "0 0x480 0x12g\n", 1, "MSR value must be hex" },
		{ "0 0x480 0x1\n# ok\n0 0x480 0x2\n", 3, "duplicate MSR" },
		{ "0 0x480 -\n0 0x480 0x2\n", 2, "duplicate MSR" },
		{ "0 cpuid 0x1 0x2\n", 1, "7 fields" },
		{ "0 cpuid 0x7 0x0 0x0 0x0 0x0\n", 1, "CPUID leaf not recorded" },
		{ "0 cpuid 0x1 0x0 0x0 0x0 0x100000000\n", 1, "CPUID register" },
		{ "0 cpuid 0x1 0 0 0 0 0 0 0 0\n", 1, "too many fields" },
		/* a copy cut off mid-line: the last line has no newline */
		{ "0 0x480 0x00", 1, "cut off" },
		{ "0 0x480 0x00da040000000004\n0 0x481", 2, "cut off" },
		{ "0 0x480 0x00da040000000004\n0 0x481 0x0000007f0000001", 2, "cut off" },
		{ "0 cpuid 0x00000001 0x000906ea 0x00100800", 1, "cut off" },
		{ "0 cpuid 0x00000001 0x000906ea 0x00100800 0x7ffafbff 0xbf", 1, "cut off" },
		/*
		 * MSRs that cannot exist (SDM A.3.2, A.3.3, A.10, A.11): 0x48b
		 * needs 0x482 bit 63, 0x48c needs 0x48b bit 33 or 37, TRUE
		 * MSRs need 0x480 bit 55, 0x491 needs 0x48b bit 45, 0x492 needs
		 * 0x482 bit 49, 0x493 needs 0x483 bit 63, and any VMX MSR needs
		 * CPUID.1:ECX.VMX[5].  Line numbers are those of the MSR.
		 */
		{ "0 0x482 0x77b9fffe0401e172\n0 0x48b 0x0000000000000000\n", 2, "cannot exist",
		  0x48b },
		{ "0 0x482 0x8000000000000000\n0 0x48c 0x0000000000000000\n"
		  "0 0x48b 0xffffffdd00000000\n", 2, "cannot exist", 0x48c },
		{ "0 0x480 0x005a000000000004\n0 0x48e 0x0000000000000000\n", 2, "cannot exist",
		  0x48e },
		{ "0 0x482 0x8000000000000000\n0 0x48b 0xffffdfff00000000\n"
		  "0 0x491 0x0000000000000001\n", 3, "cannot exist", 0x491 },
		{ "0 0x482 0xfffdffff00000000\n0 0x492 0x0000000000000010\n", 2, "cannot exist",
		  0x492 },
		{ "0 0x483 0x7fffffff00000000\n0 0x493 0x0000000000000000\n", 2, "cannot exist",
		  0x493 },
		{ "0 cpuid 0x00000000 0x0000000d 0x756e6547 0x6c65746e 0x49656e69\n"
		  "0 cpuid 0x00000001 0x000306a9 0x00000000 0x00000000 0x00000000\n"
		  "0 0x480 0x00da040000000004\n", 3, "cannot exist", 0x480 },
		/* one vendor per CPU and per dump */
		{ "0 cpuid 0x00000000 0x00000010 0x68747541 0x444d4163 0x69746e65\n"
		  "0 0x480 0x00da040000000004\n", 0, "Intel VMX and AMD SVM values" },
		{ "0 0x480 0x00da040000000004\n"
		  "0 cpuid 0x8000000a 0x00000001 0x00008000 0x00000000 0x019bb4ff\n", 0,
		  "Intel VMX and AMD SVM values" },
		{ "0 0x480 0x00da040000000004\n0 0xc0010114 0x0000000000000000\n", 0,
		  "Intel VMX and AMD SVM values" },
		{ "0 0x480 0x00da040000000004\n1 0xc0010114 0x0000000000000000\n", 0,
		  "different vendors" },
		{ "0 0x480 0x1\n0 0x480\0 0x1\n", 2, "" },
	};
	struct vtc_cpu cpus[2];
	struct vtc_parse_error err;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].text);

		if (i == sizeof(cases) / sizeof(cases[0]) - 1)
			len = sizeof("0 0x480 0x1\n0 0x480\0 0x1\n") - 1;	/* embedded NUL */
		err.line = 999;
		err.reason = NULL;
		if (vtc_parse_dump(cases[i].text, len, cpus, 2, &err) != -1)
			fail_msg("case %u parsed but should not", i);
		assert_int_equal(err.line, cases[i].line);
		assert_non_null(err.reason);
		if (!strstr(err.reason, cases[i].reason_part))
			fail_msg("case %u: reason \"%s\" lacks \"%s\"", i, err.reason,
				 cases[i].reason_part);
		if (err.msr != cases[i].msr)
			fail_msg("case %u: err.msr %#x, want %#x", i, err.msr, cases[i].msr);
	}
	/* more CPUs than the caller's array holds */
	assert_int_equal(vtc_parse_dump("0 0x480 0x1\n1 0x480 0x1\n2 0x480 0x1\n", 36, cpus, 2,
					&err), -1);
	assert_int_equal(err.line, 3);
}

/* vtc_dump() output parses back into the same values. */
static void test_dump_roundtrip(void **state)
{
	struct host h = load("skylake-sp.dump");
	struct lines *l = calloc(1, sizeof(*l));
	char *text = calloc(1, 65536);
	struct vtc_cpu back[1];
	struct vtc_parse_error err;
	unsigned int i;

	(void)state;
	assert_non_null(l);
	assert_non_null(text);
	vtc_set_msr_fault(&h.cpus[0], 0x492);	/* a faulted line, too */
	vtc_dump(&h.cpus[0], collect, l);
	assert_string_equal(l->text[0],
			    "0 cpuid 0x00000000 0x00000016 0x756e6547 0x6c65746e 0x49656e69");
	expect_line(l, "0 0x481 0x000000ff00000016");
	expect_line(l, "0 0x492 -");
	for (i = 0; i < l->n; i++) {
		strcat(text, l->text[i]);
		strcat(text, "\n");
	}
	assert_int_equal(vtc_parse_dump(text, strlen(text), back, 1, &err), 1);
	assert_cpu_equal(&back[0], &h.cpus[0]);
	free(text);
	free(l);
	free_host(&h);
}

/* ---- CPUs ---- */

static void test_skylake_sp(void **state)
{
	struct host h = load("skylake-sp.dump");
	const struct vtc_cpu *c = &h.cpus[0];
	struct vtc_cpu replayed;
	struct lines *l;
	FILE *out;

	(void)state;
	assert_int_equal(h.ncpus, 2);
	assert_int_equal(vtc_vendor(c), VTC_VENDOR_INTEL);
	assert_int_equal(vtc_status(c), VTC_VMX_OK);

	/* 0x481 = 0x000000ff_00000016, TRUE 0x48d identical */
	expect_ctl(c, VTC_PINBASED, 0, true, true, true);	/* 0xff bit0; 0x16 bit0 = 0 */
	expect_ctl(c, VTC_PINBASED, 1, true, false, false);	/* default1: 0x16 bit1 = 1 */
	expect_ctl(c, VTC_PINBASED, 5, true, true, true);
	expect_ctl(c, VTC_PINBASED, 7, true, true, true);	/* posted interrupts */
	expect_ctl(c, VTC_PINBASED, 8, false, true, true);
	/* 0x482 = 0xfff9fffe_0401e172, TRUE 0x48e low 0x04006172 */
	expect_ctl(c, VTC_PROCBASED, 0, false, true, true);	/* 0xfff9fffe bit0 = 0 */
	expect_ctl(c, VTC_PROCBASED, 15, true, false, true);	/* CR3-load: 0xe172 bit15 = 1 */
	expect_ctl(c, VTC_PROCBASED, 16, true, false, true);	/* 0x1e172 bit16 = 1 */
	expect_ctl(c, VTC_PROCBASED, 17, false, true, true);	/* 0xfff9 -> bits 17,18 = 0 */
	expect_ctl(c, VTC_PROCBASED, 26, true, false, false);	/* 0x0400.... bit26 in both */
	expect_ctl(c, VTC_PROCBASED, 31, true, true, true);
	/* 0x48b = 0x025f7fff_00000000: no TRUE twin */
	expect_ctl(c, VTC_PROCBASED2, 1, true, true, -1);	/* EPT */
	expect_ctl(c, VTC_PROCBASED2, 15, false, true, -1);	/* 0x7fff: bit 15 = 0 */
	expect_ctl(c, VTC_PROCBASED2, 21, false, true, -1);	/* 0x5f -> bit 21 = 0 */
	expect_ctl(c, VTC_PROCBASED2, 22, true, true, -1);
	expect_ctl(c, VTC_PROCBASED2, 25, true, true, -1);	/* 0x02 -> bit 25 */
	expect_ctl(c, VTC_PROCBASED2, 26, false, true, -1);
	expect_absent(c, VTC_PROCBASED3);
	/* 0x483 = 0x01ffffff_00036dff, TRUE low 0x00036dfb */
	expect_ctl(c, VTC_EXIT, 2, true, false, true);		/* save debug controls */
	expect_ctl(c, VTC_EXIT, 9, true, true, true);
	expect_ctl(c, VTC_EXIT, 24, true, true, true);
	expect_ctl(c, VTC_EXIT, 25, false, true, true);
	expect_ctl(c, VTC_EXIT, 31, false, true, true);
	expect_absent(c, VTC_EXIT2);
	/* 0x484 = 0x0003ffff_000011ff, TRUE low 0x000011fb */
	expect_ctl(c, VTC_ENTRY, 2, true, false, true);
	expect_ctl(c, VTC_ENTRY, 12, true, false, false);
	expect_ctl(c, VTC_ENTRY, 17, true, true, true);
	expect_ctl(c, VTC_ENTRY, 18, false, true, true);

	/* existence: all but 0x492 (proc bit 49 = 0), 0x493 (exit bit 63 = 0), VM_CR */
	assert_int_equal(replay(c, &replayed),
			 ((1u << VTC_NR_MSRS) - 1) & ~SLOT(0x492) & ~SLOT(0x493) &
			 ~SLOT(VTC_MSR_AMD_VM_CR));
	assert_cpu_equal(&replayed, c);

	/*
	 * No eptp_switching although IA32_VMX_VMFUNC bit 0 is set: Linux takes
	 * that flag from the MSR's high dword (feat_ctl.c, rdmsr_safe(..., &ign,
	 * &funcs)), so it shows bit 32; the guest kernels in the lab agree.
	 */
	expect_linux_flags(c, VTC_LINUX_6_12,
		"vmx flags\t: vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad "
		"ept_1gb flexpriority apicv tsc_offset vtpr mtf vapic ept vpid "
		"unrestricted_guest vapic_reg vid ple shadow_vmcs pml ept_violation_ve "
		"ept_mode_based_exec tsc_scaling");
	expect_linux_flags(c, VTC_LINUX_6_1,
		"vmx flags\t: vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad "
		"ept_1gb flexpriority apicv tsc_offset vtpr mtf vapic ept vpid "
		"unrestricted_guest vapic_reg vid ple shadow_vmcs pml "
		"ept_mode_based_exec tsc_scaling");
	/*
	 * feat_ctl.c (6.1 and 6.12): when rdmsrl_safe(MSR_IA32_FEAT_CTL) faults,
	 * X86_FEATURE_VMX is cleared and proc.c prints no "vmx flags" line.
	 */
	replayed = *c;
	vtc_set_msr_fault(&replayed, 0x3a);
	expect_linux_flags(&replayed, VTC_LINUX_6_12, NULL);

	l = report(c, 0);
	expect_line(l, "CPU 0: Intel, VMX supported");
	expect_line(l, "Pinbased Controls MSR: 0xff00000016");
	expect_line(l, "  External Interrupt Exiting: Can set=Yes, Can clear=Yes");
	expect_line(l, "  CR3 Load Exiting: Can set=Yes, Can clear=No (TRUE MSR: Can clear=Yes)");
	expect_line(l, "  Reserved (bit 1, default1): Can set=Yes, Can clear=No");
	expect_line(l, "  Activate Tertiary Controls: Can set=No, Can clear=Yes");
	expect_wrapped(l, "Tertiary Procbased Controls MSR: absent (IA32_VMX_PROCBASED_CTLS3)",
		       "  (exists only when Procbased Controls can set bit 17)");
	expect_line(l, "  VMCS region size (bytes): 1024");
	expect_line(l, "  VMCS memory type: 6 (write-back)");
	expect_line(l, "  VMX-preemption timer counts when TSC bit changes (bit number): 7");
	expect_line(l, "  CR3-target values: 4");
	expect_line(l, "  Highest index value in VMCS field encodings: 0x17");
	expect_line(l, "  CR0 bits fixed to 1 in VMX operation: PE NE PG");
	expect_line(l, "  Page-walk length of 5: No");
	free(l);
	l = report(c, VTC_REPORT_LINUX_NAMES);
	expect_line(l, "  Virtual NMIs: Can set=Yes, Can clear=Yes [linux: vnmi]");
	expect_line(l, "  EPT 1-GByte pages: Yes [linux: ept_1gb]");
	free(l);
	out = fopen("/dev/null", "w");
	assert_int_equal(report_cpu_differences(&h, out), 0);
	fclose(out);
	free_host(&h);
}

static void test_icelake_sp(void **state)
{
	struct host h = load("icelake-sp.dump");
	const struct vtc_cpu *c = &h.cpus[0];
	struct vtc_cpu replayed;

	(void)state;
	assert_int_equal(vtc_status(c), VTC_VMX_OK);
	expect_ctl(c, VTC_PROCBASED2, 15, true, true, -1);	/* 0x035fffff: ENCLS */
	expect_ctl(c, VTC_PROCBASED2, 24, true, true, -1);	/* 0x03 -> bits 24, 25 */
	expect_ctl(c, VTC_PROCBASED2, 28, false, true, -1);
	expect_ctl(c, VTC_EXIT, 25, true, true, true);		/* 0x03ffffff bit 25 */
	expect_ctl(c, VTC_ENTRY, 18, true, true, true);		/* 0x0007ffff bit 18 */
	replay(c, &replayed);
	assert_cpu_equal(&replayed, c);
	/* 0x48c low 0x067341c1 bit 7 -> ept_5level, printed by 6.12 only */
	expect_linux_flags(c, VTC_LINUX_6_12,
		"vmx flags\t: vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad "
		"ept_1gb ept_5level flexpriority apicv tsc_offset vtpr mtf vapic "
		"ept vpid unrestricted_guest vapic_reg vid ple shadow_vmcs pml ept_violation_ve "
		"ept_mode_based_exec tsc_scaling");
	expect_linux_flags(c, VTC_LINUX_6_1,
		"vmx flags\t: vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad "
		"ept_1gb flexpriority apicv tsc_offset vtpr mtf vapic "
		"ept vpid unrestricted_guest vapic_reg vid ple shadow_vmcs pml "
		"ept_mode_based_exec tsc_scaling");
	free_host(&h);
}

static void test_sapphirerapids(void **state)
{
	struct host h = load("sapphirerapids.dump");
	const struct vtc_cpu *c = &h.cpus[0];
	struct vtc_cpu replayed;
	struct lines *l;

	(void)state;
	assert_int_equal(vtc_status(c), VTC_VMX_OK);
	expect_ctl(c, VTC_PROCBASED, 17, true, true, true);	/* 0xfffb: bit 17 set */
	/* 0x492 = 0x10: 64-bit allowed-1 mask, everything clearable, no TRUE twin */
	expect_ctl(c, VTC_PROCBASED3, 4, true, true, -1);
	expect_ctl(c, VTC_PROCBASED3, 0, false, true, -1);
	expect_ctl(c, VTC_PROCBASED3, 7, false, true, -1);
	expect_ctl(c, VTC_PROCBASED3, 63, false, true, -1);
	expect_absent(c, VTC_EXIT2);				/* 0x7fffffff: bit 31 clear */
	expect_ctl(c, VTC_EXIT, 30, true, true, true);
	expect_ctl(c, VTC_ENTRY, 22, true, true, true);		/* 0x007fffff: bit 22 */
	expect_ctl(c, VTC_ENTRY, 23, false, true, true);
	expect_ctl(c, VTC_PROCBASED2, 29, false, true, -1);	/* 0xdf: bit 29 clear */
	expect_ctl(c, VTC_PROCBASED2, 31, true, true, -1);
	assert_int_equal(replay(c, &replayed),
			 ((1u << VTC_NR_MSRS) - 1) & ~SLOT(0x493) & ~SLOT(VTC_MSR_AMD_VM_CR));
	assert_cpu_equal(&replayed, c);
	expect_linux_flags(c, VTC_LINUX_6_12,
		"vmx flags\t: vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad "
		"ept_1gb ept_5level flexpriority apicv tsc_offset vtpr mtf vapic "
		"ept vpid unrestricted_guest vapic_reg vid ple shadow_vmcs pml ept_violation_ve "
		"ept_mode_based_exec tsc_scaling usr_wait_pause notify_vm_exiting ipi_virt");
	l = report(c, 0);
	expect_line(l, "Tertiary Procbased Controls MSR: 0x10");
	expect_line(l, "  IPI Virtualization: Can set=Yes, Can clear=Yes");
	expect_line(l, "  Enable HLAT: Can set=No, Can clear=Yes");
	expect_line(l, "  Hardware exception injection without error code: Yes");
	expect_line(l, "  Supervisor shadow-stack control: Yes");
	/* wrapped at 80 columns */
	expect_wrapped(l, "  CR4 bits the guest may choose (defined bits): VME PVI TSD DE PSE PAE MCE PGE",
		       "    PCE OSFXSR OSXMMEXCPT UMIP LA57 SMXE FSGSBASE PCIDE OSXSAVE SMEP SMAP PKE");
	expect_line(l, "    CET PKS UINTR");
	free(l);
	free_host(&h);
}

static void test_core2_merom(void **state)
{
	struct host h = load("core2-merom.dump");
	const struct vtc_cpu *c = &h.cpus[0];
	struct vtc_cpu replayed;
	struct lines *l;

	(void)state;
	assert_int_equal(vtc_status(c), VTC_VMX_OK);
	/* 0x481 = 0x0000001f_00000016; BASIC bit 55 = 0: no TRUE MSRs */
	expect_ctl(c, VTC_PINBASED, 0, true, true, -1);
	expect_ctl(c, VTC_PINBASED, 4, true, false, -1);
	expect_ctl(c, VTC_PINBASED, 5, false, true, -1);	/* no virtual NMIs */
	/* 0x482 = 0x77b9fffe_0401e172 */
	expect_ctl(c, VTC_PROCBASED, 15, true, false, -1);	/* CR3-load stays forced */
	expect_ctl(c, VTC_PROCBASED, 21, true, true, -1);	/* 0xb nibble: 20, 21, 23 */
	expect_ctl(c, VTC_PROCBASED, 22, false, true, -1);
	expect_ctl(c, VTC_PROCBASED, 27, false, true, -1);	/* 0x7 nibble: no MTF */
	expect_ctl(c, VTC_PROCBASED, 31, false, true, -1);
	expect_absent(c, VTC_PROCBASED2);
	expect_absent(c, VTC_PROCBASED3);
	expect_absent(c, VTC_EXIT2);
	expect_ctl(c, VTC_EXIT, 15, true, true, -1);
	expect_ctl(c, VTC_ENTRY, 13, true, true, -1);		/* 0x3fff bit 13 */
	expect_ctl(c, VTC_ENTRY, 14, false, true, -1);
	/* only 0x3a and 0x480..0x48a exist */
	assert_int_equal(replay(c, &replayed), SLOT(0x3a) | (((1u << 11) - 1) << 1));
	/* caps word0 = 0x1f != 0, so Linux prints: word1 bits 3 and 21 */
	expect_linux_flags(c, VTC_LINUX_6_12, "vmx flags\t: tsc_offset vtpr");
	l = report(c, 0);
	expect_wrapped(l, "Secondary Procbased Controls MSR: absent (IA32_VMX_PROCBASED_CTLS2)",
		       "  (exists only when Procbased Controls can set bit 31)");
	expect_line(l, "  CR3 Load Exiting: Can set=Yes, Can clear=No");
	expect_line(l, "  VMCS revision identifier: 0xd");
	expect_line(l, "  VMCS region size (bytes): 2048");
	expect_line(l, "  TRUE capability MSRs (default1 controls may be 0): No");
	free(l);
	free_host(&h);
}

static void test_nested_forced_extint(void **state)
{
	struct host h = load("nested-forced-extint.dump");
	const struct vtc_cpu *c = &h.cpus[0];
	struct vtc_cpu replayed;
	struct lines *l;

	(void)state;
	assert_int_equal(vtc_status(c), VTC_VMX_OK);
	/* 0x481 low 0x17 (bit 0 forced), TRUE 0x48d low 0x01 */
	expect_ctl(c, VTC_PINBASED, 0, true, false, false);
	expect_ctl(c, VTC_PINBASED, 1, true, false, true);
	expect_ctl(c, VTC_PINBASED, 3, true, true, true);
	expect_ctl(c, VTC_PROCBASED2, 10, false, true, -1);	/* no PLE: 0xb nibble */
	expect_ctl(c, VTC_PROCBASED2, 14, true, true, -1);
	replay(c, &replayed);
	assert_cpu_equal(&replayed, c);
	expect_linux_flags(c, VTC_LINUX_6_12,
		"vmx flags\t: vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad "
		"ept_1gb flexpriority apicv tsc_offset vtpr mtf vapic ept vpid "
		"unrestricted_guest vapic_reg vid shadow_vmcs pml tsc_scaling");
	l = report(c, 0);
	expect_line(l, "  External Interrupt Exiting: Can set=Yes, Can clear=No");
	expect_wrapped(l, "  Reserved (bit 1, default1): Can set=Yes, Can clear=No",
		       "    (TRUE MSR: Can clear=Yes)");
	expect_line(l, "  VMCS revision identifier: 0x11e57ed0");
	expect_line(l, "  VMCS region size (bytes): 4096");
	expect_line(l, "  VMX-preemption timer counts when TSC bit changes (bit number): 5");
	free(l);
	free_host(&h);
}

static void test_epyc_milan(void **state)
{
	struct host h = load("epyc-milan.dump");
	const struct vtc_cpu *c = &h.cpus[0];
	struct vtc_cpu replayed;
	enum vtc_ctl_group g;
	struct lines *l;

	(void)state;
	assert_int_equal(vtc_vendor(c), VTC_VENDOR_AMD);
	assert_int_equal(vtc_status(c), VTC_SVM_OK);
	for (g = 0; g < VTC_NR_CTL_GROUPS; g++)
		expect_absent(c, g);
	/* an AMD reader reads VM_CR and nothing else */
	assert_int_equal(replay(c, &replayed), SLOT(VTC_MSR_AMD_VM_CR));
	assert_cpu_equal(&replayed, c);
	expect_linux_flags(c, VTC_LINUX_6_12, NULL);
	l = report(c, 0);
	expect_line(l, "CPU 0: AMD, SVM supported");
	expect_line(l, "  SVM revision: 1");
	expect_line(l, "  Number of ASIDs: 32768");
	/* EDX 0x019bb4ff */
	expect_line(l, "  NP: Yes");
	expect_line(l, "  DecodeAssists: Yes");
	expect_line(l, "  PmcVirt: No");		/* 0xff: bit 8 clear */
	expect_line(l, "  AVIC: Yes");			/* bits 15:12 = 0xb: 12, 13, 15 */
	expect_line(l, "  x2AVIC: No");			/* 0x9b: bit 18 clear */
	expect_line(l, "  VGIF: Yes");
	expect_line(l, "  HOST_MCE_OVERRIDE: Yes");
	expect_line(l, "  VNMI: No");
	expect_line(l, "  SVMDIS (SVM disabled): No");
	free(l);
	/* SVM disabled by firmware */
	vtc_set_msr(&h.cpus[0], VTC_MSR_AMD_VM_CR, 0x18);
	assert_int_equal(vtc_status(c), VTC_SVM_DISABLED);
	free_host(&h);
}

static void test_all_zero(void **state)
{
	struct host h = load("all-zero.dump");
	const struct vtc_cpu *c = &h.cpus[0];
	struct vtc_cpu replayed;
	unsigned int bit;

	(void)state;
	assert_int_equal(vtc_vendor(c), VTC_VENDOR_INTEL);	/* inferred from 0x480 */
	assert_int_equal(vtc_status(c), VTC_VMX_OK);		/* unlocked: Linux enables it */
	for (bit = 0; bit < 32; bit++) {
		expect_ctl(c, VTC_PINBASED, bit, false, true, -1);
		expect_ctl(c, VTC_PROCBASED, bit, false, true, -1);
		expect_ctl(c, VTC_EXIT, bit, false, true, -1);
		expect_ctl(c, VTC_ENTRY, bit, false, true, -1);
	}
	expect_absent(c, VTC_PROCBASED2);
	expect_absent(c, VTC_PROCBASED3);
	expect_absent(c, VTC_EXIT2);
	expect_linux_flags(c, VTC_LINUX_6_12, NULL);		/* word 0 is zero */
	/* a reader whose CPUID answers all zero (no vendor) reads nothing */
	assert_int_equal(replay(c, &replayed), 0);
	free_host(&h);
}

static void test_vmx_disabled(void **state)
{
	struct host h = load("kabylake-vmx-disabled.dump");
	const struct vtc_cpu *c = &h.cpus[0];
	struct lines *l;

	(void)state;
	assert_int_equal(vtc_status(c), VTC_VMX_DISABLED);	/* 0x3a = 1: locked, bit 2 = 0 */
	assert_int_equal(state_exit_code(vtc_status(c)), EX_DISABLED);
	expect_linux_flags(c, VTC_LINUX_6_12, NULL);
	expect_ctl(c, VTC_PINBASED, 7, false, true, true);	/* 0x7f: client, no posted */
	expect_ctl(c, VTC_PROCBASED2, 8, false, true, -1);	/* 0x1ffcff: no APIC-reg virt */
	l = report(c, 0);
	expect_line(l, "CPU 0: Intel, VMX disabled by firmware (IA32_FEATURE_CONTROL locked, "
		    "VMX off)");
	expect_line(l, "Pinbased Controls MSR: 0x7f00000016");
	free(l);
	free_host(&h);
}

/* ---- existence rules one by one ---- */

static void intel_cpuid(struct vtc_cpu *c, bool vmx)
{
	vtc_cpu_init(c, 0);
	vtc_set_cpuid(c, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	vtc_set_cpuid(c, 1, 0x906ea, 0, vmx ? 0x20 : 0, 0);
	vtc_set_cpuid(c, 0x80000000, 0x80000008, 0, 0, 0);
	vtc_set_cpuid(c, 0x80000001, 0, 0, 0, 0);
}

static uint32_t reads_with(uint64_t basic, uint64_t proc, uint64_t exit, uint64_t proc2)
{
	struct vtc_cpu src, dst;

	intel_cpuid(&src, true);
	vtc_set_msr(&src, 0x480, basic);
	vtc_set_msr(&src, 0x482, proc);
	vtc_set_msr(&src, 0x483, exit);
	vtc_set_msr(&src, 0x48b, proc2);
	return replay(&src, &dst);
}

static void test_existence_rules(void **state)
{
	const uint32_t base = SLOT(0x3a) | (((1u << 11) - 1) << 1);	/* 0x3a, 0x480..0x48a */
	struct vtc_cpu src, dst;

	(void)state;
	assert_int_equal(reads_with(0, 0, 0, 0), base);
	/* BASIC bit 55 -> the four TRUE MSRs */
	assert_int_equal(reads_with(1ull << 55, 0, 0, 0),
			 base | SLOT(0x48d) | SLOT(0x48e) | SLOT(0x48f) | SLOT(0x490));
	/* primary allowed-1 bit 31 (MSR bit 63) -> secondary; nothing else yet */
	assert_int_equal(reads_with(0, 1ull << 63, 0, 0), base | SLOT(0x48b));
	/* ... plus secondary EPT (bit 33) or VPID (bit 37) -> EPT/VPID capability */
	assert_int_equal(reads_with(0, 1ull << 63, 0, 1ull << 33), base | SLOT(0x48b) | SLOT(0x48c));
	assert_int_equal(reads_with(0, 1ull << 63, 0, 1ull << 37), base | SLOT(0x48b) | SLOT(0x48c));
	/* ... secondary bit 13 (MSR bit 45) -> VMFUNC */
	assert_int_equal(reads_with(0, 1ull << 63, 0, 1ull << 45), base | SLOT(0x48b) | SLOT(0x491));
	/* allowed-0 bits (low dword) never make an MSR exist */
	assert_int_equal(reads_with(0, 1ull << 31 | 1ull << 17, 1ull << 31, 0), base);
	/* primary bit 49 -> tertiary; exit bit 63 -> secondary exit */
	assert_int_equal(reads_with(0, 1ull << 49, 0, 0), base | SLOT(0x492));
	assert_int_equal(reads_with(0, 0, 1ull << 63, 0), base | SLOT(0x493));

	/* a faulted primary MSR: the secondary's existence is unknown, not read */
	intel_cpuid(&src, true);
	vtc_set_msr_fault(&src, 0x482);
	assert_int_equal(replay(&src, &dst), base);
	assert_true(vtc_msr_faulted(&dst, 0x482));
	/* CPUID without VMX and without SMX: no MSR at all */
	intel_cpuid(&src, false);
	assert_int_equal(replay(&src, &dst), 0);
	assert_int_equal(vtc_status(&dst), VTC_NO_VMX);
	/* neither Intel nor AMD */
	vtc_cpu_init(&src, 0);
	vtc_set_cpuid(&src, 0, 1, 0x746e6543, 0x736c7561, 0x48727561);	/* "CentaurHauls" */
	assert_int_equal(replay(&src, &dst), 0);
	assert_int_equal(vtc_status(&dst), VTC_NOT_INTEL_OR_AMD);
	/* unknown MSR or leaf */
	assert_int_equal(vtc_set_msr(&dst, 0x10, 1), -1);
	assert_int_equal(vtc_set_cpuid(&dst, 7, 0, 0, 0, 0), -1);
}

/* Reserved bits that are set are shown, never dropped. */
static void test_reserved_bits_shown(void **state)
{
	struct vtc_cpu c;
	struct lines *l;

	(void)state;
	intel_cpuid(&c, true);
	vtc_set_msr(&c, 0x480, 0x00da040000000004ull | (1ull << 60));
	vtc_set_msr(&c, 0x481, 0x0000020000000016ull);	/* allowed-1 bit 9: reserved */
	vtc_set_msr(&c, 0x482, (1ull << 63) | 0x0401e172ull);
	vtc_set_msr(&c, 0x48b, 1ull << (32 + 1));	/* EPT */
	vtc_set_msr(&c, 0x48c, (1ull << 1) | (1ull << 63));	/* reserved bits 1 and 63 */
	l = report(&c, 0);
	expect_line(l, "  Reserved (bit 9): Can set=Yes, Can clear=Yes");
	expect_line(l, "  Reserved (bit 1): set");
	expect_line(l, "  Reserved (bit 63): set");
	expect_line(l, "  Reserved (bit 60): set");
	free(l);
}

/* ---- comparisons ---- */

static void test_diff_and_baseline(void **state)
{
	struct host sky = load("skylake-sp.dump"), nested = load("nested-forced-extint.dump");
	struct host merom = load("core2-merom.dump");
	const struct vtc_cpu *list[2];
	struct vtc_cpu base;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	/* Skylake -> nested L1: L1 cannot clear ext-int exiting and lacks PLE */
	assert_true(diff_cpus(&sky.cpus[0], &nested.cpus[0], print_diff_item,
			      &(struct diff_printer){ .out = out, .indent = "" }) > 0);
	fclose(out);
	assert_non_null(strstr(text, "Pinbased Controls:\n  bit 0 External-interrupt exiting: "
			       "A can clear, B cannot (B forces it to 1)\n"));
	assert_non_null(strstr(text, "Secondary Procbased Controls:\n  bit 10 PAUSE-loop exiting: "
			       "A can set, B cannot\n"));
	free(text);
	/* A host offers everything it offers */
	out = fopen("/dev/null", "w");
	assert_int_equal(count_differences(&sky.cpus[0], &sky.cpus[1]), 0);
	/* Merom can do nothing Skylake cannot, as far as controls go */
	assert_int_equal(count_differences(&merom.cpus[0], &sky.cpus[0]), 0);
	fclose(out);

	list[0] = &sky.cpus[0];
	list[1] = &nested.cpus[0];
	baseline_cpu(list, 2, &base);
	expect_ctl(&base, VTC_PINBASED, 0, true, false, false);	/* forced on by one host */
	expect_ctl(&base, VTC_PROCBASED2, 10, false, true, -1);	/* PLE missing on one */
	expect_ctl(&base, VTC_PROCBASED2, 1, true, true, -1);
	list[1] = &merom.cpus[0];
	baseline_cpu(list, 2, &base);
	expect_absent(&base, VTC_PROCBASED2);			/* Merom has none */
	expect_ctl(&base, VTC_PINBASED, 5, false, true, -1);	/* no TRUE MSRs on Merom */
	free_host(&sky);
	free_host(&nested);
	free_host(&merom);
}

static void test_cpu_differences(void **state)
{
	struct host h = load("skylake-sp.dump");
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	vtc_set_msr(&h.cpus[1], 0x48b, 0x001ffcff00000000ull);
	vtc_set_msr_fault(&h.cpus[1], 0x491);
	assert_int_equal(report_cpu_differences(&h, out), 2);
	fclose(out);
	/* 83 characters: wrapped at 80 columns */
	assert_non_null(strstr(text, "CPU 1: IA32_VMX_PROCBASED_CTLS2 (0x48b) 0x001ffcff00000000, "
			       "CPU 0:\n    0x025f7fff00000000\n"));
	assert_non_null(strstr(text, "CPU 1: IA32_VMX_VMFUNC (0x491) faulted, CPU 0: "
			       "0x0000000000000001"));
	free(text);
	free_host(&h);
}

/*
 * ---- live reading through a fake sysroot ----
 * Regular files stand in for the msr/cpuid devices: MSR i at offset 8 * i,
 * leaf l at offset 16 * l (cli/source.c explains why).
 */

static void write_at(const char *path, off_t off, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, off), (ssize_t)len);
	close(fd);
}

static void fake_cpu(const char *root, const struct vtc_cpu *src, bool poison)
{
	char dir[4096], path[4200];
	unsigned int slot;
	uint32_t r[4];

	snprintf(dir, sizeof(dir), "%s/dev/cpu/%u", root, src->cpu);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/msr", dir);
	/* poison: every known MSR index holds junk, so reading one that does not exist shows */
	for (slot = 0; poison && slot < VTC_NR_MSRS; slot++) {
		uint64_t junk = 0xdeadbeefdeadbeefull;

		write_at(path, (off_t)vtc_msr_index(slot) * 8, &junk, 8);
	}
	for (slot = 0; slot < VTC_NR_MSRS; slot++)
		if (src->msr_valid & (1u << slot))
			write_at(path, (off_t)vtc_msr_index(slot) * 8, &src->msr[slot], 8);
	snprintf(path, sizeof(path), "%s/cpuid", dir);
	for (slot = 0; slot < VTC_NR_CPUID; slot++)
		if (vtc_get_cpuid(src, vtc_cpuid_leaf(slot), r))
			write_at(path, (off_t)vtc_cpuid_leaf(slot) * 16, r, 16);
}

static void test_live_fake_sysroot(void **state)
{
	struct host sky = load("skylake-sp.dump"), live = { .cpus = NULL };
	char root[] = "/tmp/vtcaps-test-XXXXXX", path[4200];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(root));
	/* no /dev/cpu at all: the "no msr driver" error */
	assert_int_equal(load_live(root, &live), EX_NODRIVER);

	snprintf(path, sizeof(path), "%s/dev", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/dev/cpu", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys/devices", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys/devices/system", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/online", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("0-1\n", f);
	fclose(f);
	/* CPU 0 present, CPU 1 directory missing its msr file: no driver */
	fake_cpu(root, &sky.cpus[0], true);
	assert_int_equal(load_live(root, &live), EX_NODRIVER);
	fake_cpu(root, &sky.cpus[1], true);
	assert_int_equal(load_live(root, &live), EX_OK);
	assert_int_equal(live.ncpus, 2);
	/* exactly the existing MSRs were read: junk at 0x492/0x493 never shows up */
	assert_cpu_equal(&live.cpus[0], &sky.cpus[0]);
	assert_cpu_equal(&live.cpus[1], &sky.cpus[1]);
	free_host(&live);

	/* with the module's dump present, that is the source */
	snprintf(path, sizeof(path), "%s/proc", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/vtcaps", root);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/proc/vtcaps/dump", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("5 0x480 0x1\n", f);
	fclose(f);
	assert_int_equal(load_live(root, &live), EX_OK);
	assert_int_equal(live.ncpus, 1);
	assert_int_equal(live.cpus[0].cpu, 5);
	free_host(&live);
	free_host(&sky);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	assert_int_equal(system(path), 0);
}

/* ---- every dump in vtcaps/dumps (also those the lab records) ---- */

static void test_all_dumps_invariants(void **state)
{
	DIR *d = opendir(VTC_DUMPS_DIR);
	struct dirent *e;
	unsigned int files = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		struct host h;
		unsigned int i, g, bit;

		if (n < 6 || strcmp(e->d_name + n - 5, ".dump"))
			continue;
		h = load(e->d_name);
		files++;
		for (i = 0; i < h.ncpus; i++) {
			const struct vtc_cpu *c = &h.cpus[i];
			struct vtc_cpu replayed;
			struct lines *l;

			/* a dump with CPUID holds exactly the MSRs a reader reads */
			if (c->cpuid_valid & 1) {
				uint32_t read = replay(c, &replayed);

				if (read != (c->msr_valid | c->msr_fault))
					fail_msg("%s CPU %u: dump has MSRs 0x%x, reader reads 0x%x",
						 e->d_name, c->cpu, c->msr_valid | c->msr_fault, read);
			}
			/* every control follows the SDM rules exactly */
			for (g = 0; g < VTC_NR_CTL_GROUPS; g++) {
				const struct vtc_ctl_table *t = &vtc_ctl_tables[g];
				uint64_t v, tv;
				struct vtc_ctl_bit r;

				if (!vtc_get_msr(c, t->msr, &v))
					continue;
				for (bit = 0; bit < t->width; bit++) {
					assert_true(vtc_ctl_eval(c, g, bit, &r));
					if (t->width == 64) {
						assert_int_equal(r.can_set, (v >> bit) & 1);
						assert_true(r.can_clear);
						continue;
					}
					assert_int_equal(r.can_set, (v >> (32 + bit)) & 1);
					assert_int_equal(r.can_clear, !((v >> bit) & 1));
					if (t->true_msr && vtc_get_msr(c, t->true_msr, &tv))
						assert_int_equal(r.can_clear_true, !((tv >> bit) & 1));
					else
						assert_int_equal(r.can_clear_true, -1);
				}
			}
			l = report(c, VTC_REPORT_LINUX_NAMES);
			assert_true(l->n > 1);
			/* the report wraps at 80 columns */
			for (bit = 0; bit < l->n; bit++)
				if (strlen(l->text[bit]) > VTC_COLS)
					fail_msg("%s: line over 80 columns: %s", e->d_name,
						 l->text[bit]);
			free(l);
			/* the shipped dumps are complete and possible */
			assert_int_equal(vtc_missing_msrs(c), 0);
			assert_int_equal(vtc_impossible_msrs(c), 0);
			assert_false(vtc_vendor_mix(c));
		}
		free_host(&h);
	}
	closedir(d);
	assert_true(files >= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_partial_input),
		cmocka_unit_test(test_linux_eptp_switching),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_dump_roundtrip),
		cmocka_unit_test(test_skylake_sp),
		cmocka_unit_test(test_icelake_sp),
		cmocka_unit_test(test_sapphirerapids),
		cmocka_unit_test(test_core2_merom),
		cmocka_unit_test(test_nested_forced_extint),
		cmocka_unit_test(test_epyc_milan),
		cmocka_unit_test(test_all_zero),
		cmocka_unit_test(test_vmx_disabled),
		cmocka_unit_test(test_existence_rules),
		cmocka_unit_test(test_reserved_bits_shown),
		cmocka_unit_test(test_diff_and_baseline),
		cmocka_unit_test(test_cpu_differences),
		cmocka_unit_test(test_live_fake_sysroot),
		cmocka_unit_test(test_all_dumps_invariants),
	};

	return cmocka_run_group_tests_name("vtcaps", tests, NULL, NULL);
}
