// SPDX-License-Identifier: GPL-2.0
/*
 * Where the raw values come from: a dump file, the module's /proc/vtcaps/dump,
 * or the live CPUs through the msr (and cpuid) drivers.  Every path can be
 * rooted elsewhere (--sysroot / VTCAPS_SYSROOT) so tests can supply fake
 * /dev/cpu/N/msr files.  The msr driver reads MSR i with pread() of 8 bytes
 * at offset i, and the cpuid driver leaf l with 16 bytes at offset l.  A
 * regular file cannot hold records that overlap like that, so a regular file
 * standing in for a device holds MSR i at offset 8 * i and leaf l at offset
 * 16 * l (sparse files, see tests/vtcaps).
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_DUMP_BYTES (16u << 20)

void free_host(struct host *h)
{
	free(h->cpus);
	h->cpus = NULL;
	h->ncpus = 0;
}

int state_exit_code(enum vtc_state s)
{
	switch (s) {
	case VTC_VMX_OK:
	case VTC_SVM_OK:
		return EX_OK;
	case VTC_NO_DATA:
		return EX_BADINPUT;
	case VTC_NOT_INTEL_OR_AMD:
		return EX_NOTINTELAMD;
	case VTC_NO_VMX:
	case VTC_NO_SVM:
		return EX_NOVIRT;
	case VTC_VMX_DISABLED:
	case VTC_SVM_DISABLED:
		return EX_DISABLED;
	}
	return EX_IO;
}

/*
 * Parse dump text; origin[k], when given, is the input line that generated
 * line k + 1 of text, and kind what the input was (inputs converted by
 * formats.c).
 */
int load_dump_text(const char *name, const char *text, size_t len, struct host *h,
		   const unsigned int *origin, const char *kind)
{
	struct vtc_parse_error err;
	unsigned int line;
	int n;

	snprintf(h->name, sizeof(h->name), "%s", name);
	h->cpus = calloc(MAX_CPUS, sizeof(*h->cpus));
	if (!h->cpus) {
		fprintf(stderr, "vtcaps: out of memory\n");
		return EX_IO;
	}
	n = vtc_parse_dump(text, len, h->cpus, MAX_CPUS, &err);
	if (n >= 0) {
		h->ncpus = (unsigned int)n;
		return EX_OK;
	}
	line = err.line && origin ? origin[err.line - 1] : err.line;
	fprintf(stderr, "vtcaps: %s:", name);
	if (line)
		fprintf(stderr, "%u:", line);
	if (!err.line)
		fprintf(stderr, " CPU %u:", err.cpu);
	fprintf(stderr, " %s\n", err.reason);
	if (err.msr)
		fprintf(stderr, "vtcaps: %s (%#x) %s; fix the values or remove the line\n",
			vtc_msr_name(err.msr), err.msr, vtc_msr_rule(err.msr));
	if (origin)
		fprintf(stderr, "vtcaps: %s was read as %s\n", name, kind);
	else
		fprintf(stderr, "vtcaps: the dump format is described in docs/vtcaps.md "
			"and vtcaps(1)\n");
	free_host(h);
	return EX_BADINPUT;
}

/* Read a whole file (or stdin for "-"); NULL with errno set on failure. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 65536, n = 0;
	char *buf;

	if (!f)
		return NULL;
	errno = 0;
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
		if (n == cap) {
			char *bigger;

			if (cap >= MAX_DUMP_BYTES) {
				free(buf);
				buf = NULL;
				errno = EFBIG;
				break;
			}
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	if (buf && ferror(f)) {
		int err = errno ? errno : EIO;

		free(buf);
		buf = NULL;
		errno = err;
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

/*
 * Read a dump, kernel log or rdmsr capture.  needs_root: the file is one
 * only root may read (/proc/vtcaps/dump), so EACCES means "run as root".
 */
static int load_file(const char *path, struct host *h, bool needs_root)
{
	struct stat st;
	size_t len;
	char *text;
	int rc, err;

	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "vtcaps: %s is a directory: give a dump file (or a kernel log "
			"or rdmsr capture)\n", path);
		return EX_BADINPUT;
	}
	text = slurp(path, &len);
	if (!text) {
		err = errno;
		fprintf(stderr, "vtcaps: cannot read %s: %s\n", path, strerror(err));
		if ((err == EACCES || err == EPERM) && needs_root) {
			fprintf(stderr, "vtcaps: %s is readable by root only: run vtcaps as root "
				"(sudo)\n", path);
			return EX_NOTROOT;
		}
		if (err == EACCES || err == EPERM)
			fprintf(stderr, "vtcaps: check the file's permissions (ls -l %s)\n", path);
		return EX_BADINPUT;
	}
	rc = load_any_text(path, text, len, h);
	free(text);
	return rc;
}

int load_dump_file(const char *path, struct host *h)
{
	return load_file(path, h, false);
}

/* ---- live ---- */

static void path_of(char *out, size_t size, const char *sysroot, const char *fmt, unsigned int n)
{
	char rel[128];

	snprintf(rel, sizeof(rel), fmt, n);
	snprintf(out, size, "%s%s", sysroot, rel);
}

/* Parse a kernel CPU list such as "0-3,5,7-8" into a sorted list. */
static int parse_cpu_list(const char *s, unsigned int *cpus, unsigned int max)
{
	unsigned int n = 0;

	while (*s && *s != '\n') {
		char *end;
		unsigned long lo = strtoul(s, &end, 10), hi = lo;

		if (end == s)
			return -1;
		s = end;
		if (*s == '-') {
			hi = strtoul(s + 1, &end, 10);
			if (end == s + 1 || hi < lo)
				return -1;
			s = end;
		}
		for (; lo <= hi && lo <= VTC_MAX_CPU_ID; lo++) {
			if (n >= max)
				return -2;	/* more CPUs than max */
			cpus[n++] = (unsigned int)lo;
		}
		if (*s == ',')
			s++;
	}
	return (int)n;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/* Online CPUs from sysfs, else the /dev/cpu/N directories; -1 when more than max. */
static int online_cpus(const char *sysroot, unsigned int *cpus, unsigned int max)
{
	char path[4096], line[4096];
	FILE *f;
	DIR *d;
	struct dirent *e;
	int n = 0;

	path_of(path, sizeof(path), sysroot, "/sys/devices/system/cpu/online%.0u", 0);
	f = fopen(path, "r");
	if (f) {
		n = fgets(line, sizeof(line), f) ? parse_cpu_list(line, cpus, max) : -1;
		fclose(f);
		if (n > 0)
			return n;
		if (n == -2)
			return -1;
	}
	path_of(path, sizeof(path), sysroot, "/dev/cpu%.0u", 0);
	d = opendir(path);
	if (!d)
		return 0;
	n = 0;
	while ((e = readdir(d)) && n < (int)max) {
		char *end;
		unsigned long cpu = strtoul(e->d_name, &end, 10);

		if (end != e->d_name && !*end && cpu <= VTC_MAX_CPU_ID)
			cpus[n++] = (unsigned int)cpu;
	}
	closedir(d);
	qsort(cpus, (size_t)n, sizeof(*cpus), cmp_uint);
	return n;
}

/* Offset of record `index` of `size` bytes: see the comment at the top. */
static off_t record_offset(int fd, uint32_t index, size_t size)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return (off_t)index * (off_t)size;
	return (off_t)index;
}

/* CPUID on one CPU: the cpuid driver when present, else pin and execute. */
static int read_cpuid(const char *sysroot, unsigned int cpu, struct vtc_cpu *c)
{
	char path[4096];
	uint32_t leaf, r[4];
	int fd;

	path_of(path, sizeof(path), sysroot, "/dev/cpu/%u/cpuid", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0 && *sysroot) {
		fprintf(stderr, "vtcaps: cannot open %s: %s\n", path, strerror(errno));
		return EX_IO;
	}
	if (fd < 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "vtcaps: cannot run on CPU %u: %s\n", cpu, strerror(errno));
			return EX_IO;
		}
	}
	for (leaf = vtc_next_cpuid(c); leaf != VTC_END; leaf = vtc_next_cpuid(c)) {
		if (fd >= 0) {
			if (pread(fd, r, sizeof(r), record_offset(fd, leaf, sizeof(r))) !=
			    (ssize_t)sizeof(r)) {
				fprintf(stderr, "vtcaps: %s: cannot read leaf %#x: %s\n", path,
					leaf, strerror(errno));
				close(fd);
				return EX_IO;
			}
		} else {
			__cpuid_count(leaf, 0, r[0], r[1], r[2], r[3]);
		}
		vtc_set_cpuid(c, leaf, r[0], r[1], r[2], r[3]);
	}
	if (fd >= 0)
		close(fd);
	return EX_OK;
}

static int open_msr(const char *sysroot, unsigned int cpu, char *path, size_t size)
{
	int fd;

	path_of(path, size, sysroot, "/dev/cpu/%u/msr", cpu);
	fd = open(path, O_RDONLY);
	if (fd >= 0)
		return fd;
	if (errno == EACCES || errno == EPERM) {
		fprintf(stderr, "vtcaps: cannot open %s: %s\n"
			"vtcaps: reading MSRs needs root (CAP_SYS_RAWIO): run it with sudo, "
			"or decode a dump with 'vtcaps decode FILE'\n", path, strerror(errno));
		return -EX_NOTROOT;
	}
	if (errno == ENOENT || errno == ENXIO || errno == ENODEV) {
		fprintf(stderr, "vtcaps: %s: %s: the msr driver is not loaded\n"
			"vtcaps: run 'modprobe msr' as root (or load vtcaps.ko, which provides "
			"/proc/vtcaps/dump), or decode a dump with 'vtcaps decode FILE'\n",
			path, strerror(errno));
		return -EX_NODRIVER;
	}
	fprintf(stderr, "vtcaps: cannot open %s: %s\n", path, strerror(errno));
	return -EX_IO;
}

static int read_cpu(const char *sysroot, unsigned int cpu, struct vtc_cpu *c)
{
	char path[4096];
	uint32_t msr;
	uint64_t v;
	int fd, rc;

	vtc_cpu_init(c, cpu);
	fd = open_msr(sysroot, cpu, path, sizeof(path));
	if (fd < 0)
		return -fd;
	rc = read_cpuid(sysroot, cpu, c);
	if (rc) {
		close(fd);
		return rc;
	}
	for (msr = vtc_next_msr(c); msr != VTC_END; msr = vtc_next_msr(c)) {
		ssize_t got = pread(fd, &v, sizeof(v), record_offset(fd, msr, sizeof(v)));

		if (got == (ssize_t)sizeof(v)) {
			vtc_set_msr(c, msr, v);
		} else if ((got < 0 && errno == EIO) || got == 0) {
			/*
			 * EIO is the msr driver's answer to #GP.  A read past
			 * the end of a plain file (a test's fake msr file) is
			 * taken the same way, so fakes can model faults.
			 */
			vtc_set_msr_fault(c, msr);
		} else {
			fprintf(stderr, "vtcaps: %s: cannot read MSR %#x: %s\n", path, msr,
				got < 0 ? strerror(errno) : "short read");
			close(fd);
			return EX_IO;
		}
	}
	close(fd);
	return EX_OK;
}

int load_live(const char *sysroot, struct host *h)
{
	unsigned int *cpus, i;
	char path[4096];
	int n, rc = EX_OK;
	cpu_set_t saved;
	bool have_mask;

	/* The module's dump, when vtcaps.ko is loaded, is the preferred source. */
	path_of(path, sizeof(path), sysroot, "/proc/vtcaps/dump%.0u", 0);
	if (access(path, F_OK) == 0)
		return load_file(path, h, true);

	cpus = calloc(MAX_CPUS, sizeof(*cpus));
	h->cpus = calloc(MAX_CPUS, sizeof(*h->cpus));
	if (!cpus || !h->cpus) {
		free(cpus);
		free_host(h);
		fprintf(stderr, "vtcaps: out of memory\n");
		return EX_IO;
	}
	snprintf(h->name, sizeof(h->name), "live");
	n = online_cpus(sysroot, cpus, MAX_CPUS);
	if (n < 0) {
		fprintf(stderr, "vtcaps: more than %u CPUs online: vtcaps reads at most %u\n",
			MAX_CPUS, MAX_CPUS);
		rc = EX_IO;
	} else if (n == 0) {
		fprintf(stderr, "vtcaps: no CPUs found (no %s/sys/devices/system/cpu/online and "
			"no %s/dev/cpu/N): the msr driver is not loaded\n"
			"vtcaps: run 'modprobe msr' as root, or decode a dump with "
			"'vtcaps decode FILE'\n", sysroot, sysroot);
		rc = EX_NODRIVER;
	}
	have_mask = sched_getaffinity(0, sizeof(saved), &saved) == 0;
	for (i = 0; rc == EX_OK && i < (unsigned int)n; i++)
		rc = read_cpu(sysroot, cpus[i], &h->cpus[i]);
	if (have_mask)	/* read_cpuid() may have pinned us to one CPU */
		sched_setaffinity(0, sizeof(saved), &saved);
	free(cpus);
	if (rc) {
		free_host(h);
		return rc;
	}
	h->ncpus = (unsigned int)n;
	return EX_OK;
}
