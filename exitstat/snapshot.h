/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the exit-statistics leaves and differencing two readings.
 *
 * Every read is a CPUID, i.e. one VM exit of reason CPUID that the host
 * counts like any other.  The reader numbers its CPUIDs so that exitstat
 * knows exactly how many exits it caused itself ("self exits").
 *
 * A snapshot means "the counters at the moment leaf 0x4FFFFFFC was read":
 * totals are read first (exits, then cycles), then the per-reason exits
 * (0x4FFFFFFE) of every listed reason and the cycles (0x4FFFFFFF) only of
 * reasons with a nonzero count.  The CPUID reason's count is lowered by the
 * CPUIDs executed after the total was read, so that with nothing else
 * running the reasons add up to the total exactly.  Cycles cannot be
 * corrected that way: per-reason cycles include the handling of the reads
 * that came before them.
 *
 * This relies on the contract of include/kvm_exit_stats.h that an exit is
 * counted when it happens, before its handler answers: the value returned
 * by a read includes the read's own exit, and its cycles do not.
 */
#ifndef EXITSTAT_SNAPSHOT_H
#define EXITSTAT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cpuid.h"
#include "reasons.h"

#define ES_MAX_REASONS 256

struct es_reader {
	es_cpuid_fn cpuid;
	void *ctx;
	uint64_t seq;		/* CPUIDs executed through this reader */
};

struct es_reason_stat {
	uint32_t reason;
	bool defined;		/* false: the kernel answered UNDEFINED */
	uint64_t exits;
	uint64_t cycles;
};

struct es_snapshot {
	enum es_vendor vendor;
	/* KVM_EXIT_STATS_SCOPE_* from the INFO word; 0: not reported (older host) */
	unsigned int scope;
	uint64_t exits;
	uint64_t cycles;
	/*
	 * Exits in this reading that exitstat caused, all of reason CPUID:
	 * for a reading, its CPUIDs up to and including the total's read;
	 * for a delta, its CPUIDs after the first total read up to and
	 * including the second.
	 */
	uint64_t self_exits;
	uint64_t seq_total;	/* reader seq just after the 0x4FFFFFFC read */
	bool have_reasons;
	size_t nr_reasons;
	struct es_reason_stat reasons[ES_MAX_REASONS];
};

enum es_status {
	ES_OK = 0,
	ES_NOT_INSTRUMENTED,	/* signature absent: stock KVM, no KVM, off */
	ES_BAD_ANSWER,		/* signature present but the contract broken */
	ES_WENT_BACKWARDS,	/* a counter decreased between two readings */
};

/* "vm", "host", or "unknown" for a scope of 0. */
const char *es_scope_label(unsigned int scope);

void es_reader_init(struct es_reader *rd, es_cpuid_fn cpuid, void *ctx);

/* Any leaf through the reader (counted like the others). */
void es_read_raw(struct es_reader *rd, uint32_t leaf, uint32_t subleaf,
		 struct es_regs *r);

/* CPUID leaf 0 through the reader (it is an exit too). */
enum es_vendor es_read_vendor(struct es_reader *rd);

/* Fills exits, cycles; err gets a sentence when not ES_OK. */
enum es_status es_read_totals(struct es_reader *rd, struct es_snapshot *s,
			      char *err, size_t errlen);

/* Fills the per-reason rows; call right after es_read_totals(). */
enum es_status es_read_reasons(struct es_reader *rd, struct es_snapshot *s,
			       char *err, size_t errlen);

/* d = after - before, self_exits = exitstat's exits in between. */
enum es_status es_delta(const struct es_snapshot *before,
			const struct es_snapshot *after,
			struct es_snapshot *d, char *err, size_t errlen);

enum es_sort_key { ES_SORT_EXITS, ES_SORT_CYCLES, ES_SORT_REASON };

/*
 * Indices of the rows to show, ordered by key (ties: more exits, more
 * cycles, lower reason).  Zero rows and undefined rows are left out unless
 * all is set (undefined rows are always left out).  Returns the count.
 */
size_t es_sorted_rows(const struct es_snapshot *s, enum es_sort_key key,
		      bool all, size_t *idx);

/* Total minus the sum of the per-reason exits (0 when nothing is missing). */
int64_t es_unattributed_exits(const struct es_snapshot *s);

#endif
