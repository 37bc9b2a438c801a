// SPDX-License-Identifier: GPL-2.0
/*
 * vtlab_panic: a module whose only job is to panic the kernel on load, so
 * the lab tests can check that "vtlab run" reports a guest panic clearly.
 * Building it also proves the lab's kernel tree works for "make M=".
 */
#include <linux/module.h>
#include <linux/kernel.h>

static int __init vtlab_panic_init(void)
{
	panic("vtlab test panic: loaded vtlab_panic.ko on purpose");
	return 0;
}
module_init(vtlab_panic_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Panics on load; used by the vtlab lab tests");
