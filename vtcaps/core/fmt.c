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

int vtc_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/* Start of the "(...)" or "[...]" remark that ends text, or 0. */
static size_t final_remark(const char *text, size_t len)
{
	char close = len ? text[len - 1] : 0, open = close == ')' ? '(' : '[';
	int depth = 0;
	size_t i;

	if (close != ')' && close != ']')
		return 0;
	for (i = len; i-- > 0;) {
		if (text[i] == close)
			depth++;
		else if (text[i] == open && --depth == 0)
			return i;
	}
	return 0;
}

/*
 * Where to break a line longer than VTC_COLS: before the remark in
 * brackets that ends it when that fits and sits in the second half, else
 * at the last blank that fits.  0 when there is no blank to break at.
 */
static size_t break_point(const char *text, size_t len, size_t indent)
{
	size_t i, last_blank = 0, remark = final_remark(text, len);

	if (remark >= VTC_COLS / 2 && remark <= VTC_COLS && text[remark - 1] == ' ')
		return remark - 1;
	for (i = indent + 1; i <= VTC_COLS && text[i]; i++)
		if (text[i] == ' ')
			last_blank = i;
	return last_blank;
}

void vtc_emit_wrapped(vtc_line_fn line, void *ctx, const char *text)
{
	char cur[VTC_LINE_MAX + 1];
	struct vtc_buf b;
	size_t cut, i, tail;

	vtc_buf_init(&b, cur, sizeof(cur));
	vtc_puts(&b, text);
	while (b.len > VTC_COLS && (cut = break_point(cur, b.len, 4)) != 0) {
		cur[cut] = '\0';
		line(ctx, cur);
		/* cur = "    " + what followed the blank; it only gets shorter */
		tail = b.len - cut - 1;
		for (i = 0; i <= tail; i++)
			cur[4 + i] = cur[cut + 1 + i];
		for (i = 0; i < 4; i++)
			cur[i] = ' ';
		b.len = 4 + tail;
	}
	line(ctx, cur);
}
