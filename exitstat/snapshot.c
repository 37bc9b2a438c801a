// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kvm_exit_stats.h"
#include "snapshot.h"

void es_reader_init(struct es_reader *rd, es_cpuid_fn cpuid, void *ctx)
{
	rd->cpuid = cpuid;
	rd->ctx = ctx;
	rd->seq = 0;
}

static void read_leaf(struct es_reader *rd, uint32_t leaf, uint32_t subleaf,
		      struct es_regs *r)
{
	rd->cpuid(rd->ctx, leaf, subleaf, r);
	rd->seq++;
}

void es_read_raw(struct es_reader *rd, uint32_t leaf, uint32_t subleaf,
		 struct es_regs *r)
{
	read_leaf(rd, leaf, subleaf, r);
}

enum es_vendor es_read_vendor(struct es_reader *rd)
{
	struct es_regs r;

	read_leaf(rd, 0, 0, &r);
	return es_vendor_from_leaf0(&r);
}

const char *es_scope_label(unsigned int scope)
{
	switch (scope) {
	case KVM_EXIT_STATS_SCOPE_VM:
		return "vm";
	case KVM_EXIT_STATS_SCOPE_HOST:
		return "host";
	default:
		return "unknown";
	}
}

/* An INFO word names a scope, or is 0 (hosts that predate the field). */
static bool info_ok(uint32_t info)
{
	return !info || kvm_exit_stats_info_scope(info);
}

static uint64_t join(uint32_t hi, uint32_t lo)
{
	return (uint64_t)hi << 32 | lo;
}

enum es_status es_read_totals(struct es_reader *rd, struct es_snapshot *s,
			      char *err, size_t errlen)
{
	struct es_regs r;

	read_leaf(rd, KVM_EXIT_STATS_LEAF_EXITS, 0, &r);
	if (r.edx != KVM_EXIT_STATS_SIGNATURE) {
		snprintf(err, errlen,
			 "not instrumented: CPUID 0x%08X answered EDX=0x%08X, not the signature 0x%08X",
			 KVM_EXIT_STATS_LEAF_EXITS, r.edx,
			 KVM_EXIT_STATS_SIGNATURE);
		return ES_NOT_INSTRUMENTED;
	}
	if (!info_ok(r.ecx)) {
		snprintf(err, errlen,
			 "CPUID 0x%08X has the signature but ECX=0x%08X, not an INFO word (scope 1 or 2, other bits 0): the host does not follow include/kvm_exit_stats.h",
			 KVM_EXIT_STATS_LEAF_EXITS, r.ecx);
		return ES_BAD_ANSWER;
	}
	s->scope = r.ecx;
	s->exits = join(r.ebx, r.eax);
	s->seq_total = rd->seq;
	s->self_exits = rd->seq;	/* the read above counts itself */

	read_leaf(rd, KVM_EXIT_STATS_LEAF_CYCLES, 0, &r);
	if (r.edx != KVM_EXIT_STATS_SIGNATURE) {
		snprintf(err, errlen,
			 "not instrumented: CPUID 0x%08X answered EDX=0x%08X, not the signature 0x%08X",
			 KVM_EXIT_STATS_LEAF_CYCLES, r.edx,
			 KVM_EXIT_STATS_SIGNATURE);
		return ES_NOT_INSTRUMENTED;
	}
	if (!info_ok(r.eax)) {
		snprintf(err, errlen,
			 "CPUID 0x%08X has the signature but EAX=0x%08X, not an INFO word (scope 1 or 2, other bits 0): the host does not follow include/kvm_exit_stats.h",
			 KVM_EXIT_STATS_LEAF_CYCLES, r.eax);
		return ES_BAD_ANSWER;
	}
	s->cycles = join(r.ebx, r.ecx);
	s->have_reasons = false;
	s->nr_reasons = 0;
	return ES_OK;
}

static enum es_status read_one_reason(struct es_reader *rd,
				      struct es_reason_stat *row,
				      char *err, size_t errlen)
{
	struct es_regs r;

	read_leaf(rd, KVM_EXIT_STATS_LEAF_REASON_EXITS, row->reason, &r);
	if (r.edx == KVM_EXIT_STATS_UNDEFINED && !r.eax && !r.ebx && !r.ecx) {
		row->defined = false;
		row->exits = row->cycles = 0;
		return ES_OK;
	}
	if (r.edx != 0 || !info_ok(r.ecx)) {
		snprintf(err, errlen,
			 "CPUID 0x%08X ECX=0x%X answered ECX=0x%08X EDX=0x%08X: neither a count nor UNDEFINED",
			 KVM_EXIT_STATS_LEAF_REASON_EXITS, row->reason,
			 r.ecx, r.edx);
		return ES_BAD_ANSWER;
	}
	row->defined = true;
	row->exits = join(r.ebx, r.eax);
	row->cycles = 0;
	if (!row->exits)
		return ES_OK;	/* no exits, no cycles: save a CPUID exit */

	read_leaf(rd, KVM_EXIT_STATS_LEAF_REASON_CYCLES, row->reason, &r);
	if (!info_ok(r.eax) || r.edx != 0) {
		snprintf(err, errlen,
			 "CPUID 0x%08X ECX=0x%X answered EAX=0x%08X EDX=0x%08X: expected an INFO word and 0",
			 KVM_EXIT_STATS_LEAF_REASON_CYCLES, row->reason,
			 r.eax, r.edx);
		return ES_BAD_ANSWER;
	}
	row->cycles = join(r.ebx, r.ecx);
	return ES_OK;
}

/*
 * Take out of the CPUID row the reads exitstat executed after the total
 * was read, so that the row describes the same moment as the total.
 */
static enum es_status exclude_later_reads(struct es_reason_stat *row,
					  uint64_t later_reads,
					  char *err, size_t errlen)
{
	if (row->exits < later_reads) {
		snprintf(err, errlen,
			 "the CPUID reason counted %" PRIu64 " exits, fewer than the %" PRIu64 " CPUIDs exitstat just executed: the host does not count every exit",
			 row->exits, later_reads);
		return ES_BAD_ANSWER;
	}
	row->exits -= later_reads;
	return ES_OK;
}

enum es_status es_read_reasons(struct es_reader *rd, struct es_snapshot *s,
			       char *err, size_t errlen)
{
	uint32_t cpuid_reason = es_cpuid_reason(s->vendor);
	size_t i, n = es_reason_count(s->vendor);
	enum es_status st;

	if (n > ES_MAX_REASONS)
		n = ES_MAX_REASONS;
	for (i = 0; i < n; i++) {
		struct es_reason_stat *row = &s->reasons[i];

		row->reason = es_reason_at(s->vendor, i);
		st = read_one_reason(rd, row, err, errlen);
		if (st != ES_OK)
			return st;
		if (row->reason == cpuid_reason && row->defined) {
			/* The 0x4FFFFFFE read of this row is the last one. */
			uint64_t later = rd->seq - s->seq_total;

			if (row->exits)
				later -= 1;	/* its 0x4FFFFFFF read came after */
			st = exclude_later_reads(row, later, err, errlen);
			if (st != ES_OK)
				return st;
		}
	}
	s->nr_reasons = n;
	s->have_reasons = true;
	return ES_OK;
}

static enum es_status subtract(uint64_t after, uint64_t before, uint64_t *d,
			       const char *what, char *err, size_t errlen)
{
	if (after < before) {
		snprintf(err, errlen,
			 "%s went backwards (%" PRIu64 " -> %" PRIu64 "): was the kvm module reloaded or exit_stats switched?",
			 what, before, after);
		return ES_WENT_BACKWARDS;
	}
	*d = after - before;
	return ES_OK;
}

enum es_status es_delta(const struct es_snapshot *before,
			const struct es_snapshot *after,
			struct es_snapshot *d, char *err, size_t errlen)
{
	enum es_status st;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->vendor = after->vendor;
	d->scope = after->scope;
	st = subtract(after->exits, before->exits, &d->exits, "total exits",
		      err, errlen);
	if (st == ES_OK)
		st = subtract(after->cycles, before->cycles, &d->cycles,
			      "total cycles", err, errlen);
	if (st != ES_OK)
		return st;
	/* Every CPUID from the first total read to the second one. */
	d->self_exits = after->seq_total - before->seq_total;
	d->seq_total = after->seq_total;

	if (!before->have_reasons || !after->have_reasons)
		return ES_OK;
	for (i = 0; i < after->nr_reasons && i < before->nr_reasons; i++) {
		const struct es_reason_stat *a = &after->reasons[i];
		const struct es_reason_stat *b = &before->reasons[i];
		struct es_reason_stat *r = &d->reasons[i];
		char what[64];

		r->reason = a->reason;
		r->defined = a->defined && b->defined;
		if (!r->defined)
			continue;
		snprintf(what, sizeof(what), "exits of reason 0x%X", a->reason);
		st = subtract(a->exits, b->exits, &r->exits, what, err, errlen);
		if (st != ES_OK)
			return st;
		snprintf(what, sizeof(what), "cycles of reason 0x%X", a->reason);
		st = subtract(a->cycles, b->cycles, &r->cycles, what,
			      err, errlen);
		if (st != ES_OK)
			return st;
	}
	d->nr_reasons = i;
	d->have_reasons = true;
	return ES_OK;
}

static const struct es_snapshot *sort_snapshot;
static enum es_sort_key sort_key;

static int compare_u64_desc(uint64_t x, uint64_t y)
{
	return x > y ? -1 : x < y;
}

static int compare_rows(const void *pa, const void *pb)
{
	const struct es_reason_stat *a = &sort_snapshot->reasons[*(const size_t *)pa];
	const struct es_reason_stat *b = &sort_snapshot->reasons[*(const size_t *)pb];
	int c = 0;

	if (sort_key == ES_SORT_CYCLES)
		c = compare_u64_desc(a->cycles, b->cycles);
	if (!c && sort_key != ES_SORT_REASON)
		c = compare_u64_desc(a->exits, b->exits);
	if (!c && sort_key != ES_SORT_REASON)
		c = compare_u64_desc(a->cycles, b->cycles);
	if (!c)
		c = a->reason < b->reason ? -1 : a->reason > b->reason;
	return c;
}

size_t es_sorted_rows(const struct es_snapshot *s, enum es_sort_key key,
		      bool all, size_t *idx)
{
	size_t i, n = 0;

	for (i = 0; i < s->nr_reasons; i++) {
		const struct es_reason_stat *r = &s->reasons[i];

		if (!r->defined || (!all && !r->exits && !r->cycles))
			continue;
		idx[n++] = i;
	}
	sort_snapshot = s;
	sort_key = key;
	qsort(idx, n, sizeof(*idx), compare_rows);
	return n;
}

int64_t es_unattributed_exits(const struct es_snapshot *s)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < s->nr_reasons; i++)
		sum += s->reasons[i].exits;
	return (int64_t)(s->exits - sum);
}
