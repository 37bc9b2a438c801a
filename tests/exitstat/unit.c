// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of exitstat against a fake host (fake_host.c) that implements
 * include/kvm_exit_stats.h.  Expected figures are computed by hand from
 * what the fake was told to count, never from exitstat's own code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "cli.h"
#include "fake_host.h"
#include "kvm_exit_stats.h"
#include "reasons.h"
#include "snapshot.h"

static struct fake_host host;

struct result {
	int rc;
	char *out, *err;
	size_t out_len, err_len;
};

static struct result res;

/* Run exitstat with a space-separated command line against the fake. */
static int run(const char *cmdline)
{
	char buf[512], *argv[32], *tok;
	int argc = 0;
	FILE *out, *err;
	struct es_env env = {
		.cpuid = fake_cpuid,
		.run = fake_run,
		.sleep = fake_sleep,
		.now = fake_now,
		.ctx = &host,
	};

	free(res.out);
	free(res.err);
	snprintf(buf, sizeof(buf), "exitstat %s", cmdline);
	for (tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	out = open_memstream(&res.out, &res.out_len);
	err = open_memstream(&res.err, &res.err_len);
	env.out = out;
	env.err = err;
	res.rc = exitstat_main(argc, argv, &env);
	fclose(out);
	fclose(err);
	return res.rc;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("expected to find\n  %s\nin\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fail_msg("did not expect\n  %s\nin\n%s", needle, hay);
}

/* The value of "key": N in a JSON text (first occurrence). */
static uint64_t json_u64(const char *json, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (!p)
		fail_msg("no %s in %s", key, json);
	return strtoull(p + strlen(pat), NULL, 10);
}

/* The JSON object of reason r in a "reasons" array. */
static const char *json_reason(const char *json, uint32_t r)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "{\"reason\":%u,", r);
	p = strstr(json, pat);
	if (!p)
		fail_msg("no reason %u in %s", r, json);
	return p;
}

static int setup_intel(void **state)
{
	(void)state;
	fake_host_init_intel(&host);
	return 0;
}

static int setup_amd(void **state)
{
	(void)state;
	fake_host_init_amd(&host);
	return 0;
}

/* --- vendor and names ---------------------------------------------- */

static enum es_vendor vendor_of(const char *id)
{
	struct es_reader rd;

	host.vendor = id;
	es_reader_init(&rd, fake_cpuid, &host);
	return es_read_vendor(&rd);
}

static void test_vendor_detect(void **state)
{
	(void)state;
	assert_int_equal(vendor_of("GenuineIntel"), ES_VENDOR_INTEL);
	assert_int_equal(vendor_of("AuthenticAMD"), ES_VENDOR_AMD);
	assert_int_equal(vendor_of("HygonGenuine"), ES_VENDOR_AMD);
	assert_int_equal(vendor_of("TCGTCGTCGTCG"), ES_VENDOR_UNKNOWN);
	assert_int_equal(host.exits, 4);	/* each read was an exit */
}

/* Numbers from SDM Table C-1 and APM Appendix C, typed in by hand. */
static void test_reason_names(void **state)
{
	char buf[48];

	(void)state;
	assert_string_equal(es_reason_name(ES_VENDOR_INTEL, 10, buf, 48), "CPUID");
	assert_string_equal(es_reason_name(ES_VENDOR_INTEL, 12, buf, 48), "HLT");
	assert_string_equal(es_reason_name(ES_VENDOR_INTEL, 30, buf, 48), "I/O instruction");
	assert_string_equal(es_reason_name(ES_VENDOR_INTEL, 32, buf, 48), "WRMSR");
	assert_string_equal(es_reason_name(ES_VENDOR_INTEL, 48, buf, 48), "EPT violation");
	assert_string_equal(es_reason_name(ES_VENDOR_INTEL, 52, buf, 48), "VMX-preemption timer expired");
	assert_string_equal(es_reason_name(ES_VENDOR_INTEL, 85, buf, 48), "WRMSRNS with immediate");
	assert_string_equal(es_reason_name(ES_VENDOR_INTEL, 35, buf, 48), "reason 35");
	assert_string_equal(es_reason_name(ES_VENDOR_INTEL, 0xDEAD, buf, 48), "reason 57005");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x072, buf, 48), "CPUID");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x07B, buf, 48), "IOIO");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x081, buf, 48), "VMMCALL");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x003, buf, 48), "CR3_READ");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x01F, buf, 48), "CR15_WRITE");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x027, buf, 48), "DR7_READ");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x04E, buf, 48), "EXCP14 (#PF)");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x04F, buf, 48), "EXCP15");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x098, buf, 48), "CR8_WRITE_TRAP");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x400, buf, 48), "NPF");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x0A2, buf, 48), "INVPCID");
	assert_string_equal(es_reason_name(ES_VENDOR_AMD, 0x404, buf, 48), "reason 1028");
	assert_int_equal(es_cpuid_reason(ES_VENDOR_INTEL), 10);
	assert_int_equal(es_cpuid_reason(ES_VENDOR_AMD), 0x72);
}

/* The lists are sorted, duplicate-free and skip the SDM's holes. */
static void test_reason_lists(void **state)
{
	enum es_vendor v[] = { ES_VENDOR_INTEL, ES_VENDOR_AMD };
	size_t i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		size_t n = es_reason_count(v[k]);

		assert_true(n > 0 && n <= ES_MAX_REASONS);
		for (i = 1; i < n; i++)
			assert_true(es_reason_at(v[k], i - 1) < es_reason_at(v[k], i));
	}
	/* 86 numbers 0..85 minus 35, 38, 42, 82, 83 */
	assert_int_equal(es_reason_count(ES_VENDOR_INTEL), 81);
	/* every code 0x000..0x0A6, 0x400..0x403 and VMEXIT_INVALID */
	assert_int_equal(es_reason_count(ES_VENDOR_AMD), 0xA7 + 4 + 1);
	assert_int_equal(es_reason_at(ES_VENDOR_AMD, 0xA7 + 4), 0xFFFFFFFF);
	for (i = 0; i < es_reason_count(ES_VENDOR_INTEL); i++) {
		uint32_t r = es_reason_at(ES_VENDOR_INTEL, i);

		assert_true(r != 35 && r != 38 && r != 42 && r != 82 && r != 83);
	}
}

/* --- plain reading -------------------------------------------------- */

static void test_totals_text_and_64bit_halves(void **state)
{
	(void)state;
	host.exits = 0x0000000300000005ULL;	/* both halves nonzero */
	host.cycles = 0x00000007FFFFFFF0ULL;
	assert_int_equal(run(""), 0);
	/* CPUID leaf 0 (vendor) and the read of 0x4FFFFFFC, which counts
	 * itself: +2 exits; their cycles are added only after they answered,
	 * and the 0x4FFFFFFD read comes after both: +2000 cycles. */
	assert_contains(res.out, "12884901895\n");	/* 0x300000007 */
	assert_contains(res.out, "34359740352\n");	/* 0x7FFFFFFF0 + 2000 */
	assert_contains(res.out, "cycles/exit ");
	assert_contains(res.out, "2.7\n");		/* 34359740352 / 12884901895 */
	assert_contains(res.out, "(2 of the exits are exitstat's own");
	assert_string_equal(res.err, "");
	assert_int_equal(host.cpuid_calls, 3);		/* vendor + 2 leaves */
}

static void test_totals_json(void **state)
{
	(void)state;
	host.exits = 0xFFFFFFFEULL;			/* +2 carries into EBX */
	host.cycles = 0x123456789ABCULL;
	assert_int_equal(run("--json"), 0);
	assert_int_equal(json_u64(res.out, "exits"), 0x100000000ULL);
	assert_int_equal(json_u64(res.out, "cycles"), 0x123456789ABCULL + 2000);
	assert_int_equal(json_u64(res.out, "self_exits"), 2);
	assert_contains(res.out, "{\"instrumented\":true,\"mode\":\"snapshot\",\"vendor\":\"intel\"");
	assert_lacks(res.out, "\"reasons\"");
	assert_true(res.out[strlen(res.out) - 1] == '\n');
}

static void test_zero_exits_no_division(void **state)
{
	(void)state;
	host.cycles_per_cpuid = 0;
	host.exits = (uint64_t)-2;	/* wraps to 0 with exitstat's 2 exits */
	assert_int_equal(run("--json"), 0);
	assert_int_equal(json_u64(res.out, "exits"), 0);
	assert_contains(res.out, "\"cycles_per_exit\":null");
}

/* --- not instrumented ----------------------------------------------- */

static void test_not_instrumented(void **state)
{
	(void)state;
	host.instrumented = false;
	assert_int_equal(run(""), ES_EXIT_NOT_INSTRUMENTED);
	assert_string_equal(res.out, "");
	assert_contains(res.err, "not instrumented");
	assert_int_equal(run("--reasons"), ES_EXIT_NOT_INSTRUMENTED);
	assert_string_equal(res.out, "");
	assert_int_equal(run("--json --reasons"), ES_EXIT_NOT_INSTRUMENTED);
	assert_contains(res.out, "{\"instrumented\":false,\"error\":\"not instrumented");
	assert_int_equal(run("--watch 1 --count 2"), ES_EXIT_NOT_INSTRUMENTED);
	assert_string_equal(res.out, "");
	assert_int_equal(host.sleeps, 0);
	/* Command mode must not even start the command. */
	assert_int_equal(run("-- true"), ES_EXIT_NOT_INSTRUMENTED);
	assert_int_equal(host.runs, 0);
	assert_string_equal(res.out, "");
}

/* Stock KVM answering with the signature value in another register. */
static void test_not_instrumented_lookalike(void **state)
{
	(void)state;
	host.instrumented = false;
	host.stock_edx = KVM_EXIT_STATS_SIGNATURE + 1;
	assert_int_equal(run("--json"), ES_EXIT_NOT_INSTRUMENTED);
	assert_lacks(res.out, "\"exits\"");
}

static void test_signature_but_broken_contract(void **state)
{
	(void)state;
	host.bad_total_ecx = true;
	assert_int_equal(run(""), ES_EXIT_ERROR);
	assert_string_equal(res.out, "");
	assert_contains(res.err, "does not follow include/kvm_exit_stats.h");
	host.bad_total_ecx = false;
	host.bad_reason = 48;
	host.reason_exits[48] = 3;
	assert_int_equal(run("--reasons"), ES_EXIT_ERROR);
	assert_string_equal(res.out, "");
	assert_contains(res.err, "neither a count nor UNDEFINED");
}

/* --- per-reason table ----------------------------------------------- */

static void give_intel_history(void)
{
	fake_host_add(&host, 48, 0x100000002ULL, 0x500000000ULL);	/* EPT violation */
	fake_host_add(&host, 30, 7000, 9000000);			/* I/O */
	fake_host_add(&host, 12, 300, 99000000);			/* HLT: most cycles */
	fake_host_add(&host, 10, 40, 40000);				/* CPUID */
	fake_host_add(&host, 84, 5, 50);	/* counted by the table, but ... */
	host.undefined[84] = true;		/* ... the kernel calls it undefined */
	host.exits += 11;			/* exits of unlisted reasons */
}

static void test_reasons_text_sorted(void **state)
{
	const char *ept, *io, *hlt, *cpuid;

	(void)state;
	give_intel_history();
	assert_int_equal(run("--reasons"), 0);
	ept = strstr(res.out, "   48  EPT violation");
	io = strstr(res.out, "   30  I/O instruction");
	hlt = strstr(res.out, "   12  HLT");
	cpuid = strstr(res.out, "   10  CPUID");
	assert_non_null(ept);
	assert_non_null(io);
	assert_non_null(hlt);
	assert_non_null(cpuid);
	assert_true(ept < io && io < hlt && hlt < cpuid);
	assert_lacks(res.out, "RDMSR with immediate");	/* undefined by kernel */
	assert_lacks(res.out, "Triple fault");		/* zero row */
	/* EPT share: 4294967298 of 4294974655 exits (incl. the read) */
	assert_contains(res.out, "4294967298  100.0%");
	/* 5 (reason 84) + 11 (unlisted) are not attributed */
	assert_contains(res.out, "16 exits not attributed");
	/* CPUID row at the moment of the total: 40 + vendor + total read */
	assert_contains(res.out, "   10  CPUID                                      42 ");

	assert_int_equal(run("--reasons --sort cycles"), 0);
	ept = strstr(res.out, "   48  EPT violation");
	hlt = strstr(res.out, "   12  HLT");
	assert_true(ept < hlt);		/* 0x500000000 > 99000000 */
	io = strstr(res.out, "   30  I/O instruction");
	assert_true(hlt < io);
	assert_int_equal(run("--reasons --sort reason"), 0);
	assert_true(strstr(res.out, "   10  CPUID") < strstr(res.out, "   12  HLT"));
	assert_int_equal(run("--reasons --all"), 0);
	assert_contains(res.out, "    2  Triple fault");
	assert_lacks(res.out, "   35  ");
}

/* Sum over the reasons equals the total when nothing else runs. */
static void test_reasons_add_up_to_total(void **state)
{
	(void)state;
	fake_host_add(&host, 48, 123456, 1);
	fake_host_add(&host, 1, 77, 1);
	fake_host_add(&host, 10, 5, 1);
	assert_int_equal(run("--reasons --json"), 0);
	assert_contains(res.out, "\"unattributed_exits\":0}");
	assert_int_equal(json_u64(res.out, "exits"), 123456 + 77 + 5 + 2);
	assert_int_equal(json_u64(json_reason(res.out, 10), "exits"), 7);
	assert_int_equal(json_u64(json_reason(res.out, 48), "exits"), 123456);
	assert_contains(json_reason(res.out, 48), "\"name\":\"EPT violation\"");
	/* Only rows with exits cost a cycles read: 81 + 3 + vendor + 2. */
	assert_int_equal(host.cpuid_calls, 81 + 3 + 1 + 2);
}

static void test_reasons_amd(void **state)
{
	(void)state;
	fake_host_add(&host, 0x400, 1000, 2000000);	/* NPF */
	fake_host_add(&host, 0x07B, 500, 1500000);	/* IOIO */
	fake_host_add(&host, 0x04E, 3, 30);		/* #PF intercept */
	fake_host_add(&host, 0xFFFFFFFF, 2, 20);	/* VMEXIT_INVALID */
	assert_int_equal(run("--reasons"), 0);
	assert_contains(res.out, "0x400  NPF ");
	assert_contains(res.out, "0x07B  IOIO ");
	assert_contains(res.out, "0x04E  EXCP14 (#PF) ");
	assert_contains(res.out, "0x072  CPUID ");
	assert_contains(res.out, "   -1  INVALID ");
	assert_true(strstr(res.out, "NPF") < strstr(res.out, "IOIO"));
	assert_lacks(res.out, "not attributed");
	assert_int_equal(run("--reasons --json"), 0);
	assert_contains(res.out, "\"vendor\":\"amd\"");
	assert_int_equal(json_u64(json_reason(res.out, 0x400), "cycles"), 2000000);
	assert_int_equal(json_u64(json_reason(res.out, 0xFFFFFFFF), "exits"), 2);
	assert_int_equal(json_u64(res.out, "self_exit_reason"), 0x72);
}

static void test_vendor_override(void **state)
{
	(void)state;
	host.vendor = "TCGTCGTCGTCG";
	fake_host_add(&host, 0x07B, 9, 9);
	assert_int_equal(run("--reasons --vendor amd"), 0);
	assert_contains(res.out, "0x07B  IOIO ");
	assert_int_equal(run("--vendor arm"), ES_EXIT_ERROR);
	assert_contains(res.err, "--vendor takes intel or amd");
}

/* --- command mode: deltas and self accounting ------------------------ */

static void test_command_delta_exact(void **state)
{
	(void)state;
	host.exits = 0xFFFFFFF0ULL;		/* the delta crosses 2^32 */
	host.reason_exits[10] = 0xFFFFFFF0ULL - 100;
	host.reason_exits[1] = 100;
	host.workload[0].reason = 10;		/* the command: 1000 CPUIDs */
	host.workload[0].exits = 1000;
	host.workload[0].cycles = 2000000;
	host.workload[1].reason = 12;		/* and 5 HLTs */
	host.workload[1].exits = 5;
	host.workload[1].cycles = 50;
	host.workload_status = 3;
	assert_int_equal(run("--json -- mycmd a\"b"), 3);
	assert_int_equal(host.runs, 1);
	/* Report goes to stderr in command mode, like perf stat. */
	assert_string_equal(res.out, "");
	/* Between the two total reads: the cycles read and the second total
	 * read itself = 2 self exits. */
	assert_int_equal(json_u64(res.err, "self_exits"), 2);
	assert_int_equal(json_u64(res.err, "exits"), 1005 + 2);
	/* Cycles: the workload + the handling of before's 2 reads
	 * (0x4FFFFFFC finished before 0x4FFFFFFD read cycles, so only the
	 * 0x4FFFFFFD one and the after-0x4FFFFFFC one fall in between). */
	assert_int_equal(json_u64(res.err, "cycles"), 2000050 + 2 * 1000);
	assert_int_equal(json_u64(res.err, "status"), 3);
	assert_contains(res.err, "\"command\":[\"mycmd\",\"a\\\"b\"]");
	assert_contains(res.err, "\"mode\":\"command\"");
	assert_contains(res.err, "\"seconds\":0.250000");
}

static void test_command_reasons_self_exits(void **state)
{
	const char *rep;
	uint64_t self;

	(void)state;
	fake_host_add(&host, 48, 10, 10);
	host.workload[0].reason = 10;
	host.workload[0].exits = 1000;
	host.workload[1].reason = 30;
	host.workload[1].exits = 77;
	host.workload[1].cycles = 7700;
	assert_int_equal(run("--reasons --json -- x"), 0);
	rep = res.err;		/* command mode reports on stderr */
	self = json_u64(rep, "self_exits");
	/* cycles read + the before table (81 exits reads + cycles reads of
	 * CPUID and EPT rows) + the second total read */
	assert_int_equal(self, 1 + 81 + 2 + 1);
	assert_int_equal(json_u64(rep, "exits"), 1077 + self);
	/* The CPUID row covers the same window as the total. */
	assert_int_equal(json_u64(json_reason(rep, 10), "exits"), 1000 + self);
	assert_int_equal(json_u64(json_reason(rep, 30), "exits"), 77);
	assert_int_equal(json_u64(json_reason(rep, 30), "cycles"), 7700);
	assert_contains(rep, "\"unattributed_exits\":0}");
	/* EPT had exits before but none during: not shown. */
	assert_lacks(rep, "{\"reason\":48,");
}

/* -o FILE takes the report, stdout and stderr stay clean. */
static void test_output_file(void **state)
{
	char path[] = "/tmp/exitstat-unit-XXXXXX", buf[512];
	FILE *f;
	size_t n;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(buf, sizeof(buf), "--json -o %s -- x", path);
	assert_int_equal(run(buf), 0);
	assert_string_equal(res.out, "");
	assert_string_equal(res.err, "");
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	assert_int_equal(json_u64(buf, "self_exits"), 2);
	assert_int_equal(run("-o /nonexistent/dir/file"), ES_EXIT_ERROR);
	assert_contains(res.err, "cannot write /nonexistent/dir/file");
}

static void test_command_text(void **state)
{
	(void)state;
	host.workload[0].reason = 12;
	host.workload[0].exits = 40;
	host.workload[0].cycles = 4000;
	assert_int_equal(run("-r -- sleep 1"), 0);
	assert_contains(res.err, "KVM exit statistics for 'sleep 1' (exit status 0, 0.250 s)");
	assert_contains(res.err, "   12  HLT ");
	assert_contains(res.err, "of the exits are exitstat's own CPUID reads, reason CPUID");
}

static void test_command_cannot_run(void **state)
{
	(void)state;
	assert_int_equal(run("-- does-not-exist"), 127);
	assert_contains(res.err, "cannot run does-not-exist");
	assert_lacks(res.err, "exits ");
}

static void test_counter_went_backwards(void **state)
{
	(void)state;
	host.exits = 1000;
	host.workload[0].reason = 10;
	host.workload[0].exits = (uint64_t)-500;	/* wraps: goes down */
	assert_int_equal(run("-- x"), ES_EXIT_ERROR);
	assert_contains(res.err, "went backwards");
	assert_lacks(res.err, "cycles/exit");
}

/* --- watch ------------------------------------------------------------ */

static void test_watch_lines(void **state)
{
	(void)state;
	host.workload[0].reason = 48;
	host.workload[0].exits = 100;
	host.workload[0].cycles = 3000;
	assert_int_equal(run("--watch 0.5 --count 3"), 0);
	assert_int_equal(host.sleeps, 3);
	/* header + 3 lines: 100 + 2 self exits each, 3000 + 2000 cycles */
	assert_contains(res.out, "seconds          exits");
	assert_contains(res.out, "     0.500            102               5000         49.0        204.0\n");
	assert_int_equal(run("--watch 2 --count 2 --json --reasons"), 0);
	assert_contains(res.out, "\"interval\":1,");
	assert_contains(res.out, "\"interval\":2,");
	assert_lacks(res.out, "\"interval\":3,");
	assert_contains(res.out, "\"seconds\":2.000000");
	assert_contains(res.out, "{\"reason\":48,\"name\":\"EPT violation\",\"exits\":100,\"cycles\":3000");
	assert_contains(res.out, "\"unattributed_exits\":0}\n{");
}

static void test_watch_text_top_reasons(void **state)
{
	(void)state;
	host.workload[0].reason = 30;
	host.workload[0].exits = 50;
	host.workload[1].reason = 12;
	host.workload[1].exits = 7;
	assert_int_equal(run("-w 1 -n 1 -r"), 0);
	assert_contains(res.out, "top reasons");
	assert_contains(res.out, " I/O instruction 50,");
	assert_contains(res.out, ", HLT 7\n");
}

/* --- usage ---------------------------------------------------------- */

static void test_usage_errors(void **state)
{
	static const char *const bad[] = {
		"--watch abc", "--watch 0", "--watch -1", "--watch 1x",
		"--count 0", "--count 5", "-w 1 --count -2", "--sort size",
		"--bogus", "--watch", "-w 1 -- cmd",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(run(bad[i]), ES_EXIT_ERROR);
		assert_contains(res.err, "Try 'exitstat --help'.");
		assert_string_equal(res.out, "");
	}
	assert_int_equal(host.cpuid_calls, 0);
	assert_int_equal(run("--help"), 0);
	assert_contains(res.out, "self_exits");
	assert_contains(res.out, "Exit status: 0 ok, 1 error, 2 not instrumented");
}

#define T(fn, setup) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_vendor_detect, setup_intel),
		T(test_reason_names, setup_intel),
		T(test_reason_lists, setup_intel),
		T(test_totals_text_and_64bit_halves, setup_intel),
		T(test_totals_json, setup_intel),
		T(test_zero_exits_no_division, setup_intel),
		T(test_not_instrumented, setup_intel),
		T(test_not_instrumented_lookalike, setup_amd),
		T(test_signature_but_broken_contract, setup_intel),
		T(test_reasons_text_sorted, setup_intel),
		T(test_reasons_add_up_to_total, setup_intel),
		T(test_reasons_amd, setup_amd),
		T(test_vendor_override, setup_amd),
		T(test_command_delta_exact, setup_intel),
		T(test_command_reasons_self_exits, setup_intel),
		T(test_command_text, setup_intel),
		T(test_output_file, setup_intel),
		T(test_command_cannot_run, setup_intel),
		T(test_counter_went_backwards, setup_intel),
		T(test_watch_lines, setup_intel),
		T(test_watch_text_top_reasons, setup_intel),
		T(test_usage_errors, setup_intel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
