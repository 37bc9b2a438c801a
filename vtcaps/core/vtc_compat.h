/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types (u8, u32, u64) and ARRAY_SIZE for the vtcaps core, which
 * is compiled both into the kernel module (Kbuild) and into the user-space
 * CLI.  The core uses nothing else from libc or the kernel.
 */
#ifndef VTC_COMPAT_H
#define VTC_COMPAT_H

#ifdef __KERNEL__
#include <linux/kernel.h>	/* ARRAY_SIZE */
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* VTC_COMPAT_H */
