/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types for the vtcaps core, which is compiled both into the
 * kernel module (Kbuild) and into the user-space CLI.  The core uses nothing
 * else from libc or the kernel.
 */
#ifndef VTC_COMPAT_H
#define VTC_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#endif

#endif /* VTC_COMPAT_H */
