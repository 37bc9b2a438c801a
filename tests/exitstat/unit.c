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

/* Run exitstat with argv (NULL-terminated, without argv[0]). */
static int run_argv(const char *const *args)
{
	char *argv[64];
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
	argv[argc++] = (char *)"exitstat";
	while (*args && argc < 63)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	out = open_memstream(&res.out, &res.out_len);
	err = open_memstream(&res.err, &res.err_len);
	env.out = out;
	env.err = err;
	/* The fake command inherits exitstat's stdout and stderr. */
	host.cmd_stdout = out;
	host.cmd_stderr = err;
	res.rc = exitstat_main(argc, argv, &env);
	host.cmd_stdout = host.cmd_stderr = NULL;
	fclose(out);
	fclose(err);
	return res.rc;
}

/* Run exitstat with a space-separated command line against the fake. */
static int run(const char *cmdline)
{
	char buf[512], *tok;
	const char *args[32];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", cmdline);
	for (tok = strtok(buf, " "); tok && n < 31; tok = strtok(NULL, " "))
		args[n++] = tok;
	args[n] = NULL;
	return run_argv(args);
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

static int reason_listed(enum es_vendor v, uint32_t r)
{
	size_t i;

	for (i = 0; i < es_reason_count(v); i++)
		if (es_reason_at(v, i) == r)
			return 1;
	return 0;
}

static int reason_named(enum es_vendor v, uint32_t r)
{
	char buf[64];

	return strncmp(es_reason_name(v, r, buf, sizeof(buf)), "reason ", 7) != 0;
}

/*
 * The lists come from the contract header's predicates, the names from
 * exitstat's tables: every listed reason has a name, and no name exists for
 * a reason the header does not define.
 */
static void test_reason_names_match_the_header(void **state)
{
	enum es_vendor v[] = { ES_VENDOR_INTEL, ES_VENDOR_AMD };
	uint32_t r;
	size_t k, i;

	(void)state;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < es_reason_count(v[k]); i++)
			assert_true(reason_named(v[k], es_reason_at(v[k], i)));
		for (r = 0; r <= 0x1000; r++)
			assert_int_equal(reason_named(v[k], r),
					 reason_listed(v[k], r));
		assert_int_equal(reason_named(v[k], 0xFFFFFFFF),
				 reason_listed(v[k], 0xFFFFFFFF));
	}
	assert_true(reason_listed(ES_VENDOR_AMD, 0xFFFFFFFF));
	assert_false(reason_listed(ES_VENDOR_INTEL, 0xFFFFFFFF));
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

#define NI_KVM_MESSAGE \
	"exitstat: not instrumented: CPUID 0x4FFFFFFC answered EDX=0x2C100800, not the\n" \
	"  signature 0x58455456\n" \
	"exitstat: host: CPUID 0x40000000 says \"KVMKVMKVM\": KVM without the\n" \
	"  exit-statistics series, or with kvm.exit_stats=off\n" \
	"exitstat: to count exits: on the host, load a KVM built with the exit-statistics\n" \
	"  series (kvm/load-modules, docs/kvm-modules.md) and set\n" \
	"  /sys/module/kvm/parameters/exit_stats to host or vm\n"

static void test_not_instrumented(void **state)
{
	(void)state;
	host.instrumented = false;
	/* 0x2C100800: the fake's stock EDX; the host is the fake's KVM. */
	assert_int_equal(run(""), ES_EXIT_NOT_INSTRUMENTED);
	assert_string_equal(res.out, "");
	assert_string_equal(res.err, NI_KVM_MESSAGE);
	/* leaf 0, 0x4FFFFFFC, leaf 1, 0x40000000 */
	assert_int_equal(host.cpuid_calls, 4);
	assert_int_equal(run("--reasons"), ES_EXIT_NOT_INSTRUMENTED);
	assert_string_equal(res.out, "");
	assert_int_equal(run("--json --reasons"), ES_EXIT_NOT_INSTRUMENTED);
	assert_string_equal(res.out,
		"{\"instrumented\":false,\"mode\":\"snapshot\",\"vendor\":\"intel\","
		"\"error\":\"not instrumented: CPUID 0x4FFFFFFC answered EDX=0x2C100800, not the signature 0x58455456\","
		"\"host\":{\"hypervisor\":true,\"id\":\"kvm\",\"signature\":\"KVMKVMKVM\","
		"\"signature_leaf\":1073741824,"
		"\"what\":\"KVM without the exit-statistics series, or with kvm.exit_stats=off\"},"
		"\"advice\":\"on the host, load a KVM built with the exit-statistics series (kvm/load-modules, docs/kvm-modules.md) and set /sys/module/kvm/parameters/exit_stats to host or vm\"}\n");
	assert_int_equal(run("--watch 1 --count 2"), ES_EXIT_NOT_INSTRUMENTED);
	assert_string_equal(res.out, "");
	assert_string_equal(res.err, NI_KVM_MESSAGE);
	assert_int_equal(host.sleeps, 0);
}

/* Like perf stat without counters: CMD runs, its status is exitstat's. */
static void test_command_not_instrumented(void **state)
{
	const char *nl;

	(void)state;
	host.instrumented = false;
	host.workload_status = 7;
	assert_int_equal(run("-- mycmd arg"), 7);
	assert_int_equal(host.runs, 1);
	assert_false(host.last_stdout_to_stderr);
	assert_string_equal(res.out, "cmd-stdout\n");
	assert_string_equal(res.err, NI_KVM_MESSAGE
		"\n KVM exit statistics for 'mycmd arg':\n exit status 7 after 0.250 s\n\n"
		"exits               <not counted>\n"
		"cycles              <not counted>\n"
		"(no counts: exitstat said why on standard error)\n");

	/* --json: stdout holds the JSON alone, CMD's stdout went to stderr. */
	assert_int_equal(run("--json -- mycmd arg"), 7);
	assert_int_equal(host.runs, 2);
	assert_true(host.last_stdout_to_stderr);
	assert_true(!strncmp(res.out,
		"{\"instrumented\":false,\"mode\":\"command\",\"vendor\":\"intel\","
		"\"command\":[\"mycmd\",\"arg\"],\"status\":7,\"seconds\":0.250000,"
		"\"error\":\"not instrumented: CPUID 0x4FFFFFFC", 147));
	assert_contains(res.out, "\"host\":{\"hypervisor\":true,\"id\":\"kvm\",");
	nl = strchr(res.out, '\n');
	assert_true(nl && nl[1] == '\0');		/* one line */
	assert_string_equal(res.err, "cmd-stdout\n" NI_KVM_MESSAGE);

	assert_int_equal(run("-- does-not-exist"), 127);
	assert_string_equal(res.err, "exitstat: cannot run does-not-exist: No such file\n");
}

/*
 * What the host is, from CPUID.1:ECX[31] and the signature of leaf
 * 0x40000000 (0x40000100 behind a Hyper-V interface), typed in from the
 * hypervisors' documentation.
 */
static void test_host_identification(void **state)
{
	static const struct {
		const char *sig, *sig2;		/* 12 bytes each; NULL: none */
		const char *id, *json_sig, *text;
		unsigned long cpuids;
	} hosts[] = {
		{ NULL, NULL, "none", NULL,
		  "exitstat: host: no hypervisor (CPUID.1:ECX[31] is 0): bare metal, or a\n"
		  "  hypervisor that hides itself\n", 3 },
		{ "KVMKVMKVM\0\0\0", NULL, "kvm", "KVMKVMKVM",
		  "CPUID 0x40000000 says \"KVMKVMKVM\": KVM without", 4 },
		{ "Microsoft Hv", "KVMKVMKVM\0\0\0", "kvm", "KVMKVMKVM",
		  "CPUID 0x40000100 says \"KVMKVMKVM\": KVM without", 5 },
		{ "Linux KVM Hv", NULL, "kvm", "Linux KVM Hv",
		  "\"Linux KVM Hv\": KVM (its Hyper-V\n  emulation) without", 4 },
		{ "Microsoft Hv", NULL, "hyperv", "Microsoft Hv",
		  "\"Microsoft Hv\": Microsoft Hyper-V, which\n", 5 },
		{ "Microsoft Hv", "XenVMMXenVMM", "xen", "XenVMMXenVMM",
		  "CPUID 0x40000100 says \"XenVMMXenVMM\": Xen,", 5 },
		{ "TCGTCGTCGTCG", NULL, "tcg", "TCGTCGTCGTCG",
		  "start QEMU with -accel kvm", 4 },
		{ "VMwareVMware", NULL, "vmware", "VMwareVMware", ": VMware, which", 4 },
		{ "XenVMMXenVMM", NULL, "xen", "XenVMMXenVMM", ": Xen, which", 4 },
		{ "bhyve bhyve ", NULL, "bhyve", "bhyve bhyve ", ": bhyve, which", 4 },
		{ "VBoxVBoxVBox", NULL, "virtualbox", "VBoxVBoxVBox", ": VirtualBox,", 4 },
		{ " lrpepyh  vr", NULL, "parallels", " lrpepyh  vr", ": Parallels,", 4 },
		{ "ACRNACRNACRN", NULL, "acrn", "ACRNACRNACRN", ": ACRN,", 4 },
		{ "OpenBSDVMM58", NULL, "openbsd-vmm", "OpenBSDVMM58", ": OpenBSD vmm,", 4 },
		/* Bytes nobody publishes: shown escaped, never raw. */
		{ "Foo\001Bar\0\0\0\0\0", NULL, "unknown", "Foo\\\\x01Bar",
		  "says \"Foo\\x01Bar\": a hypervisor exitstat does\n  not know", 4 },
		{ "KVMKVMKVM\0\0X", NULL, "unknown", "KVMKVMKVM\\\\x00\\\\x00X",
		  "says \"KVMKVMKVM\\x00\\x00X\"", 4 },
	};
	char want[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		fake_host_init_intel(&host);
		host.instrumented = false;
		fake_host_set_hypervisor(&host, hosts[i].sig);
		if (hosts[i].sig2)
			memcpy(host.hv_signature2, hosts[i].sig2, 12);
		assert_int_equal(run(""), ES_EXIT_NOT_INSTRUMENTED);
		assert_contains(res.err, hosts[i].text);
		assert_int_equal(host.cpuid_calls, hosts[i].cpuids);
		assert_int_equal(run("--json"), ES_EXIT_NOT_INSTRUMENTED);
		snprintf(want, sizeof(want), "\"id\":\"%s\",", hosts[i].id);
		assert_contains(res.out, want);
		if (hosts[i].json_sig)
			snprintf(want, sizeof(want), "\"signature\":\"%s\",",
				 hosts[i].json_sig);
		else
			snprintf(want, sizeof(want), "\"hypervisor\":false,\"id\":\"none\",\"signature\":null,\"signature_leaf\":null,");
		assert_contains(res.out, want);
	}
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
	assert_string_equal(res.err,
		"exitstat: CPUID 0x4FFFFFFC has the signature but ECX=0x00000004, not an INFO\n"
		"  word (scope 1 or 2, other bits 0): the host does not follow\n"
		"  include/kvm_exit_stats.h\n");
	assert_int_equal(run("--json"), ES_EXIT_ERROR);
	assert_contains(res.out, "{\"instrumented\":true,\"mode\":\"snapshot\",\"vendor\":\"intel\",\"error\":\"CPUID 0x4FFFFFFC has the signature but ECX=0x00000004");
	assert_lacks(res.out, "\"host\"");
	host.bad_total_ecx = false;
	host.bad_reason = 48;
	host.reason_exits[48] = 3;
	assert_int_equal(run("--reasons"), ES_EXIT_ERROR);
	assert_string_equal(res.out, "");
	assert_contains(res.err, "neither a count nor UNDEFINED");
}

/* The INFO word's scope is shown; 0 (older hosts) reads as "unknown". */
static void test_scope_field(void **state)
{
	(void)state;
	assert_int_equal(run(""), 0);
	assert_contains(res.out, "scope                     unknown");
	host.info = KVM_EXIT_STATS_SCOPE_VM;
	assert_int_equal(run("--reasons"), 0);
	assert_contains(res.out, "scope                          vm");
	host.info = KVM_EXIT_STATS_SCOPE_HOST;
	assert_int_equal(run("--json"), 0);
	assert_contains(res.out, "\"scope\":\"host\"");
	host.info = 3;	/* not a scope */
	assert_int_equal(run(""), ES_EXIT_ERROR);
	assert_contains(res.err, "ECX=0x00000003, not an INFO");
	host.info = 0;
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
	ept = strstr(res.out, "    48  EPT violation");
	io = strstr(res.out, "    30  I/O instruction");
	hlt = strstr(res.out, "    12  HLT");
	cpuid = strstr(res.out, "    10  CPUID");
	assert_non_null(ept);
	assert_non_null(io);
	assert_non_null(hlt);
	assert_non_null(cpuid);
	assert_true(ept < io && io < hlt && hlt < cpuid);
	assert_lacks(res.out, "RDMSR with immediate");	/* undefined by kernel */
	assert_lacks(res.out, "Triple fault");		/* zero row */
	/* EPT share: 4294967298 of 4294974655 exits (incl. the read) */
	assert_contains(res.out, " 4294967298 100.0% ");
	/* 5 (reason 84) + 11 (unlisted) are not attributed */
	assert_contains(res.out, "16 exits not attributed");
	/* CPUID row at the moment of the total: 40 + vendor + total read */
	/* name column: "I/O instruction" (15); exits: 10 digits */
	assert_contains(res.out, "    10  CPUID" "          " " " "        42 ");

	assert_int_equal(run("--reasons --sort cycles"), 0);
	ept = strstr(res.out, "    48  EPT violation");
	hlt = strstr(res.out, "    12  HLT");
	assert_true(ept < hlt);		/* 0x500000000 > 99000000 */
	io = strstr(res.out, "    30  I/O instruction");
	assert_true(hlt < io);
	assert_int_equal(run("--reasons --sort reason"), 0);
	assert_true(strstr(res.out, "    10  CPUID") < strstr(res.out, "    12  HLT"));
	assert_int_equal(run("--reasons --all"), 0);
	assert_contains(res.out, "     2  Triple fault");
	assert_lacks(res.out, "    35  ");
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
	assert_contains(res.out, " 0x400  NPF ");
	assert_contains(res.out, " 0x07B  IOIO ");
	assert_contains(res.out, " 0x04E  EXCP14 (#PF) ");
	assert_contains(res.out, " 0x072  CPUID ");
	assert_contains(res.out, "    -1  INVALID ");
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
	assert_int_equal(run("--vendor arm"), ES_EXIT_USAGE);
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
	/* JSON alone on stdout: the command's stdout went to stderr. */
	assert_true(host.last_stdout_to_stderr);
	assert_string_equal(res.err, "cmd-stdout\n");
	assert_true(strchr(res.out, '\n') == res.out + strlen(res.out) - 1);
	assert_int_equal(res.out[0], '{');
	/* Between the two total reads: the cycles read and the second total
	 * read itself = 2 self exits. */
	assert_int_equal(json_u64(res.out, "self_exits"), 2);
	assert_int_equal(json_u64(res.out, "exits"), 1005 + 2);
	/* Cycles: the workload + the handling of before's 2 reads
	 * (0x4FFFFFFC finished before 0x4FFFFFFD read cycles, so only the
	 * 0x4FFFFFFD one and the after-0x4FFFFFFC one fall in between). */
	assert_int_equal(json_u64(res.out, "cycles"), 2000050 + 2 * 1000);
	assert_int_equal(json_u64(res.out, "status"), 3);
	assert_contains(res.out, "\"command\":[\"mycmd\",\"a\\\"b\"]");
	assert_contains(res.out, "\"mode\":\"command\"");
	assert_contains(res.out, "\"seconds\":0.250000");
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
	rep = res.out;		/* --json: on stdout */
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
	/* -o FILE: the command's stdout stays where it was. */
	assert_false(host.last_stdout_to_stderr);
	assert_string_equal(res.out, "cmd-stdout\n");
	assert_string_equal(res.err, "");
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	assert_int_equal(json_u64(buf, "self_exits"), 2);
	assert_int_equal(run("-o /nonexistent/dir/file"), ES_EXIT_ERROR);
	assert_string_equal(res.err, "exitstat: cannot write /nonexistent/dir/file: No such file or directory\n");
	assert_int_equal(host.runs, 1);		/* -o failed: no command */
}

static void test_command_text(void **state)
{
	(void)state;
	host.workload[0].reason = 12;
	host.workload[0].exits = 40;
	host.workload[0].cycles = 4000;
	assert_int_equal(run("-r -- sleep 1"), 0);
	assert_false(host.last_stdout_to_stderr);
	assert_string_equal(res.out, "cmd-stdout\n");
	assert_contains(res.err, "\n KVM exit statistics for 'sleep 1':\n exit status 0 after 0.250 s\n\n");
	assert_contains(res.err, "    12  HLT ");
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
	host.workload_status = 9;
	/* The command ran: its status, and the report says why no counts. */
	assert_int_equal(run("-- x"), 9);
	assert_string_equal(res.err,
		"exitstat: total exits went backwards (1002 -> 504): was the kvm module reloaded\n"
		"  or exit_stats switched?\n"
		"\n KVM exit statistics for 'x':\n exit status 9 after 0.250 s\n\n"
		"exits               <not counted>\n"
		"cycles              <not counted>\n"
		"(no counts: exitstat said why on standard error)\n");
	assert_contains(res.err, "exits               <not counted>\n");
	assert_lacks(res.err, "cycles/exit");
	assert_int_equal(run("--json -- x"), 9);
	assert_contains(res.out, "\"status\":9,");
	assert_contains(res.out, "\"error\":\"total exits went backwards (");
	assert_lacks(res.out, "\"exits\"");
	/* In --watch the same is an error (there is no command status). */
	fake_host_init_intel(&host);
	host.exits = 1000;
	host.workload[0].reason = 10;
	host.workload[0].exits = (uint64_t)-500;
	assert_int_equal(run("-w 1 -n 2 --json"), ES_EXIT_ERROR);
	assert_contains(res.out, "{\"instrumented\":true,\"mode\":\"watch\",\"vendor\":\"intel\",\"interval\":1,\"seconds\":1.000000,\"error\":\"total exits went backwards");
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
	assert_string_equal(res.out,
		"  seconds         exits            cycles cycles/exit      exits/s\n"
		"    0.500           102              5000        49.0        204.0\n"
		"    0.500           102              5000        49.0        204.0\n"
		"    0.500           102              5000        49.0        204.0\n");
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
	assert_contains(res.out, "\n  top: the 3 reasons with the most exits\n");
	assert_contains(res.out, "\n  top: CPUID ");
	assert_contains(res.out, ", I/O instruction 50, HLT 7\n");
}

/* --- usage ---------------------------------------------------------- */

#define TRY "Try 'exitstat --help'.\n"
#define X10 "xxxxxxxxxx"

/* Every bad input: the exact message, the exit status, and no CPUID. */
static const struct bad_input {
	const char *args[6];
	const char *err;
	int rc;
} bad_inputs[] = {
	{ { "--bogus" }, "exitstat: unknown option '--bogus'\n" TRY, 2 },
	{ { "--bogus=1" }, "exitstat: unknown option '--bogus'\n" TRY, 2 },
	{ { "-x" }, "exitstat: unknown option '-x'\n" TRY, 2 },
	{ { "-rx" }, "exitstat: unknown option '-x'\n" TRY, 2 },
	{ { "-\001" }, "exitstat: unknown option '-\\x01'\n" TRY, 2 },
	{ { "--v" }, "exitstat: option '--v' is ambiguous (--vendor, --version)\n" TRY, 2 },
	{ { "--help=yes" }, "exitstat: option '--help' takes no argument\n" TRY, 2 },
	{ { "--json=1" }, "exitstat: option '--json' takes no argument\n" TRY, 2 },
	{ { "--watch" }, "exitstat: option '--watch' needs an argument\n" TRY, 2 },
	{ { "-w" }, "exitstat: option '-w' needs an argument\n" TRY, 2 },
	{ { "-rw" }, "exitstat: option '-w' needs an argument\n" TRY, 2 },
	{ { "-r", "--sort" }, "exitstat: option '--sort' needs an argument\n" TRY, 2 },
	{ { "-o" }, "exitstat: option '-o' needs an argument\n" TRY, 2 },
	{ { "--watch", "abc" },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not 'abc'\n" TRY, 2 },
	{ { "--watch", "0" },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not '0'\n" TRY, 2 },
	{ { "--watch=-1" },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not '-1'\n" TRY, 2 },
	{ { "-w", "1x" },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not '1x'\n" TRY, 2 },
	{ { "-w", "0.001" },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not '0.001'\n" TRY, 2 },
	{ { "-w", "86401" },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not '86401'\n" TRY, 2 },
	{ { "-w", "nan" },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not 'nan'\n" TRY, 2 },
	{ { "-w", "inf" },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not 'inf'\n" TRY, 2 },
	{ { "-w", "" },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not ''\n" TRY, 2 },
	/* A long or unprintable argument is quoted cut and made printable. */
	{ { "-w", X10 X10 X10 X10 X10 },
	  "exitstat: --watch takes seconds from 0.01 to 86400 (e.g. 1 or 0.5), not\n"
	  "  '" X10 X10 X10 "xxxxxxx...'\n" TRY, 2 },
	{ { "-w", "1", "-n", "0" },
	  "exitstat: --count takes a whole number > 0, not '0'\n" TRY, 2 },
	{ { "-w", "1", "-n", "-2" },
	  "exitstat: --count takes a whole number > 0, not '-2'\n" TRY, 2 },
	{ { "-w", "1", "-n", "+3" },
	  "exitstat: --count takes a whole number > 0, not '+3'\n" TRY, 2 },
	{ { "-w", "1", "-n", "1.5" },
	  "exitstat: --count takes a whole number > 0, not '1.5'\n" TRY, 2 },
	{ { "-w", "1", "-n", "99999999999999999999999" },
	  "exitstat: --count takes a whole number > 0, not '99999999999999999999999'\n" TRY, 2 },
	{ { "-w", "1", "--count=" },
	  "exitstat: --count takes a whole number > 0, not ''\n" TRY, 2 },
	{ { "--count", "5" }, "exitstat: --count needs --watch\n" TRY, 2 },
	{ { "-r", "--sort", "size" },
	  "exitstat: --sort takes exits, cycles or reason, not 'size'\n" TRY, 2 },
	{ { "-r", "--sort", "a\nb" },
	  "exitstat: --sort takes exits, cycles or reason, not 'a?b'\n" TRY, 2 },
	{ { "--sort", "cycles" }, "exitstat: --sort needs --reasons\n" TRY, 2 },
	{ { "--all" }, "exitstat: --all needs --reasons\n" TRY, 2 },
	{ { "--vendor", "arm" },
	  "exitstat: --vendor takes intel or amd, not 'arm'\n" TRY, 2 },
	{ { "--vendor=" }, "exitstat: --vendor takes intel or amd, not ''\n" TRY, 2 },
	{ { "-o", "" }, "exitstat: --output takes a file name, not ''\n" TRY, 2 },
	{ { "--" }, "exitstat: '--' must be followed by the command to run\n" TRY, 2 },
	{ { "-r", "--" }, "exitstat: '--' must be followed by the command to run\n" TRY, 2 },
	{ { "-w", "1", "--", "cmd" },
	  "exitstat: --watch and a command exclude each other\n" TRY, 2 },
	{ { "-w", "1", "cmd" },
	  "exitstat: --watch and a command exclude each other\n" TRY, 2 },
	/* Not a usage error: the file cannot be written. */
	{ { "-o", "/nonexistent/dir/f" },
	  "exitstat: cannot write /nonexistent/dir/f: No such file or directory\n", 1 },
	{ { "-o", "/nonexistent/dir/f", "--", "x" },
	  "exitstat: cannot write /nonexistent/dir/f: No such file or directory\n", 1 },
	{ { "-o", "/nonexistent/" X10 X10 X10 X10 X10 X10 "/f" },
	  "exitstat: cannot write\n  /nonexistent/" X10 X10 X10 X10 X10 X10 "/f:\n"
	  "  No such file or directory\n", 1 },
};

static void test_bad_inputs(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		const struct bad_input *b = &bad_inputs[i];

		fake_host_init_intel(&host);
		run_argv(b->args);
		if (res.rc != b->rc || strcmp(res.err, b->err) || res.out_len)
			fail_msg("exitstat %s %s %s: exit %d, stdout '%s', stderr\n%s"
				 "expected exit %d, stderr\n%s", b->args[0],
				 b->args[1] ? b->args[1] : "",
				 b->args[1] && b->args[2] ? b->args[2] : "",
				 res.rc, res.out, res.err, b->rc, b->err);
		assert_int_equal(host.cpuid_calls, 0);
		assert_int_equal(host.runs, 0);
	}
}

/* '-o --' takes "--" as the file name, it does not end the options. */
static void test_dashdash_as_option_argument(void **state)
{
	static const char *const args[] = { "-o", "--", NULL };
	char *path = "--";

	(void)state;
	unlink(path);
	assert_int_equal(run_argv(args), 0);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
}

static void test_help_and_version(void **state)
{
	(void)state;
	assert_int_equal(run("--help"), 0);
	assert_true(!strncmp(res.out, "Usage: exitstat [OPTIONS] ", 26));
	assert_contains(res.out, "self_exits");
	assert_contains(res.out, "\n  2  usage error\n");
	assert_contains(res.out, "\n  3  not instrumented: ");
	assert_string_equal(res.err, "");
	assert_int_equal(run("-V"), 0);
	/* The leaves and signature of include/kvm_exit_stats.h, by hand. */
	assert_string_equal(res.out,
		"exitstat " EXITSTAT_VERSION "\n"
		"reads CPUID leaves 0x4FFFFFFC..0x4FFFFFFF, signature 0x58455456 \"VTEX\"\n"
		"(include/kvm_exit_stats.h)\n");
	assert_int_equal(run("--version --bogus"), 0);	/* first one wins */
	assert_int_equal(host.cpuid_calls, 0);
}

/* A report that cannot be written is an error (1), never silent. */
static void test_write_errors(void **state)
{
	const char *const help[] = { "--help", NULL };
	const char *const snap[] = { NULL };
	const char *const cmd[] = { "--json", "--", "x", NULL };
	const char *const *cases[] = { help, snap, cmd };
	struct es_env env = {
		.cpuid = fake_cpuid, .run = fake_run, .sleep = fake_sleep,
		.now = fake_now, .ctx = &host,
	};
	char *argv[8], *err_text = NULL;
	size_t i, n, err_len;
	int rc;

	(void)state;
	host.workload_status = 0;
	for (i = 0; i < 3; i++) {
		argv[0] = "exitstat";
		for (n = 0; cases[i][n]; n++)
			argv[n + 1] = (char *)cases[i][n];
		argv[n + 1] = NULL;
		env.out = fopen("/dev/full", "w");
		assert_non_null(env.out);
		env.err = open_memstream(&err_text, &err_len);
		rc = exitstat_main((int)n + 1, argv, &env);
		fclose(env.out);
		fclose(env.err);
		assert_int_equal(rc, ES_EXIT_ERROR);
		assert_contains(err_text, "exitstat: cannot write standard output: No space left on device\n");
		free(err_text);
		err_text = NULL;
	}
	assert_int_equal(run("-o /dev/full"), ES_EXIT_ERROR);
	assert_string_equal(res.err, "exitstat: cannot write /dev/full: No space left on device\n");
}

/* --- 80 columns ------------------------------------------------------- */

/* Columns of each line, counted as UTF-8 code points. */
static void assert_lines_fit(const char *text, const char *what)
{
	size_t col = 0, line = 1;
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n') {
			col = 0;
			line++;
		} else if ((*p & 0xC0) != 0x80 && ++col > 80) {
			fail_msg("%s: line %zu is wider than 80 columns:\n%s",
				 what, line, text);
		}
	}
}

/* Text output fits; JSON is one object per line by design. */
static void run_and_check_width(const char *const *args, const char *what)
{
	const char *const *a;
	bool json = false;

	for (a = args; *a; a++)
		json |= !strcmp(*a, "-j");
	run_argv(args);
	if (!json)
		assert_lines_fit(res.out, what);
	assert_lines_fit(res.err, what);
}

static void give_every_reason(uint64_t exits, uint64_t cycles)
{
	size_t i;

	for (i = 0; i < es_reason_count(host.amd ? ES_VENDOR_AMD : ES_VENDOR_INTEL); i++)
		fake_host_add(&host,
			      es_reason_at(host.amd ? ES_VENDOR_AMD : ES_VENDOR_INTEL, i),
			      exits, cycles);
}

static void test_width_everywhere(void **state)
{
	static const char *const modes[][8] = {
		{ NULL }, { "-r", "-a", NULL }, { "-r", "-a", "-s", "cycles", NULL },
		{ "-j", NULL },
		{ "-r", "--", "a-command-with-a-long-name", "--and", "many",
		  "arguments-that-go-on-and-on-and-on", "\xc3\xa9t\xc3\xa9\tnew\nline", NULL },
		{ "-r", "-w", "1", "-n", "2", NULL }, { "-w", "0.01", "-n", "1", NULL },
		{ "-h", NULL }, { "-V", NULL },
	};
	static const uint64_t sizes[][2] = {
		{ 0, 0 }, { 1, 1 }, { 123456, 98765432 },
		{ 10000000000000ULL, 100000000000000000ULL },	/* 1e13, 1e17 */
		{ 1, 0xFFFFFFFFFFFFFFF0ULL }, { 0x7FFFFFFFFFFFFFF0ULL, 1 },
		{ 0x0FFFFFFFFFFFFFFFULL, 0x0FFFFFFFFFFFFFFFULL },
	};
	size_t m, z, v, b;

	(void)state;
	for (v = 0; v < 2; v++)
		for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++)
			for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
				if (v)
					fake_host_init_amd(&host);
				else
					fake_host_init_intel(&host);
				give_every_reason(sizes[z][0], sizes[z][1]);
				host.workload[0].reason = 48;
				host.workload[0].exits = sizes[z][0];
				host.workload[0].cycles = sizes[z][1];
				run_and_check_width(modes[m], modes[m][0] ? modes[m][0] : "snapshot");
				host.instrumented = false;
				run_and_check_width(modes[m], "not instrumented");
			}
	for (b = 0; b < sizeof(bad_inputs) / sizeof(bad_inputs[0]); b++)
		run_and_check_width(bad_inputs[b].args, "bad input");
}

/* Numbers too wide for a column: exponent form, the others exact. */
static void test_width_huge_numbers(void **state)
{
	(void)state;
	fake_host_add(&host, 48, 0xFFFFFFFFFFFFFF00ULL, 0xFFFFFFFFFFFFFF00ULL);
	fake_host_add(&host, 30, 1, 7);
	assert_int_equal(run("-r"), 0);
	assert_lines_fit(res.out, "huge");
	/* 2^64 - 256 = 1.8446744e+19 in the capped columns (13 and 16) */
	assert_contains(res.out, "\n    48  EPT violation  1.8446744e+19 100.0% 1.8446744074e+19 ");
	/* The name column is down to 14: a longer name gets its own line. */
	assert_contains(res.out, "\n    30  I/O instruction\n"
			"                                   1   0.0%                7 ");
	/* The totals stay exact: 2^64 - 256 + 1 + the 2 reads */
	assert_contains(res.out, "exits        18446744073709551363\n");
}

#define T(fn, setup) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_vendor_detect, setup_intel),
		T(test_reason_names, setup_intel),
		T(test_reason_lists, setup_intel),
		T(test_reason_names_match_the_header, setup_intel),
		T(test_totals_text_and_64bit_halves, setup_intel),
		T(test_totals_json, setup_intel),
		T(test_zero_exits_no_division, setup_intel),
		T(test_not_instrumented, setup_intel),
		T(test_command_not_instrumented, setup_intel),
		T(test_host_identification, setup_intel),
		T(test_not_instrumented_lookalike, setup_amd),
		T(test_signature_but_broken_contract, setup_intel),
		T(test_scope_field, setup_intel),
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
		T(test_bad_inputs, setup_intel),
		T(test_dashdash_as_option_argument, setup_intel),
		T(test_help_and_version, setup_intel),
		T(test_write_errors, setup_intel),
		T(test_width_everywhere, setup_intel),
		T(test_width_huge_numbers, setup_intel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
