// SPDX-License-Identifier: GPL-2.0
/*
 * vtcaps: decode the VMX (Intel) and SVM (AMD) capabilities of every CPU.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define VTCAPS_VERSION "1.0"

static const char usage_text[] =
"Usage: vtcaps [OPTIONS]                  decode every online CPU of this machine\n"
"       vtcaps [OPTIONS] decode FILE      decode a dump (FILE - reads stdin)\n"
"       vtcaps [OPTIONS] dump [-o FILE]   write this machine's raw values as a dump\n"
"       vtcaps [OPTIONS] diff A B         what A can do that B cannot\n"
"       vtcaps [OPTIONS] baseline A B...  the controls every one of A, B... can use\n"
"\n"
"vtcaps reads the VMX capability MSRs (IA32_VMX_BASIC 0x480 to IA32_VMX_EXIT_CTLS2\n"
"0x493, IA32_FEATURE_CONTROL 0x3a) or, on AMD, CPUID 0x8000000A and VM_CR, and\n"
"decodes every bit the Intel SDM (325462-087US) and AMD APM (24593 rev 3.42)\n"
"define.  MSRs that do not exist are never read: e.g. 0x48b only when the primary\n"
"controls allow bit 31, the TRUE MSRs only when IA32_VMX_BASIC bit 55 is set.\n"
"\n"
"The report gives, per control, \"Can set\" (allowed-1: the bit is set in the\n"
"high dword) and \"Can clear\" (allowed-0: the bit is clear in the low dword),\n"
"plus the TRUE MSR's answer where it differs.  With no FILE, vtcaps reads\n"
"/proc/vtcaps/dump when the vtcaps module is loaded, else /dev/cpu/N/msr of every\n"
"online CPU (needs root and the msr driver), and reports CPUs that differ.\n"
"A, B in diff/baseline are dump files, '-' (stdin) or 'live' (this machine); a\n"
"dump with several CPUs counts as what all its CPUs can do.\n"
"\n"
"Options:\n"
"  -j, --json               machine-readable output (schema: docs/vtcaps.md)\n"
"  -l, --linux-flags[=VER]  the /proc/cpuinfo \"vmx flags\" line Linux VER (6.1 or\n"
"                           6.12, the default) would print, and each flag's source\n"
"  -n, --linux-names        append [linux: NAME] to controls Linux names\n"
"  -a, --all-cpus           report every CPU, not just the first one\n"
"  -c, --cpu N              report CPU N only\n"
"  -o, --output FILE        dump: write to FILE instead of stdout\n"
"      --sysroot DIR        read DIR/dev/cpu/N/msr, DIR/dev/cpu/N/cpuid,\n"
"                           DIR/sys/devices/system/cpu/online, DIR/proc/vtcaps/dump\n"
"                           (also from the environment variable VTCAPS_SYSROOT)\n"
"  -h, --help               this text\n"
"  -V, --version            version and the manual revisions followed\n"
"\n"
"Dump format: text, one value per line, '#' starts a comment:\n"
"  CPU MSR VALUE            0 0x481 0x0000007f00000016\n"
"  CPU MSR -                0 0x48b -          (the read faulted)\n"
"  CPU cpuid LEAF EAX EBX ECX EDX\n"
"                           0 cpuid 0x00000001 0x000906ea 0x00100800 0x7ffafbff 0xbfebfbff\n"
"\n"
"Exit status:\n"
"  0  success (diff: B can do everything A can)\n"
"  1  differences: diff found something A can do and B cannot, or the CPUs\n"
"     of one machine or dump differ from each other\n"
"  2  usage error\n"
"  3  a dump could not be read or is malformed (FILE:LINE: reason)\n"
"  4  not root: reading MSRs needs root (CAP_SYS_RAWIO)\n"
"  5  no msr driver: /dev/cpu/N/msr is missing; run 'modprobe msr'\n"
"  6  the CPU is neither Intel nor AMD\n"
"  7  VMX (Intel) or SVM (AMD) is not supported\n"
"  8  VMX or SVM is disabled by firmware (the report is still printed)\n"
"  9  other I/O error\n";

struct opts {
	bool json, all_cpus, linux_flags, cpu_set;
	unsigned int report_flags, cpu;
	enum vtc_linux_ver linux_ver;
	const char *output, *sysroot;
};

static void print_line(void *ctx, const char *text)
{
	fprintf(ctx, "%s\n", text);
}

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

/* The status the exit code reports: the worst over the CPUs shown. */
static int status_code(const struct host *h)
{
	int worst = EX_OK, rc;
	unsigned int i;

	for (i = 0; i < h->ncpus; i++) {
		rc = state_exit_code(vtc_status(&h->cpus[i]));
		if (rc > worst)
			worst = rc;
	}
	if (worst)
		fprintf(stderr, "vtcaps: %s: CPU %u: %s\n", h->name, h->cpus[0].cpu,
			vtc_state_text(vtc_status(&h->cpus[0])));
	return worst;
}

static void print_linux_flags(const struct opts *o, const struct vtc_cpu *c)
{
	uint32_t caps[VTC_LINUX_WORDS];
	unsigned int i;

	if (!vtc_report_linux_flags(c, o->linux_ver, print_line, stdout)) {
		printf("# Linux prints no \"vmx flags\" line for CPU %u (%s)\n", c->cpu,
		       vtc_msr_faulted(c, VTC_MSR_FEATURE_CONTROL) ?
		       "reading IA32_FEATURE_CONTROL faulted" :
		       vtc_state_text(vtc_status(c)));
		return;
	}
	vtc_linux_caps(c, caps);
	for (i = 0; i < vtc_nr_linux_flags; i++) {
		const struct vtc_linux_flag *f = &vtc_linux_flags[i];

		if (f->since <= o->linux_ver && (caps[f->word] & (1u << f->bit)))
			printf("  %-20s %s\n", f->name, f->source);
	}
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
	fprintf(stderr, "vtcaps: %s has no CPU %u\n", h->name, o->cpu);
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
	rc = status_code(h);
	return rc ? rc : ndiff ? EX_DIFFER : EX_OK;
}

static int cmd_dump(const struct opts *o)
{
	struct host h = { .cpus = NULL };
	FILE *out = stdout;
	unsigned int i;
	int rc = load_live(o->sysroot, &h);

	if (rc)
		return rc;
	if (o->output && !(out = fopen(o->output, "w"))) {
		perror(o->output);
		free_host(&h);
		return EX_IO;
	}
	fprintf(out, "# vtcaps dump (docs/vtcaps.md): CPU MSR VALUE | CPU MSR - | "
		"CPU cpuid LEAF EAX EBX ECX EDX\n# source: %s\n", h.name);
	for (i = 0; i < h.ncpus; i++)
		vtc_dump(&h.cpus[i], print_line, out);
	if ((out != stdout && fclose(out)) || fflush(stdout)) {
		perror(o->output ? o->output : "stdout");
		rc = EX_IO;
	}
	free_host(&h);
	return rc;
}

/* One CPU standing for a whole source: the baseline of all its CPUs. */
static int load_as_one(const struct opts *o, const char *what, struct vtc_cpu *out)
{
	const struct vtc_cpu **list;
	struct host h = { .cpus = NULL };
	unsigned int i;
	int rc = load_source(o, what, &h);

	if (rc)
		return rc;
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
	rc = state_exit_code(vtc_status(&h.cpus[0]));
	if (rc)
		fprintf(stderr, "vtcaps: %s: %s\n", what, vtc_state_text(vtc_status(&h.cpus[0])));
	free_host(&h);
	return rc;
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
	printf("# what A (%s) can do and B (%s) cannot\n", args[0], args[1]);
	count = diff_cpus(&a, &b, stdout);
	if (!count)
		printf("Nothing: B offers every control and capability A offers; a guest tuned for "
		       "A can move to B.\n");
	else
		printf("%u difference(s): a nested guest relying on these may not run on B.\n",
		       count);
	return count ? EX_DIFFER : EX_OK;
}

static int cmd_baseline(const struct opts *o, char **args, int n)
{
	const struct vtc_cpu **list;
	struct vtc_cpu *cpus, base;
	struct host h;
	int i, rc = EX_OK;

	if (n < 1)
		return usage_error("baseline needs at least one source: vtcaps baseline A B...");
	cpus = calloc((size_t)n, sizeof(*cpus));
	list = calloc((size_t)n, sizeof(*list));
	if (!cpus || !list) {
		free(cpus);
		free(list);
		return EX_IO;
	}
	for (i = 0; i < n && !rc; i++) {
		rc = load_as_one(o, args[i], &cpus[i]);
		list[i] = &cpus[i];
	}
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

static int parse_options(int argc, char **argv, const char *optstring, struct opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "linux-flags", optional_argument, NULL, 'l' },
		{ "linux-names", no_argument, NULL, 'n' },
		{ "all-cpus", no_argument, NULL, 'a' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "sysroot", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int ch;

	while ((ch = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			o->json = true;
			break;
		case 'l':
			o->linux_flags = true;
			if (!optarg || !strcmp(optarg, "6.12"))
				o->linux_ver = VTC_LINUX_6_12;
			else if (!strcmp(optarg, "6.1"))
				o->linux_ver = VTC_LINUX_6_1;
			else
				return usage_error("--linux-flags takes 6.1 or 6.12");
			break;
		case 'n':
			o->report_flags |= VTC_REPORT_LINUX_NAMES;
			break;
		case 'a':
			o->all_cpus = true;
			break;
		case 'c':
			o->cpu = (unsigned int)strtoul(optarg, &end, 10);
			if (end == optarg || *end)
				return usage_error("--cpu takes a CPU number");
			o->cpu_set = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'R':
			o->sysroot = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EX_OK);
		case 'V':
			printf("vtcaps %s (Intel SDM 325462-087US, AMD APM 24593 rev 3.42, "
			       "Linux vmx flags of 6.1 and 6.12)\n", VTCAPS_VERSION);
			exit(EX_OK);
		default:
			return EX_USAGE;
		}
	}
	return EX_OK;
}

int main(int argc, char **argv)
{
	struct opts o = { .linux_ver = VTC_LINUX_6_12 };
	struct host h = { .cpus = NULL };
	const char *cmd;
	int rc;

	o.sysroot = getenv("VTCAPS_SYSROOT");
	/* options before the command word: stop at the first non-option */
	rc = parse_options(argc, argv, "+jl::nac:o:hV", &o);
	if (rc)
		return rc;
	argv += optind;
	argc -= optind;
	cmd = argc ? argv[0] : NULL;
	/* options may also follow the command word */
	if (cmd) {
		optind = 0;	/* full re-initialisation; argv[0] (the command) is skipped */
		rc = parse_options(argc, argv, "jl::nac:o:hV", &o);
		if (rc)
			return rc;
		argv += optind;
		argc -= optind;
	}
	if (!o.sysroot)
		o.sysroot = "";

	if (!cmd) {
		rc = load_live(o.sysroot, &h);
	} else if (!strcmp(cmd, "decode")) {
		if (argc != 1)
			return usage_error("decode needs one FILE (or - for stdin)");
		rc = load_dump_file(argv[0], &h);
	} else if (!strcmp(cmd, "dump")) {
		if (argc)
			return usage_error("dump takes no arguments; use -o FILE");
		return cmd_dump(&o);
	} else if (!strcmp(cmd, "diff")) {
		return cmd_diff(&o, argv, argc);
	} else if (!strcmp(cmd, "baseline")) {
		return cmd_baseline(&o, argv, argc);
	} else {
		fprintf(stderr, "vtcaps: unknown command '%s'\n", cmd);
		return usage_error("commands: decode, dump, diff, baseline");
	}
	if (rc)
		return rc;
	rc = show(&o, &h);
	free_host(&h);
	return rc;
}
