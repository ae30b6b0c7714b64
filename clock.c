/*
 * clock.c - co_now(): CLOCK_MONOTONIC without a system call.
 *
 * The kernel maps a small shared library, the vDSO, into every process and
 * passes its ELF image's address in the auxiliary vector (AT_SYSINFO_EHDR).
 * Its clock_gettime reads the time from a page the kernel keeps up to date,
 * in user space: a few nanoseconds instead of a system call.  A libc finds
 * it with its dynamic linker; here the first co_now() looks the symbol up
 * itself, in the image's dynamic symbol table (found through the section
 * headers, which the image keeps).  Where there is no vDSO (QEMU user mode
 * gives none), or no such symbol, co_now() makes the system call.
 *
 * The symbol, per architecture (all take the kernel's 64-bit timespec),
 * is arch.h's VDSO_CLOCK.
 */
#include <linux/elf.h>
#include "coroutine.h"
#include "syscalls.h"
#include "args.h"
#include "arch.h"

#if __SIZEOF_LONG__ == 8
typedef Elf64_Ehdr Ehdr; typedef Elf64_Phdr Phdr; typedef Elf64_Shdr Shdr; typedef Elf64_Sym Sym;
#else
typedef Elf32_Ehdr Ehdr; typedef Elf32_Phdr Phdr; typedef Elf32_Shdr Shdr; typedef Elf32_Sym Sym;
#endif

typedef int (*clock_fn)(int clock, struct sys_timespec *ts);

/* The address of the vDSO's function name, or 0. */
static void *vdso_lookup(const char *name)
{
	const char *base = (const char *)co_auxv(AT_SYSINFO_EHDR);
	const Ehdr *eh = (const Ehdr *)base;
	const Phdr *ph;
	const Shdr *sh;
	unsigned long bias = 0;

	if (!base)
		return 0;
	ph = (const Phdr *)(base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)           /* where it was linked to */
		if (ph[i].p_type == PT_LOAD) {
			bias = (unsigned long)base + ph[i].p_offset - ph[i].p_vaddr;
			break;
		}
	sh = (const Shdr *)(base + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		const Sym *sym = (const Sym *)(base + sh[i].sh_offset);
		const char *str = base + sh[sh[i].sh_link].sh_offset;

		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		for (unsigned long k = 0; k < sh[i].sh_size / sizeof *sym; k++)
			if (sym[k].st_shndx != SHN_UNDEF && str_eq(str + sym[k].st_name, name))
				return (void *)(bias + sym[k].st_value);
	}
	return 0;
}

/* The system call, for when there is no vDSO clock. */
static int clock_syscall(int clock, struct sys_timespec *ts)
{
	return sys_clock_gettime(clock, ts);
}

static clock_fn clock_now;              /* 0 until the first co_now() */

long long co_now(void)
{
	struct sys_timespec t;

	if (!clock_now) {
		clock_now = (clock_fn)vdso_lookup(VDSO_CLOCK);
		if (!clock_now)
			clock_now = clock_syscall;
	}
	clock_now(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Which clock co_now() uses: 1 the vDSO's, 0 the system call. */
int co_now_vdso(void)
{
	co_now();
	return clock_now != clock_syscall;
}
