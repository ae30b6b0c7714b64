/*
 * sht.c - drop the section header table from a stripped program: a
 * post-link step of the build, run on the host (make app TINY=1, make
 * size; docs/size.md).
 *
 *     sht IN [OUT]     rewrite IN (or write OUT) without its section table
 *
 * The kernel and QEMU load a program by its program headers alone; the
 * section header table, and the string table of the sections' names, are
 * read by tools (objdump, gdb, strip), not by any loader.  After `strip`
 * they are all a program carries past its last segment: a few hundred
 * bytes.  This program sets e_shoff, e_shnum and e_shstrndx to 0 and cuts
 * the file where its last segment's bytes end, which drops the table, the
 * names (when they lie there too) and the padding between them.  `readelf
 * -l` still reads the result; `readelf -S` finds no sections.
 *
 * ELF32 and ELF64, either byte order (s390x is big-endian), any machine.
 * What it does not understand it refuses, and leaves the file as it was:
 * not an ELF file, an ELF header or program header table cut short,
 * program headers of an odd size, extended section numbering, a section
 * that is neither loaded nor the names' table (not stripped: .symtab,
 * .debug_*), a loaded section with bytes past the last segment (an empty
 * one, as ld.lld leaves .data, holds nothing to lose), or any byte past the
 * last segment that is not the section table, the names or zero padding
 * (data appended to the program).  A file with no section table already
 * is left as it is (status 0).  The result goes to a temporary file beside
 * the output, renamed over it once complete: an error never leaves a file
 * half written.
 *
 * Exit status: 0 done (or nothing to do); 2 usage; 65 (EX_DATAERR) a file
 * it refuses, with one line on stderr saying why; 74 (EX_IOERR) a file it
 * cannot read or write.  A host program, with the host's C library: it is
 * built with the host compiler (the Makefile's HOSTCC) into build/sht.
 * (At the top level, beside linker.ld: the last step of every build that
 * asks for it, not a test or a benchmark.)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EX_USAGE 2
#define EX_DATAERR 65
#define EX_IOERR 74

static const char *in_name;
static unsigned char *img;      /* the whole input file */
static unsigned long size;      /* its length */
static int wide, big;           /* ELF64?  big-endian? */

static _Noreturn void die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sht: %s: ", in_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* The n-byte unsigned field at off, in the file's byte order; the file
 * must hold it. */
static unsigned long long get(unsigned long off, int n)
{
	unsigned long long v = 0;

	if (off > size || n > (long)(size - off))
		die(EX_DATAERR, "cut short: a field at offset %lu is past the end", off);
	for (int i = 0; i < n; i++)
		v |= (unsigned long long)img[off + i] << 8 * (big ? n - 1 - i : i);
	return v;
}

static void put(unsigned char *p, unsigned long long v, int n)
{
	for (int i = 0; i < n; i++)
		p[big ? n - 1 - i : i] = v >> 8 * i;
}

/* An address-sized field (4 or 8 bytes), at its ELF32 or ELF64 offset. */
static unsigned long long word(unsigned long off32, unsigned long off64)
{
	return wide ? get(off64, 8) : get(off32, 4);
}

static void read_input(void)
{
	FILE *f = fopen(in_name, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die(EX_IOERR, "cannot read: %s", strerror(errno));
	size = n;
	if (!(img = malloc(size ? size : 1)) || fread(img, 1, size, f) != size || fclose(f))
		die(EX_IOERR, "cannot read: %s", strerror(errno ? errno : EIO));
}

/* Is [off, off + len) inside the file and within [0, end)? */
static int within(unsigned long long off, unsigned long long len, unsigned long long end)
{
	return off <= end && len <= end - off;
}

/* Where the loaded bytes end: past the ELF header, the program header
 * table and every segment's file bytes.  Checks the headers on the way. */
static unsigned long long segments_end(void)
{
	unsigned long long phoff = word(28, 32), end;
	unsigned phentsize = get(wide ? 54 : 42, 2), phnum = get(wide ? 56 : 44, 2);
	unsigned ehsize = get(wide ? 52 : 40, 2);

	if (ehsize != (wide ? 64u : 52u))
		die(EX_DATAERR, "an ELF header of %u bytes, not %u", ehsize, wide ? 64 : 52);
	if (!phnum || phentsize != (wide ? 56u : 32u))
		die(EX_DATAERR, "no program headers, or of %u bytes (not %u)", phentsize, wide ? 56 : 32);
	if (!within(phoff, (unsigned long long)phnum * phentsize, size))
		die(EX_DATAERR, "the program header table is past the end of the file");
	end = phoff + (unsigned long long)phnum * phentsize;
	if (end < ehsize)
		end = ehsize;
	for (unsigned i = 0; i < phnum; i++) {
		unsigned long p = phoff + (unsigned long)i * phentsize;
		unsigned long long off = word(p + 4, p + 8), filesz = word(p + 16, p + 32);

		if (!filesz)
			continue;               /* no file bytes (.bss alone): any offset */
		if (!within(off, filesz, size))
			die(EX_DATAERR, "segment %u lies past the end of the file", i);
		if (off + filesz > end)
			end = off + filesz;
	}
	return end;
}

/* Check the section table and what lies past the segments, then clear
 * the header's three fields: the length the file is cut to. */
static unsigned long long drop_table(void)
{
	unsigned long long end = segments_end(), shoff = word(32, 40), names_off = 0, names_len = 0;
	unsigned shentsize = get(wide ? 58 : 46, 2), shnum = get(wide ? 60 : 48, 2);
	unsigned shstrndx = get(wide ? 62 : 50, 2);

	if (!shoff && !shnum)
		return size;                    /* none: the file as it is */
	if (!shnum || shstrndx >= shnum)
		die(EX_DATAERR, "extended section numbering (or a bad e_shstrndx): not handled");
	if (shentsize != (wide ? 64u : 40u) || !within(shoff, (unsigned long long)shnum * shentsize, size))
		die(EX_DATAERR, "a section header table of odd entries, or past the end of the file");

	/* Every section: loaded (within the segments' bytes, or NOBITS), the
	 * null one, or the names' table. */
	for (unsigned i = 1; i < shnum; i++) {
		unsigned long s = shoff + (unsigned long)i * shentsize;
		unsigned type = get(s + 4, 4);
		unsigned long long flags = word(s + 8, s + 8);
		unsigned long long off = word(s + 16, s + 24), len = word(s + 20, s + 32);

		if (i == shstrndx) {
			if (type != 3 || !within(off, len, size))       /* SHT_STRTAB */
				die(EX_DATAERR, "the section names' table is not a string table in the file");
			names_off = off, names_len = len;
		} else if (!(flags & 2)) {                              /* not SHF_ALLOC */
			die(EX_DATAERR, "not stripped: section %u is not loaded (run strip first)", i);
		} else if (type != 8 && len && !within(off, len, end)) { /* not SHT_NOBITS, not empty */
			die(EX_DATAERR, "loaded section %u lies past the last segment", i);
		}
	}
	/* Past the segments: the table, the names, zeros; nothing else. */
	for (unsigned long long o = end; o < size; o++)
		if (img[o] && !(o >= shoff && o - shoff < (unsigned long long)shnum * shentsize) &&
		    !(o >= names_off && o - names_off < names_len))
			die(EX_DATAERR, "byte %llu, past the last segment, is not the section table's", o);

	put(img + (wide ? 40 : 32), 0, wide ? 8 : 4);                  /* e_shoff */
	put(img + (wide ? 60 : 48), 0, 2);                              /* e_shnum */
	put(img + (wide ? 62 : 50), 0, 2);                              /* e_shstrndx */
	return end;
}

/* The first len bytes of img to a temporary file beside out, with in's
 * mode, renamed to out once complete. */
static void write_output(const char *out, unsigned long long len)
{
	char *tmp = malloc(strlen(out) + 12);
	struct stat st;
	int fd, e;

	if (!tmp || stat(in_name, &st))
		die(EX_IOERR, "cannot read: %s", strerror(errno));
	sprintf(tmp, "%s.sht-XXXXXX", out);
	if ((fd = mkstemp(tmp)) < 0)
		die(EX_IOERR, "cannot write %s: %s", tmp, strerror(errno));
	for (unsigned long long done = 0; done < len; ) {
		long n = write(fd, img + done, len - done);

		if (n <= 0 && errno != EINTR)
			goto failed;
		if (n > 0)
			done += n;
	}
	if (!fchmod(fd, st.st_mode & 07777) && !close(fd) && !rename(tmp, out))
		return;
failed:
	e = errno;
	unlink(tmp);
	die(EX_IOERR, "cannot write %s: %s", out, strerror(e));
}

int main(int argc, char **argv)
{
	unsigned long long end;
	int none;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: sht IN [OUT]  (drop a stripped ELF program's section header table)\n");
		return EX_USAGE;
	}
	in_name = argv[1];
	read_input();
	if (size < 16 || memcmp(img, "\177ELF", 4))
		die(EX_DATAERR, "not an ELF file");
	if ((img[4] != 1 && img[4] != 2) || (img[5] != 1 && img[5] != 2) || img[6] != 1)
		die(EX_DATAERR, "an ELF class, byte order or version this program does not know");
	wide = img[4] == 2;
	big = img[5] == 2;
	none = !word(32, 40) && !get(wide ? 60 : 48, 2);
	end = drop_table();
	if (none && argc == 2)
		return 0;                       /* no table: nothing to do */
	write_output(argc == 3 ? argv[2] : argv[1], end);
	return 0;
}
