/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the fuzz targets: a line callback that only checks the bound. */
#ifndef VTC_FUZZ_LINE_H
#define VTC_FUZZ_LINE_H

#include <stdlib.h>
#include <string.h>

#include "vtcaps.h"

/* vtc_line_fn that drops the line; aborts when it exceeds VTC_LINE_MAX */
static void discard(void *ctx, const char *text)
{
	(void)ctx;
	if (strlen(text) > VTC_LINE_MAX)
		abort();
}

#endif /* VTC_FUZZ_LINE_H */
