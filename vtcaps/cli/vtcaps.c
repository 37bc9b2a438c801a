// SPDX-License-Identifier: GPL-2.0
/*
 * vtcaps: decode the VMX (Intel) and SVM (AMD) capabilities of every CPU.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define VTCAPS_VERSION "1.0"

static const char usage_text[] =
"Usage: vtcaps [OPTIONS]                  decode every online CPU of this machine\n"
"       vtcaps [OPTIONS] decode FILE...   decode dumps, kernel logs, rdmsr output\n"
"       vtcaps [OPTIONS] dump [A B...]    this machine's raw values (or the\n"
"                                         baseline of A, B...) as a dump\n"
"       vtcaps [OPTIONS] diff A B         what A can do that B cannot\n"
"       vtcaps [OPTIONS] baseline A B...  the controls all of A, B... can use\n"
"       vtcaps [OPTIONS] --check B [H...] can a guest using baseline B run on H\n"
"\n"
"vtcaps reads the VMX capability MSRs (0x480 to 0x493, IA32_FEATURE_CONTROL\n"
"0x3a) or, on AMD, CPUID 0x8000000A and VM_CR, and decodes every bit the Intel\n"
"SDM (325462-087US) and AMD APM (24593 rev 3.42) define.  MSRs that do not\n"
"exist are never read: e.g. 0x48b only when the primary controls allow bit 31,\n"
"the TRUE MSRs only when IA32_VMX_BASIC bit 55 is set.\n"
"\n"
"The report gives, per control, \"Can set\" (allowed-1: the bit is set in the\n"
"high dword) and \"Can clear\" (allowed-0: the bit is clear in the low dword),\n"
"plus the TRUE MSR's answer where it differs.  With no FILE, vtcaps reads\n"
"/proc/vtcaps/dump when the vtcaps module is loaded, else /dev/cpu/N/msr of\n"
"every online CPU (needs root and the msr driver), and reports CPUs that\n"
"differ.  A FILE is a dump, a kernel log holding vtcaps.ko's report (dmesg,\n"
"with or without timestamps), course-format log lines, or a capture of\n"
"'rdmsr' commands and their output (msr-tools); '-' reads stdin.  A, B, H are\n"
"such files or 'live' (this machine); a source with several CPUs counts as\n"
"what all its CPUs can do.  At most 4096 CPUs per source.\n"
"\n"
"Options:\n"
"  -j, --json               machine-readable output (schema: vtcaps(1))\n"
"  -t, --table              compact table, one column per source (vmxcap style)\n"
"  -l, --linux-flags[=VER]  the /proc/cpuinfo \"vmx flags\" line Linux VER (6.1\n"
"                           or 6.12, the default) would print, and each flag's\n"
"                           source; the version must be attached: -l6.1\n"
"  -n, --linux-names        append [linux: NAME] to controls Linux names\n"
"  -a, --all-cpus           report every CPU, not just the first one\n"
"  -c, --cpu N              only CPU N of every source\n"
"  -o, --output FILE        write to FILE instead of standard output\n"
"      --check B            exit 0 when a guest using baseline B can run on every\n"
"                           H (default: live), 1 with the reasons when not\n"
"      --sysroot DIR        read DIR/dev/cpu/N/msr, DIR/dev/cpu/N/cpuid,\n"
"                           DIR/sys/devices/system/cpu/online,\n"
"                           DIR/proc/vtcaps/dump (or VTCAPS_SYSROOT=DIR)\n"
"  -h, --help               this text\n"
"  -V, --version            version and the manual revisions followed\n"
"\n"
"Dump format: text, one value per line, '#' starts a comment:\n"
"  CPU MSR VALUE            0 0x481 0x0000007f00000016\n"
"  CPU MSR -                0 0x48b -          (the read faulted)\n"
"  CPU cpuid LEAF EAX EBX ECX EDX\n"
"      0 cpuid 0x00000001 0x000906ea 0x00100800 0x7ffafbff 0xbfebfbff\n"
"\n"
"Exit status:\n"
"  0  success (diff, --check: B can run what A needs)\n"
"  1  differences: diff or --check found something B cannot do, the sources\n"
"     are of different vendors, or the CPUs of one source differ\n"
"  2  usage error\n"
"  3  an input could not be read, is malformed or impossible (FILE:LINE: why)\n"
"  4  not root: reading MSRs or /proc/vtcaps/dump needs root (CAP_SYS_RAWIO)\n"
"  5  no msr driver: /dev/cpu/N/msr is missing; run 'modprobe msr'\n"
"  6  the CPU is neither Intel nor AMD\n"
"  7  VMX (Intel) or SVM (AMD) is not supported\n"
"  8  VMX or SVM is disabled by firmware (the report is still printed)\n"
"  9  other I/O error, including a failed write of the output\n";

struct opts {
	bool json, all_cpus, linux_flags, linux_ver_given, cpu_set, table;
	unsigned int report_flags, cpu;
	enum vtc_linux_ver linux_ver;
	const char *output, *sysroot, *check;
};

static int usage_error(const char *msg)
{
	fprintf(stderr, "vtcaps: %s\nTry 'vtcaps --help'.\n", msg);
	return EX_USAGE;
}

static int load_source(const struct opts *o, const char *what, struct host *h)
{
	if (!strcmp(what, "live"))
		return load_live(o->sysroot, h);
	return load_dump_file(what, h);
}

/* The exit code of a source's state: the worst over its CPUs, named on stderr. */
static int status_code(const struct host *h)
{
	int worst = EX_OK, rc;
	unsigned int i, at = 0;

	for (i = 0; i < h->ncpus; i++) {
		rc = state_exit_code(vtc_status(&h->cpus[i]));
		if (rc > worst) {
			worst = rc;
			at = i;
		}
	}
	if (worst)
		fprintf(stderr, "vtcaps: %s: CPU %u: %s\n", h->name, h->cpus[at].cpu,
			vtc_state_text(vtc_status(&h->cpus[at])));
	return worst;
}

/* Partial inputs (a course report, an rdmsr capture): say what is missing. */
static void warn_missing(const struct host *h)
{
	u32 missing = vtc_missing_msrs(&h->cpus[0]);
	unsigned int slot, n = 0;

	for (slot = 0; slot < VTC_NR_MSRS; slot++)
		n += (missing >> slot) & 1;
	if (n)
		fprintf(stderr, "vtcaps: %s: CPU %u: %u MSR%s not in the input (listed in the "
			"report); decoded what is there\n", h->name, h->cpus[0].cpu, n,
			n == 1 ? "" : "s");
}

static void print_linux_flags(const struct opts *o, const struct vtc_cpu *c)
{
	uint32_t caps[VTC_LINUX_WORDS];
	const char *why = vtc_linux_no_flags_reason(c);
	char text[256];
	unsigned int i;

	if (why) {
		printf("# Linux prints no \"vmx flags\" line for CPU %u:\n", c->cpu);
		snprintf(text, sizeof(text), "#   %s", why);
		vtc_emit_wrapped(print_line, stdout, text);
		return;
	}
	/* The one line kept whole at any width: it is Linux's own line. */
	vtc_report_linux_flags(c, o->linux_ver, print_line, stdout);
	vtc_linux_caps(c, caps);
	for (i = 0; i < vtc_nr_linux_flags; i++) {
		const struct vtc_linux_flag *f = &vtc_linux_flags[i];

		if (f->since <= o->linux_ver && (caps[f->word] & (1u << f->bit)))
			printf("  %-20s %s\n", f->name, f->source);
	}
}

static bool parse_cpu_number(const char *s, unsigned int *cpu)
{
	unsigned long v = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9' || p - s > 5)
			return false;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (p == s || v > VTC_MAX_CPU_ID)
		return false;
	*cpu = (unsigned int)v;
	return true;
}

/* Restrict h to the CPU asked for with --cpu. */
static int select_cpu(const struct opts *o, struct host *h)
{
	unsigned int i;

	if (!o->cpu_set)
		return EX_OK;
	for (i = 0; i < h->ncpus; i++)
		if (h->cpus[i].cpu == o->cpu) {
			h->cpus[0] = h->cpus[i];
			h->ncpus = 1;
			return EX_OK;
		}
	fprintf(stderr, "vtcaps: %s has no CPU %u (it has CPU %u", h->name, o->cpu,
		h->cpus[0].cpu);
	if (h->ncpus > 1)
		fprintf(stderr, " to %u", h->cpus[h->ncpus - 1].cpu);
	fprintf(stderr, ")\n");
	return EX_USAGE;
}

static int show(const struct opts *o, struct host *h)
{
	unsigned int i, shown, ndiff = 0;
	int rc = select_cpu(o, h);

	if (rc)
		return rc;
	if (o->json) {
		print_json(h, stdout);
		rc = status_code(h);
		return rc ? rc : report_cpu_differences(h, NULL) ? EX_DIFFER : EX_OK;
	}
	shown = o->all_cpus ? h->ncpus : 1;
	for (i = 0; i < shown; i++) {
		if (o->linux_flags)
			print_linux_flags(o, &h->cpus[i]);
		else
			vtc_report(&h->cpus[i], o->report_flags, print_line, stdout);
	}
	if (h->ncpus > 1 && !o->linux_flags) {
		printf("\nComparing %u CPUs of %s with CPU %u:\n", h->ncpus, h->name,
		       h->cpus[0].cpu);
		ndiff = report_cpu_differences(h, stdout);
		if (!ndiff)
			printf("All %u CPUs report identical capabilities.\n", h->ncpus);
	}
	warn_missing(h);
	rc = status_code(h);
	return rc ? rc : ndiff ? EX_DIFFER : EX_OK;
}

/* decode FILE...: each in turn; the exit code is the highest of them. */
static int cmd_decode(const struct opts *o, char **files, int n)
{
	int i, rc, worst = EX_OK;
	bool any = false;

	if (n < 1)
		return usage_error("decode needs a FILE (or - for stdin)");
	if (o->json && n > 1)
		printf("[\n");
	for (i = 0; i < n; i++) {
		struct host h = { .cpus = NULL };

		if (n > 1 && !o->json)
			printf("%s==> %s <==\n", i ? "\n" : "", files[i]);
		rc = load_dump_file(files[i], &h);
		if (!rc)
			rc = select_cpu(o, &h);
		if (!rc) {
			/* a file that cannot be read leaves no hole in the JSON array */
			if (o->json && any)
				printf(",\n");
			any = true;
			rc = show(o, &h);
		}
		free_host(&h);
		if (rc > worst)
			worst = rc;
	}
	if (o->json && n > 1)
		printf("]\n");
	return worst;
}

static int load_all(const struct opts *o, char **args, int n, struct vtc_cpu *cpus);

/* dump A B...: the baseline of the sources, as a dump (e.g. for --check). */
static int dump_baseline(const struct opts *o, char **args, int n)
{
	const struct vtc_cpu **list = calloc((size_t)n, sizeof(*list));
	struct vtc_cpu *cpus = calloc((size_t)n, sizeof(*cpus)), base;
	int i, rc = !list || !cpus ? EX_IO : load_all(o, args, n, cpus);

	if (!rc) {
		for (i = 0; i < n; i++)
			list[i] = &cpus[i];
		baseline_cpu(list, (unsigned int)n, &base);
		printf("# vtcaps dump (docs/vtcaps.md): baseline of %d sources:\n", n);
		for (i = 0; i < n; i++)
			printf("#   %s\n", args[i]);
		vtc_dump(&base, print_line, stdout);
	}
	free(list);
	free(cpus);
	return rc;
}

static int cmd_dump(const struct opts *o, char **args, int n)
{
	struct host h = { .cpus = NULL };
	unsigned int i;
	int rc;

	if (n)
		return dump_baseline(o, args, n);
	rc = load_live(o->sysroot, &h);

	if (rc)
		return rc;
	printf("# vtcaps dump (docs/vtcaps.md): CPU MSR VALUE | CPU MSR - | "
	       "CPU cpuid LEAF EAX EBX ECX EDX\n# source: %s\n", h.name);
	for (i = 0; i < h.ncpus; i++)
		vtc_dump(&h.cpus[i], print_line, stdout);
	free_host(&h);
	return EX_OK;
}

/* One CPU standing for a whole source: --cpu N, else the baseline of all its CPUs. */
static int load_as_one(const struct opts *o, const char *what, struct vtc_cpu *out)
{
	const struct vtc_cpu **list;
	struct host h = { .cpus = NULL };
	unsigned int i;
	int rc = load_source(o, what, &h);

	if (!rc)
		rc = select_cpu(o, &h);
	if (rc) {
		free_host(&h);
		return rc;
	}
	list = calloc(h.ncpus, sizeof(*list));
	if (!list) {
		free_host(&h);
		return EX_IO;
	}
	for (i = 0; i < h.ncpus; i++)
		list[i] = &h.cpus[i];
	if (h.ncpus == 1)
		*out = h.cpus[0];
	else
		baseline_cpu(list, h.ncpus, out);
	free(list);
	rc = status_code(&h);
	free_host(&h);
	return rc;
}

static const char *vendor_word(const struct vtc_cpu *c)
{
	static const char *const words[] = { "of unknown vendor", "Intel (VMX)", "AMD (SVM)" };

	return words[vtc_vendor(c)];
}

/* A guest tuned for one vendor's VMX/SVM cannot move to the other's. */
static bool vendors_differ(const struct vtc_cpu *a, const struct vtc_cpu *b)
{
	return vtc_vendor(a) != vtc_vendor(b);
}

struct json_diff {
	FILE *out;
	const char *sep;
};

static void json_diff_item(void *ctx, const struct diff_item *d)
{
	struct json_diff *j = ctx;

	fprintf(j->out, "%s    {\"where\": ", j->sep);
	json_str(j->out, d->where);
	if (d->bit >= 0)
		fprintf(j->out, ", \"bit\": %d", d->bit);
	else
		fputs(", \"bit\": null", j->out);
	fputs(", \"name\": ", j->out);
	json_str(j->out, d->name);
	fputs(", \"what\": ", j->out);
	json_str(j->out, d->what);
	fputs("}", j->out);
	j->sep = ",\n";
}

/* {"a": ..., "b": ..., "vendors_differ": ..., "can_move": ..., "differences": [...]} */
static unsigned int json_diff(const char *name_a, const struct vtc_cpu *a, const char *name_b,
			      const struct vtc_cpu *b, const char *indent, FILE *out)
{
	struct json_diff j = { .out = out, .sep = "\n" };
	bool vd = vendors_differ(a, b);
	unsigned int count = 0;

	fprintf(out, "%s{\"a\": ", indent);
	json_str(out, name_a);
	fputs(", \"b\": ", out);
	json_str(out, name_b);
	fprintf(out, ", \"vendor_a\": \"%s\", \"vendor_b\": \"%s\", \"vendors_differ\": %s,\n",
		vendor_key(vtc_vendor(a)), vendor_key(vtc_vendor(b)), vd ? "true" : "false");
	if (!vd)
		count = count_differences(a, b);
	fprintf(out, "%s \"can_move\": %s, \"differences\": [", indent,
		vd || count ? "false" : "true");
	if (!vd)
		diff_cpus(a, b, json_diff_item, &j);
	fputs(*j.sep == ',' ? "\n  ]}" : "]}", out);
	return vd ? 1 : count;
}

static int cmd_diff(const struct opts *o, char **args, int n)
{
	struct vtc_cpu a, b;
	unsigned int count;
	int rc;

	if (n != 2)
		return usage_error("diff needs exactly two sources: vtcaps diff A B");
	rc = load_as_one(o, args[0], &a);
	if (!rc)
		rc = load_as_one(o, args[1], &b);
	if (rc)
		return rc;
	if (o->json) {
		printf("{\"schema\": 1, \"diff\":\n");
		count = json_diff(args[0], &a, args[1], &b, "  ", stdout);
		printf("\n}\n");
		return count ? EX_DIFFER : EX_OK;
	}
	printf("# A = %s\n# B = %s\n# what A can do and B cannot:\n", args[0], args[1]);
	if (vendors_differ(&a, &b)) {
		printf("Vendors differ: A is %s, B is %s.\n", vendor_word(&a), vendor_word(&b));
		printf("A guest tuned for A cannot move to B.\n");
		return EX_DIFFER;
	}
	count = diff_cpus(&a, &b, print_diff_item,
			  &(struct diff_printer){ .out = stdout, .indent = "" });
	if (!count)
		printf("Nothing: B offers every control and capability A offers;\n"
		       "a guest tuned for A can move to B.\n");
	else
		printf("%u difference(s): a nested guest relying on these may not run on B.\n",
		       count);
	return count ? EX_DIFFER : EX_OK;
}

/* Load n sources as one CPU each; all of one vendor. */
static int load_all(const struct opts *o, char **args, int n, struct vtc_cpu *cpus)
{
	int i, rc;

	for (i = 0; i < n; i++) {
		rc = load_as_one(o, args[i], &cpus[i]);
		if (rc)
			return rc;
		if (vendors_differ(&cpus[0], &cpus[i])) {
			fprintf(stderr, "vtcaps: vendors differ: %s is %s, %s is %s: no guest can "
				"use both; make one baseline per vendor\n", args[0],
				vendor_word(&cpus[0]), args[i], vendor_word(&cpus[i]));
			return EX_DIFFER;
		}
	}
	return EX_OK;
}

static int cmd_baseline(const struct opts *o, char **args, int n)
{
	const struct vtc_cpu **list;
	struct vtc_cpu *cpus, base;
	struct host h;
	int i, rc;

	if (n < 1)
		return usage_error("baseline needs at least one source: vtcaps baseline A B...");
	cpus = calloc((size_t)n, sizeof(*cpus));
	list = calloc((size_t)n, sizeof(*list));
	if (!cpus || !list) {
		free(cpus);
		free(list);
		return EX_IO;
	}
	rc = load_all(o, args, n, cpus);
	for (i = 0; i < n; i++)
		list[i] = &cpus[i];
	if (!rc) {
		baseline_cpu(list, (unsigned int)n, &base);
		h.cpus = &base;
		h.ncpus = 1;
		snprintf(h.name, sizeof(h.name), "baseline of %d sources", n);
		if (o->json) {
			print_json(&h, stdout);
		} else {
			printf("# controls every one of the %d sources offers\n", n);
			vtc_report(&base, o->report_flags | VTC_REPORT_CONTROLS_ONLY, print_line,
				   stdout);
		}
	}
	free(cpus);
	free(list);
	return rc;
}

/* --check B H...: can a guest using baseline B run on every host H? */
static int cmd_check(const struct opts *o, char **hosts, int n)
{
	static char *live[] = { "live" };
	struct vtc_cpu base, host;
	unsigned int count;
	int i, rc, worst = EX_OK;
	const char *sep = "";
	char line[1024];

	if (!n) {
		hosts = live;
		n = 1;
	}
	rc = load_as_one(o, o->check, &base);
	if (rc)
		return rc;
	if (o->json) {
		printf("{\"schema\": 1, \"baseline\": ");
		json_str(stdout, o->check);
		printf(", \"hosts\": [\n");
	} else {
		snprintf(line, sizeof(line), "# can a guest using the baseline %s run here?",
			 o->check);
		vtc_emit_wrapped(print_line, stdout, line);
	}
	for (i = 0; i < n; i++) {
		rc = load_as_one(o, hosts[i], &host);
		if (rc) {
			worst = rc > worst ? rc : worst;
			continue;
		}
		if (o->json) {
			printf("%s", sep);
			count = json_diff(o->check, &base, hosts[i], &host, "  ", stdout);
			sep = ",\n";
		} else if (vendors_differ(&base, &host)) {
			snprintf(line, sizeof(line), "no: %s: vendors differ: the baseline is %s, "
				 "the host %s", hosts[i], vendor_word(&base), vendor_word(&host));
			vtc_emit_wrapped(print_line, stdout, line);
			count = 1;
		} else if ((count = count_differences(&base, &host))) {
			snprintf(line, sizeof(line), "no: %s: %u thing(s) the baseline (A) uses "
				 "that the host (B) lacks:", hosts[i], count);
			vtc_emit_wrapped(print_line, stdout, line);
			diff_cpus(&base, &host, print_diff_item,
				  &(struct diff_printer){ .out = stdout, .indent = "  " });
		} else {
			printf("yes: %s\n", hosts[i]);
		}
		if (count && worst == EX_OK)
			worst = EX_DIFFER;
	}
	if (o->json)
		printf("\n]}\n");
	return worst;
}

/* --table [decode] FILE...: one column per source (each as one CPU, like diff). */
static int cmd_table(const struct opts *o, const char *cmd, char **args, int n)
{
	static char *live[] = { "live" };
	struct vtc_cpu *cpus;
	int i, rc = EX_OK;

	if (cmd && strcmp(cmd, "decode"))
		return usage_error("--table goes with decode FILE... or the live report");
	if (cmd && !n)
		return usage_error("decode needs a FILE (or - for stdin)");
	if (!cmd) {
		args = live;
		n = 1;
	}
	cpus = calloc((size_t)n, sizeof(*cpus));
	if (!cpus)
		return EX_IO;
	/* like the report, a source with VMX/SVM disabled is still shown (exit 8) */
	for (i = 0; i < n && (!rc || rc == EX_DISABLED); i++) {
		int one = load_as_one(o, args[i], &cpus[i]);

		rc = one > rc ? one : rc;
	}
	if (!rc || rc == EX_DISABLED)
		print_caps_table((const char *const *)args, cpus, (unsigned int)n, stdout);
	free(cpus);
	return rc;
}

static int parse_options(int argc, char **argv, const char *optstring, struct opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "table", no_argument, NULL, 't' },
		{ "linux-flags", optional_argument, NULL, 'l' },
		{ "linux-names", no_argument, NULL, 'n' },
		{ "all-cpus", no_argument, NULL, 'a' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "check", required_argument, NULL, 'C' },
		{ "sysroot", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			o->json = true;
			break;
		case 't':
			o->table = true;
			break;
		case 'l':
			o->linux_flags = true;
			o->linux_ver_given = optarg != NULL;
			if (!optarg || !strcmp(optarg, "6.12"))
				o->linux_ver = VTC_LINUX_6_12;
			else if (!strcmp(optarg, "6.1"))
				o->linux_ver = VTC_LINUX_6_1;
			else
				return usage_error("--linux-flags takes 6.1 or 6.12 (attached: "
						   "-l6.1, --linux-flags=6.1)");
			break;
		case 'n':
			o->report_flags |= VTC_REPORT_LINUX_NAMES;
			break;
		case 'a':
			o->all_cpus = true;
			break;
		case 'c':
			if (!parse_cpu_number(optarg, &o->cpu))
				return usage_error("--cpu takes a CPU number from 0 to 65535");
			o->cpu_set = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'C':
			o->check = optarg;
			break;
		case 'R':
			o->sysroot = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EX_OK);
		case 'V':
			printf("vtcaps %s (Intel SDM 325462-087US, AMD APM 24593 rev 3.42,\n"
			       "Linux vmx flags of 6.1 and 6.12)\n", VTCAPS_VERSION);
			exit(EX_OK);
		default:
			fputs("Try 'vtcaps --help'.\n", stderr);
			return EX_USAGE;
		}
	}
	return EX_OK;
}

/* Options that would be ignored by the command given: refuse them. */
static int check_combination(const struct opts *o, const char *cmd, const char *first)
{
	bool is_diff = cmd && !strcmp(cmd, "diff");
	bool is_baseline = cmd && !strcmp(cmd, "baseline");
	bool is_dump = cmd && !strcmp(cmd, "dump");

	if (o->json && o->linux_flags)
		return usage_error("--json already holds the Linux flags (linux_vmx_flags); "
				   "use --json or --linux-flags");
	if (o->json && o->table)
		return usage_error("use --json or --table, not both");
	if (o->table && o->linux_flags)
		return usage_error("use --table or --linux-flags, not both");
	if (o->check && first && (!strcmp(first, "decode") || !strcmp(first, "dump") ||
				  !strcmp(first, "diff") || !strcmp(first, "baseline")))
		return usage_error("--check B takes hosts, not a command: vtcaps --check B H...");
	if ((o->linux_flags || o->table) && (is_diff || is_baseline || is_dump || o->check))
		return usage_error("--linux-flags and --table go with decode or the live "
				   "report, not with dump, diff, baseline or --check");
	if (o->all_cpus && (is_diff || is_baseline || is_dump || o->check))
		return usage_error("--all-cpus goes with decode or the live report; diff, "
				   "baseline and --check use all CPUs (or --cpu N)");
	if ((o->json || o->cpu_set || (o->report_flags & VTC_REPORT_LINUX_NAMES)) && is_dump)
		return usage_error("dump writes raw values in the dump format; it takes only -o "
				   "and --sysroot");
	if ((o->report_flags & VTC_REPORT_LINUX_NAMES) && (is_diff || o->check))
		return usage_error("--linux-names goes with the report, decode and baseline");
	return EX_OK;
}

static int run(const struct opts *o, const char *cmd, char **argv, int argc)
{
	struct host h = { .cpus = NULL };
	int rc;

	if (o->check)
		return cmd_check(o, argv, argc);
	if (o->table)
		return cmd_table(o, cmd, argv, argc);
	if (!cmd) {
		rc = load_live(o->sysroot, &h);
		if (!rc)
			rc = show(o, &h);
		free_host(&h);
		return rc;
	}
	if (!strcmp(cmd, "decode"))
		return cmd_decode(o, argv, argc);
	if (!strcmp(cmd, "dump"))
		return cmd_dump(o, argv, argc);
	if (!strcmp(cmd, "diff"))
		return cmd_diff(o, argv, argc);
	if (!strcmp(cmd, "baseline"))
		return cmd_baseline(o, argv, argc);
	if (o->linux_flags && !o->linux_ver_given && (cmd[0] >= '0' && cmd[0] <= '9')) {
		fprintf(stderr, "vtcaps: '%s' is not a command: the version of -l must be "
			"attached (-l%s or --linux-flags=%s)\n", cmd, cmd, cmd);
		return usage_error("commands: decode, dump, diff, baseline");
	}
	fprintf(stderr, "vtcaps: unknown command '%s'\n", cmd);
	return usage_error("commands: decode, dump, diff, baseline (and the --check option)");
}

int main(int argc, char **argv)
{
	struct opts o = { .linux_ver = VTC_LINUX_6_12 };
	const char *cmd;
	int rc;

	o.sysroot = getenv("VTCAPS_SYSROOT");
	/* getopt names argv[0] in its messages: the program, not a path or command */
	argv[0] = "vtcaps";
	/* options before the command word: stop at the first non-option */
	rc = parse_options(argc, argv, "+jtl::nac:o:hV", &o);
	if (rc)
		return rc;
	argv += optind;
	argc -= optind;
	cmd = argc && !o.check ? argv[0] : NULL;
	/* options may also follow the command word */
	if (argc) {
		char *word = argv[0];

		if (o.check) {	/* the hosts start at argv[0]: let getopt skip a dummy */
			argv--;
			argc++;
		}
		argv[0] = "vtcaps";
		optind = 0;	/* full re-initialisation; argv[0] is skipped */
		rc = parse_options(argc, argv, "jtl::nac:o:hV", &o);
		if (!o.check)
			argv[0] = word;
		if (rc)
			return rc;
		argv += optind;
		argc -= optind;
	}
	if (!o.sysroot)
		o.sysroot = "";
	rc = check_combination(&o, cmd, argc ? argv[0] : NULL);
	if (rc)
		return rc;
	if (o.output && !freopen(o.output, "w", stdout)) {
		fprintf(stderr, "vtcaps: cannot write %s: %s\n", o.output, strerror(errno));
		return EX_IO;
	}
	rc = run(&o, cmd, argv, argc);
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		fprintf(stderr, "vtcaps: cannot write %s: %s\n",
			o.output ? o.output : "the output", strerror(errno));
		return EX_IO;
	}
	return rc;
}
