// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "host.h"

#define ADVICE_PATCHED_KVM \
	"on the host, load a KVM built with the exit-statistics series " \
	"(kvm/load-modules, docs/kvm-modules.md) and set " \
	"/sys/module/kvm/parameters/exit_stats to host or vm"
#define ADVICE_OTHER \
	"only a Linux KVM with the exit-statistics series provides these " \
	"counters: run exitstat in a guest of such a host (docs/exit-stats.md)"

struct known_hypervisor {
	char signature[12];		/* EBX, ECX, EDX of leaf 0x40000000 */
	const char *id, *what, *advice;
};

/* Signatures as the hypervisors publish them (NUL-padded to 12 bytes). */
static const struct known_hypervisor known[] = {
	{ "KVMKVMKVM\0\0", "kvm",
	  "KVM without the exit-statistics series, or with kvm.exit_stats=off",
	  ADVICE_PATCHED_KVM },
	{ "Linux KVM Hv", "kvm",
	  "KVM (its Hyper-V emulation) without the exit-statistics series, or with kvm.exit_stats=off",
	  ADVICE_PATCHED_KVM },
	{ "TCGTCGTCGTCG", "tcg",
	  "QEMU without KVM (TCG emulation), which has no such counters",
	  "start QEMU with -accel kvm on a host whose KVM has the exit-statistics series (docs/exit-stats.md)" },
	{ "Microsoft Hv", "hyperv", "Microsoft Hyper-V, which has no such counters",
	  ADVICE_OTHER },
	{ "VMwareVMware", "vmware", "VMware, which has no such counters",
	  ADVICE_OTHER },
	{ "XenVMMXenVMM", "xen", "Xen, which has no such counters",
	  ADVICE_OTHER },
	{ "VBoxVBoxVBox", "virtualbox", "VirtualBox, which has no such counters",
	  ADVICE_OTHER },
	{ "bhyve bhyve ", "bhyve", "bhyve, which has no such counters",
	  ADVICE_OTHER },
	{ " lrpepyh  vr", "parallels", "Parallels, which has no such counters",
	  ADVICE_OTHER },
	{ "ACRNACRNACRN", "acrn", "ACRN, which has no such counters",
	  ADVICE_OTHER },
	{ "OpenBSDVMM58", "openbsd-vmm", "OpenBSD vmm, which has no such counters",
	  ADVICE_OTHER },
};

static void read_signature(struct es_reader *rd, uint32_t leaf, char sig[12])
{
	struct es_regs r;

	es_read_raw(rd, leaf, 0, &r);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
}

static const struct known_hypervisor *lookup(const char sig[12])
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!memcmp(known[i].signature, sig, 12))
			return &known[i];
	return NULL;
}

/* The signature as text: trailing NULs dropped, other bytes escaped. */
static void printable_signature(const char sig[12], char *buf, size_t len)
{
	size_t n = 12, i, at = 0;

	while (n && !sig[n - 1])
		n--;
	buf[0] = '\0';
	for (i = 0; i < n && at + 5 < len; i++) {
		unsigned char c = (unsigned char)sig[i];

		if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"')
			buf[at++] = (char)c;
		else
			at += (size_t)snprintf(buf + at, len - at, "\\x%02X", c);
		buf[at] = '\0';
	}
}

void es_host_identify(struct es_reader *rd, struct es_host *h)
{
	const struct known_hypervisor *k;
	struct es_regs r;
	char sig[12];

	memset(h, 0, sizeof(*h));
	es_read_raw(rd, 1, 0, &r);
	h->hypervisor = r.ecx >> 31;
	if (!h->hypervisor) {
		h->id = "none";
		h->what = "no hypervisor (CPUID.1:ECX[31] is 0): bare metal, or a hypervisor that hides itself";
		h->advice = "exits exist only inside a virtual machine: run exitstat in a guest of a KVM host with the exit-statistics series (docs/exit-stats.md)";
		return;
	}
	h->leaf = ES_HV_LEAF;
	read_signature(rd, ES_HV_LEAF, sig);
	k = lookup(sig);
	if (k && !strcmp(k->id, "hyperv")) {
		/* KVM or Xen offering Hyper-V's interface keep theirs here. */
		char second[12];
		const struct known_hypervisor *k2;

		read_signature(rd, ES_HV_LEAF_SECOND, second);
		k2 = lookup(second);
		if (k2) {
			k = k2;
			memcpy(sig, second, 12);
			h->leaf = ES_HV_LEAF_SECOND;
		}
	}
	printable_signature(sig, h->signature, sizeof(h->signature));
	if (k) {
		h->id = k->id;
		h->what = k->what;
		h->advice = k->advice;
		return;
	}
	h->id = "unknown";
	h->what = "a hypervisor exitstat does not know, which does not answer these leaves";
	h->advice = ADVICE_OTHER;
}
