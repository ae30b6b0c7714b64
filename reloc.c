/*
 * reloc.c - PIE=1 only: the program relocates itself (docs/boot.md).
 *
 * A PIE=1 program is a static position-independent executable (ET_DYN,
 * no interpreter, no DT_NEEDED): the kernel maps it at a random base each
 * run and jumps to _start with nothing relocated.  The code needs nothing
 * (it addresses everything relative to the pc), but data that holds an
 * address, a pointer in a table or a GOT slot, holds the address the
 * linker gave it, as if the program were loaded at 0.  The linker lists
 * each such word in the dynamic section's relocation table as a RELATIVE
 * relocation: "add the load base to the word here".  _start (start.S)
 * calls _co_relocate before anything else; it
 *   1. finds the load base: where the ELF header is (pc-relative) less
 *      where the linker put it (the first PT_LOAD, which holds it from
 *      file offset 0: its p_vaddr - p_offset);
 *   2. walks _DYNAMIC (pc-relative) for the table: DT_RELA, DT_RELASZ,
 *      DT_RELAENT (DT_REL, DT_RELSZ, DT_RELENT on arm and i386, whose REL
 *      records keep the addend in the word itself);
 *   3. applies every RELATIVE relocation: word = base + addend (RELA), or
 *      word += base (REL);
 *   4. makes the relocated data read-only (RELRO: PT_GNU_RELRO's pages);
 *   5. refuses anything else: a relocation of another type, or text
 *      relocations, end the program (status 127, as a dynamic loader's
 *      failure does) with one line, never a run with a wrong pointer.
 * The build refuses such programs first (Makefile: PIE_CHECK), so 5. is
 * the last line of defence, for programs linked elsewhere.
 *
 * Until step 3 is done this code may read no global that holds an address:
 * it is compiled like the rest (-fpie), and touches only the ELF header,
 * _DYNAMIC (both hidden: pc-relative, no GOT), the relocation table and
 * the words it relocates.  No switch (a jump table may be relocated data).
 * The other architectures' blocks keep the #if chain's order.
 */
#if CO_PIE
#include <linux/elf.h>
#include "coroutine.h"
#include "internal.h"
#include "syscalls.h"

#if __SIZEOF_LONG__ == 8
typedef Elf64_Ehdr Ehdr; typedef Elf64_Phdr Phdr; typedef Elf64_Dyn Dyn;
#define R_TYPE(info) ((info) & 0xffffffff)
#else
typedef Elf32_Ehdr Ehdr; typedef Elf32_Phdr Phdr; typedef Elf32_Dyn Dyn;
#define R_TYPE(info) ((info) & 0xff)
#endif

/* Each architecture's RELATIVE relocation, and its records' form. */
#if defined(__x86_64__)
#define RELATIVE 8              /* R_X86_64_RELATIVE */
#define RELA 1
#elif defined(__aarch64__)
#define RELATIVE 1027           /* R_AARCH64_RELATIVE */
#define RELA 1
#elif defined(__riscv) && __riscv_xlen == 64
#define RELATIVE 3              /* R_RISCV_RELATIVE */
#define RELA 1
#elif defined(__arm__)
#define RELATIVE 23             /* R_ARM_RELATIVE */
#define RELA 0
#elif defined(__i386__)
#define RELATIVE 8              /* R_386_RELATIVE */
#define RELA 0
#elif defined(__s390x__)
#define RELATIVE 12             /* R_390_RELATIVE */
#define RELA 1
#else
#error "unsupported architecture: add its RELATIVE relocation (see docs/porting.md)"
#endif

#if RELA
typedef struct { unsigned long offset, info; long addend; } Rel;
#define DT_TABLE DT_RELA
#define DT_TABLESZ DT_RELASZ
#define DT_TABLEENT DT_RELAENT
#define DT_OTHER DT_REL         /* the other form: never made here */
#else
typedef struct { unsigned long offset, info; } Rel;
#define DT_TABLE DT_REL
#define DT_TABLESZ DT_RELSZ
#define DT_TABLEENT DT_RELENT
#define DT_OTHER DT_RELA
#endif
#define DT_FLAGS 30             /* (older headers lack it) */
#define DF_TEXTREL_FLAG 4       /* DT_FLAGS' DF_TEXTREL */

/* The ELF header, with the program headers after it: of no size known to
 * the compiler (UBSan's object-size check would call the headers after
 * an Ehdr out of bounds). */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern const Dyn _DYNAMIC[] __attribute__((visibility("hidden")));

/* The load base: 0 until _co_relocate has run (fault.c prints it). */
unsigned long _co_load_base;

/* Step 5: one line, then exit status 127.  Called once relocated. */
static _Noreturn void refuse(void)
{
	static const char msg[] = "cannot start: a relocation other than RELATIVE "
				  "(PIE=1 programs have only those)\n";

	sys_write(2, msg, sizeof msg - 1);
	sys_exit(127);
}

/* Called by _start, first: relocate, protect, or refuse (above). */
void _co_relocate(void)
{
	const Ehdr *eh = (const Ehdr *)__ehdr_start;
	const Phdr *ph = (const Phdr *)((const char *)eh + eh->e_phoff);
	unsigned long base = (unsigned long)eh, table = 0, size = 0, ent = sizeof(Rel);
	unsigned long relro = 0, relro_end = 0, bad = 0, first = 0, i;
	const Dyn *d;

	for (i = 0; i < eh->e_phnum; i++) {                    /* 1. */
		if (ph[i].p_type == PT_LOAD && !first++)       /* it holds eh */
			base = (unsigned long)eh - (ph[i].p_vaddr - ph[i].p_offset);
		if (ph[i].p_type == PT_GNU_RELRO) {
			relro = ph[i].p_vaddr;
			relro_end = relro + ph[i].p_memsz;
		}
	}
	for (d = _DYNAMIC; d->d_tag != DT_NULL; d++) {         /* 2. */
		if (d->d_tag == DT_TABLE)
			table = d->d_un.d_val;
		else if (d->d_tag == DT_TABLESZ)
			size = d->d_un.d_val;
		else if (d->d_tag == DT_TABLEENT)
			ent = d->d_un.d_val;
		else if (d->d_tag == DT_OTHER || d->d_tag == DT_TEXTREL || d->d_tag == DT_JMPREL ||
			 (d->d_tag == DT_FLAGS && (d->d_un.d_val & DF_TEXTREL_FLAG)))
			bad = 1;
	}
	for (i = 0; ent && i + ent <= size; i += ent) {        /* 3. */
		const Rel *r = (const Rel *)(base + table + i);
		unsigned long *where = (unsigned long *)(base + r->offset);

		if (R_TYPE(r->info) != RELATIVE)
			bad = 1;
#if RELA
		else
			*where = base + r->addend;
#else
		else
			*where += base;
#endif
	}
	if (bad)                                                /* 5. */
		refuse();
	relro = (base + relro) & -(unsigned long)CO_PAGE_SIZE;  /* 4. */
	relro_end = (base + relro_end + CO_PAGE_SIZE - 1) & -(unsigned long)CO_PAGE_SIZE;
	if (relro_end > relro)
		sys_mprotect((void *)relro, relro_end - relro, 1 /* PROT_READ */);
	_co_load_base = base;
}
#endif
