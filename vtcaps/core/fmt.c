// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny bounded string builder, so the core needs neither printf nor
 * snprintf and behaves the same in the kernel and in user space.
 */
#include "vtcaps.h"

void vtc_buf_init(struct vtc_buf *b, char *p, size_t size)
{
	b->p = p;
	b->size = size;
	b->len = 0;
	if (size)
		p[0] = '\0';
}

void vtc_putc(struct vtc_buf *b, char ch)
{
	if (b->len + 1 >= b->size)
		return;
	b->p[b->len++] = ch;
	b->p[b->len] = '\0';
}

void vtc_puts(struct vtc_buf *b, const char *s)
{
	while (*s)
		vtc_putc(b, *s++);
}

void vtc_puthex(struct vtc_buf *b, u64 v, unsigned int min_digits)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	unsigned int n = 0;

	do {
		tmp[n++] = digits[v & 0xf];
		v >>= 4;
	} while (v && n < sizeof(tmp));
	while (n < min_digits && n < sizeof(tmp))
		tmp[n++] = '0';
	vtc_puts(b, "0x");
	while (n)
		vtc_putc(b, tmp[--n]);
}

void vtc_putdec(struct vtc_buf *b, u64 v)
{
	char tmp[20];
	unsigned int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		vtc_putc(b, tmp[--n]);
}
