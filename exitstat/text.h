/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text that fits a terminal: every line exitstat prints in text mode is at
 * most ES_COLUMNS columns wide, whatever the numbers or the command line.
 */
#ifndef EXITSTAT_TEXT_H
#define EXITSTAT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ES_COLUMNS 80

/* Columns s takes: UTF-8 code points (no wide-character tables). */
size_t es_text_columns(const char *s);

/*
 * prefix + text, broken at spaces into lines of at most ES_COLUMNS;
 * continuation lines start with indent.  A word longer than a line is cut.
 */
void es_print_wrapped(FILE *out, const char *prefix, const char *indent,
		      const char *text);

/*
 * v in at most width characters: the exact number when it fits, else in
 * exponent form ("1.84e+19"), so that a column never grows.
 */
const char *es_fit_u64(char *buf, size_t len, uint64_t v, int width);
/* The same for a value printed with decimals places ("1234.5"). */
const char *es_fit_double(char *buf, size_t len, double v, int width,
			  int decimals);

/*
 * s with control characters as '?', cut to at most max_columns columns
 * ("..." marks the cut).
 */
const char *es_fit_text(char *buf, size_t len, const char *s,
			size_t max_columns);

#endif
