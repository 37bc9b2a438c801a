// SPDX-License-Identifier: GPL-2.0
/*
 * vtcaps.ko - report the VMX (Intel) or SVM (AMD) capabilities of this
 * machine in the kernel log and expose the raw register values.
 *
 * On load the module reads, on every online CPU, the CPUID leaves and
 * capability MSRs that the vtcaps decoder core asks for (the core knows
 * which MSRs exist given the ones read before, so nothing that does not
 * exist is touched; every read is fault-safe anyway).  It then logs the
 * decoded report of the first CPU once, one line per CPU whose values
 * differ from it (or one line saying all agree), and keeps the raw values
 * for userspace in /proc/vtcaps/dump, in the vtcaps dump format that
 * "vtcaps decode" reads.
 *
 * A machine without VMX/SVM, or with it disabled by firmware, gets one
 * clear line instead of the report: the module still loads, because an
 * inventory tool must work on exactly the machines it finds out about.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/msr.h>
#include <asm/processor.h>
#ifdef VTCAPS_HAVE_ASM_CPUID_API_H
#include <asm/cpuid/api.h>
#endif
#ifdef VTCAPS_HAVE_RDMSRL
#define rdmsrq_safe_on_cpu rdmsrl_safe_on_cpu
#endif

#include "vtcaps.h"

/* Raw values of every CPU that was online at load time. */
struct vtcaps_snapshot {
	unsigned int nr_cpus;
	struct vtc_cpu cpus[];
};

static struct vtcaps_snapshot *vtcaps_snap;
static struct proc_dir_entry *vtcaps_proc_dir;

/* Runs on the CPU being read: CPUID has no cross-CPU variant. */
static void vtcaps_read_cpuid_here(void *info)
{
	struct vtc_cpu *c = info;
	u32 leaf, eax, ebx, ecx, edx;

	for (leaf = vtc_next_cpuid(c); leaf != VTC_END; leaf = vtc_next_cpuid(c)) {
		cpuid_count(leaf, 0, &eax, &ebx, &ecx, &edx);
		/* A leaf the core cannot store would be asked for forever. */
		if (vtc_set_cpuid(c, leaf, eax, ebx, ecx, edx))
			break;
	}
}

/*
 * The MSR reads go through rdmsrq_safe_on_cpu(), the same fault-safe path
 * the msr driver uses: a read the CPU (or a hypervisor) refuses with #GP is
 * recorded as faulted instead of oopsing.
 */
static void vtcaps_read_msrs(unsigned int cpu, struct vtc_cpu *c)
{
	u32 msr;
	u64 value;
	int ret;

	for (msr = vtc_next_msr(c); msr != VTC_END; msr = vtc_next_msr(c)) {
		if (rdmsrq_safe_on_cpu(cpu, msr, &value))
			ret = vtc_set_msr_fault(c, msr);
		else
			ret = vtc_set_msr(c, msr, value);
		if (ret)
			break;
	}
}

static int vtcaps_read_cpu(unsigned int cpu, struct vtc_cpu *c)
{
	int ret;

	vtc_cpu_init(c, cpu);
	ret = smp_call_function_single(cpu, vtcaps_read_cpuid_here, c, true);
	if (ret)
		return ret;
	vtcaps_read_msrs(cpu, c);
	return 0;
}

/* Hotplug is held off so that the set of CPUs read is consistent. */
static struct vtcaps_snapshot *vtcaps_read_all_cpus(void)
{
	struct vtcaps_snapshot *snap;
	unsigned int cpu, n = 0;
	int ret = 0;

	cpus_read_lock();
	snap = kvzalloc(struct_size(snap, cpus, num_online_cpus()), GFP_KERNEL);
	if (!snap) {
		ret = -ENOMEM;
		goto out;
	}
	for_each_online_cpu(cpu) {
		ret = vtcaps_read_cpu(cpu, &snap->cpus[n]);
		if (ret) {
			pr_err("cannot run CPUID on CPU %u (error %d)\n", cpu, ret);
			break;
		}
		n++;
	}
	snap->nr_cpus = n;
out:
	cpus_read_unlock();
	if (ret) {
		kvfree(snap);
		return ERR_PTR(ret);
	}
	return snap;
}

/* ---- kernel log ------------------------------------------------------ */

static void vtcaps_log_line(void *ctx, const char *text)
{
	pr_info("%s\n", text);
}

/*
 * Values that describe the virtualization capabilities.  CPUID leaves 0,
 * 1 and 0x80000001 are left out on purpose: they carry per-CPU data such
 * as the APIC ID, and their VMX/SVM bits are covered by vtc_status().
 */
static bool vtcaps_cpus_differ_in_msr(const struct vtc_cpu *a,
				      const struct vtc_cpu *b,
				      unsigned int slot)
{
	u32 bit = BIT(slot);

	if (((a->msr_valid ^ b->msr_valid) & bit) ||
	    ((a->msr_fault ^ b->msr_fault) & bit))
		return true;
	return (a->msr_valid & bit) && a->msr[slot] != b->msr[slot];
}

static bool vtcaps_cpus_differ_in_svm_leaf(const struct vtc_cpu *a,
					   const struct vtc_cpu *b)
{
	u32 leaf = vtc_cpuid_leaf(VTC_C_8000000A);
	u32 ra[4], rb[4];
	bool has_a = vtc_get_cpuid(a, leaf, ra);
	bool has_b = vtc_get_cpuid(b, leaf, rb);

	if (has_a != has_b)
		return true;
	return has_a && memcmp(ra, rb, sizeof(ra));
}

/*
 * One line for a CPU that differs from the reference CPU, naming what
 * differs; the values themselves are in /proc/vtcaps/dump.
 */
static bool vtcaps_log_difference(const struct vtc_cpu *ref, const struct vtc_cpu *c)
{
	char text[VTC_LINE_MAX + 1];
	struct vtc_buf b;
	unsigned int slot;
	bool differs = false;

	vtc_buf_init(&b, text, sizeof(text));
	if (vtc_status(ref) != vtc_status(c)) {
		vtc_puts(&b, " state: ");
		vtc_puts(&b, vtc_state_text(vtc_status(c)));
		differs = true;
	}
	for (slot = 0; slot < VTC_NR_MSRS; slot++) {
		if (!vtcaps_cpus_differ_in_msr(ref, c, slot))
			continue;
		vtc_puts(&b, " ");
		vtc_puthex(&b, vtc_msr_index(slot), 1);
		differs = true;
	}
	if (vtcaps_cpus_differ_in_svm_leaf(ref, c)) {
		vtc_puts(&b, " cpuid ");
		vtc_puthex(&b, vtc_cpuid_leaf(VTC_C_8000000A), 8);
		differs = true;
	}
	if (differs)
		pr_warn("CPU %u differs from CPU %u in:%s (values in /proc/vtcaps/dump)\n",
			c->cpu, ref->cpu, text);
	return differs;
}

static void vtcaps_log_cpu_agreement(const struct vtcaps_snapshot *snap)
{
	const struct vtc_cpu *ref = &snap->cpus[0];
	unsigned int i, nr_differ = 0;

	if (snap->nr_cpus == 1) {
		pr_info("CPU %u is the only online CPU\n", ref->cpu);
		return;
	}
	for (i = 1; i < snap->nr_cpus; i++)
		nr_differ += vtcaps_log_difference(ref, &snap->cpus[i]);
	if (!nr_differ)
		pr_info("all %u online CPUs report the same capabilities\n", snap->nr_cpus);
}

static void vtcaps_log_report(const struct vtcaps_snapshot *snap)
{
	const struct vtc_cpu *ref = &snap->cpus[0];
	enum vtc_state state = vtc_status(ref);

	if (state == VTC_VMX_OK || state == VTC_SVM_OK) {
		pr_info("capabilities of CPU %u:\n", ref->cpu);
		vtc_report(ref, 0, vtcaps_log_line, NULL);
	} else {
		/* The single clear line promised for machines without it. */
		pr_notice("CPU %u: %s\n", ref->cpu, vtc_state_text(state));
	}
	vtcaps_log_cpu_agreement(snap);
}

/* ---- /proc/vtcaps/dump ----------------------------------------------- */

static void vtcaps_dump_line(void *ctx, const char *text)
{
	seq_printf(ctx, "%s\n", text);
}

static int vtcaps_dump_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "# vtcaps dump from vtcaps.ko, read at module load on %u CPU%s\n",
		   vtcaps_snap->nr_cpus, vtcaps_snap->nr_cpus == 1 ? "" : "s");
	for (i = 0; i < vtcaps_snap->nr_cpus; i++)
		vtc_dump(&vtcaps_snap->cpus[i], vtcaps_dump_line, m);
	return 0;
}

/*
 * Root only: raw MSR values are what the msr driver guards with
 * CAP_SYS_RAWIO, so they are not handed to everybody here either.
 */
static void vtcaps_create_proc(void)
{
	vtcaps_proc_dir = proc_mkdir("vtcaps", NULL);
	if (vtcaps_proc_dir &&
	    proc_create_single("dump", 0400, vtcaps_proc_dir, vtcaps_dump_show))
		return;
	pr_warn("cannot create /proc/vtcaps/dump; the report above is all there is\n");
	proc_remove(vtcaps_proc_dir);
	vtcaps_proc_dir = NULL;
}

/* ---- module ---------------------------------------------------------- */

static int __init vtcaps_init(void)
{
	struct vtcaps_snapshot *snap;

	pr_info("CMPE 283 Assignment 1 Module Start\n");
	snap = vtcaps_read_all_cpus();
	if (IS_ERR(snap))
		return PTR_ERR(snap);
	vtcaps_snap = snap;
	vtcaps_log_report(snap);
	vtcaps_create_proc();
	return 0;
}

static void __exit vtcaps_exit(void)
{
	proc_remove(vtcaps_proc_dir);
	kvfree(vtcaps_snap);
	pr_info("CMPE 283 Assignment 1 Module Exits\n");
}

module_init(vtcaps_init);
module_exit(vtcaps_exit);

MODULE_DESCRIPTION("Report VMX/SVM capabilities of every CPU (vtcaps)");
MODULE_LICENSE("GPL");
