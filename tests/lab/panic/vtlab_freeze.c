// SPDX-License-Identifier: GPL-2.0
/*
 * vtlab_freeze: a module that stops every CPU for good on load, each with
 * interrupts off in a jump to itself, so the timer's interrupt waits in
 * the local APIC's IRR while no register changes: what a stalled emulator
 * looks like.  The lab tests check that "vtlab run" calls it a stall long
 * before the timeout.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/smp.h>

static void vtlab_freeze_cpu(void *unused)
{
	local_irq_disable();
	for (;;)
		barrier();
}

static int __init vtlab_freeze_init(void)
{
	pr_info("vtlab_freeze: stopping every CPU with interrupts off\n");
	smp_call_function(vtlab_freeze_cpu, NULL, 0);
	vtlab_freeze_cpu(NULL);
	return 0;
}
module_init(vtlab_freeze_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Stops every CPU on load; used by the vtlab lab tests");
