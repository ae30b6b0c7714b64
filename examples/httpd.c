/*
 * examples/httpd.c - a static file server for HTTP/1.1, one coroutine per
 * connection.
 *
 *   httpd [-p PORT] [-w WORKERS] [-t SECONDS] DIR
 *
 * Serves the files under DIR on every address, port PORT (default 8080):
 * GET and HEAD, keep-alive, the file sent with sendfile, Range (206, 416),
 * If-Modified-Since (304), a Content-Type from the extension, DIR/x/ as
 * DIR/x/index.html (no listings).  -w: WORKERS processes (default 1), each
 * with its own listening socket on the port (SO_REUSEPORT), the kernel
 * spreading connections between them; the workers end with the first.
 * -t: a connection's deadline (default 10 s): a request's head must arrive
 * within SECONDS of the wait for it, and the client must take each part of
 * the answer within SECONDS, or the connection is closed, so a slow client
 * (slowloris) costs one coroutine for that long.  Usage errors: status 2.
 *
 * Never out of DIR: the parser (http_parse.h) refuses "..", "%2e%2e", NUL
 * and backslashes (400); a target is always relative to DIR; a file is
 * opened with openat2's RESOLVE_BENEATH, so a symlink that leads out of DIR
 * is refused (403) and one within it followed.  Where openat2 is missing
 * (Linux before 5.6, QEMU user mode) every component is opened in turn with
 * O_NOFOLLOW: then no symlink at all is followed (403).
 */
#include "coroutine.h"
#include "print.h"
#include "syscalls.h"
#include "args.h"
#include "http_parse.h"
#include <linux/openat2.h>      /* struct open_how, RESOLVE_* */
#include <linux/stat.h>         /* struct statx, STATX_*, S_IF* */

#define MSG_MORE 0x8000         /* sendto: more follows (the body) */
#define SEC 1000000000LL

void *memmove(void *dst, const void *src, __SIZE_TYPE__ n);    /* mem.c */

static int root;                /* DIR, an O_PATH fd */
static long long deadline_ns = 10 * SEC;

/* ---- answers -------------------------------------------------------------- */

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Internal Server Error";
	}
}

static const char *const types[] = {
	"html", "text/html; charset=utf-8", "htm", "text/html; charset=utf-8",
	"txt", "text/plain; charset=utf-8", "css", "text/css", "js", "text/javascript",
	"json", "application/json", "xml", "application/xml", "svg", "image/svg+xml",
	"png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif",
	"webp", "image/webp", "ico", "image/x-icon", "pdf", "application/pdf",
	"wasm", "application/wasm", "woff2", "font/woff2", "mp4", "video/mp4",
	"gz", "application/gzip", 0,
};

/* The Content-Type for path's extension. */
static const char *type_of(const char *path)
{
	const char *dot = 0;

	for (const char *p = path; *p; p++)
		if (*p == '.')
			dot = p + 1;
		else if (*p == '/')
			dot = 0;
	for (int i = 0; dot && types[i]; i += 2)
		if (str_eq(dot, types[i]))
			return types[i + 1];
	return "application/octet-stream";
}

/* Wait until fd can be written, at most the deadline: 1, or 0 (drop it). */
static int writable(int fd)
{
	return co_wait_fd(fd, CO_WRITE, deadline_ns) > 0;
}

/* Send len bytes (more: a body follows): 0, or -1 if the client is gone
 * or too slow. */
static int send_all(int fd, const char *buf, long len, int more)
{
	while (len > 0) {
		long r = sys_sendto(fd, buf, len, MSG_DONTWAIT | more, 0, 0);

		if (r > 0)
			buf += r, len -= r;
		else if (r != -EINTR && (r != -EAGAIN || !writable(fd)))
			return -1;
	}
	return 0;
}

/* The head of an answer into h: its length.  type 0: no Content-Type;
 * length -1: no Content-Length (a 304); extra: more header lines. */
static int head(char *h, int size, int status, const char *type, long long length,
		const char *extra, int keep_alive, int minor)
{
	char date[30], len[48] = "";
	struct sys_timespec now;

	sys_clock_gettime(CLOCK_REALTIME, &now);
	http_date(now.tv_sec, date);
	if (length >= 0)
		co_format(len, sizeof len, "Content-Length: %lld\r\n", length);
	return co_format(h, size, "HTTP/1.1 %d %s\r\nServer: coroutines-httpd\r\nDate: %s\r\n"
			 "%s%s%s%s%s%s\r\n", status, reason(status), date,
			 type ? "Content-Type: " : "", type ? type : "", type ? "\r\n" : "",
			 len, extra, !keep_alive ? "Connection: close\r\n" :
			 minor == 0 ? "Connection: keep-alive\r\n" : "");
}

/* An answer with a short text body ("404 Not Found\n"): 0, or -1. */
static int error(int fd, int status, int keep_alive, int minor, int is_head, const char *extra)
{
	char h[512], body[64];
	int n = co_format(body, sizeof body, "%d %s\n", status, reason(status));
	int k = head(h, sizeof h, status, "text/plain; charset=utf-8", n, extra, keep_alive, minor);

	if (k >= (int)sizeof h)
		return -1;
	return send_all(fd, h, k, is_head ? 0 : MSG_MORE) || (!is_head && send_all(fd, body, n, 0)) ? -1 : 0;
}

/* ---- files ---------------------------------------------------------------- */

/* path (relative, "" for DIR itself) opened for reading beneath DIR: its
 * fd, or a negative errno (-EXDEV, -ELOOP: it leads out, or through a
 * symlink where only O_NOFOLLOW guards).  O_NONBLOCK: a FIFO in DIR must
 * not block the process in open (it is refused after, as not a file). */
static int open_beneath(const char *path)
{
	static int no_openat2;
	struct open_how how = { O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	char comp[HTTP_MAX_PATH + 16];      /* a component of answer()'s path */
	int dir = root, fd = -ENOENT;

	if (!*path)
		path = ".";
	if (!no_openat2) {
		fd = sys_openat2(root, path, &how, sizeof how);
		if (fd != -ENOSYS && fd != -EPERM)     /* EPERM: a seccomp filter */
			return fd;
		no_openat2 = 1;
	}
	/* One component at a time, following no symlink. */
	for (;;) {
		int n = 0;

		while (*path && *path != '/')
			comp[n++] = *path++;
		comp[n] = 0;
		while (*path == '/')
			path++;
		fd = sys_openat(dir, comp, (*path ? O_PATH | O_DIRECTORY : O_RDONLY | O_NONBLOCK) | O_NOFOLLOW | O_CLOEXEC, 0);
		if (dir != root)
			sys_close(dir);
		if (fd < 0 || !*path)
			return fd;
		dir = fd;
	}
}

static int status_of(int err)
{
	return err == -ENOENT || err == -ENOTDIR || err == -ENAMETOOLONG ? 404 :
	       err == -EACCES || err == -EXDEV || err == -ELOOP || err == -EPERM ? 403 : 500;
}

/* Send count bytes of file from off: 0, or -1. */
static int send_file(int fd, int file, long long off, long long count)
{
	while (count > 0) {
		long r = sys_sendfile(fd, file, &off, count > (1 << 30) ? 1 << 30 : count);

		if (r > 0)
			count -= r;
		else if (r == 0 || (r != -EINTR && (r != -EAGAIN || !writable(fd))))
			return -1;      /* 0: the file shrank */
	}
	return 0;
}

/* Answer request r: 0 to go on with the connection, -1 to close it. */
static int answer(int fd, struct http_req *r)
{
	char path[HTTP_MAX_PATH + 16], h[640], extra[160] = "", last_mod[30];
	struct statx st;
	long long first = 0, last, size;
	int file, status = 200, k, n = 0, ret;

	while (r->path[n])
		path[n] = r->path[n], n++;
	if (!n || path[n - 1] == '/')   /* a directory: its index */
		for (const char *ix = "index.html"; (path[n] = *ix); n++, ix++)
			;
	path[n] = 0;
	file = open_beneath(path);
	if (file >= 0 && (k = sys_statx(file, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE | STATX_MTIME, &st)) < 0) {
		sys_close(file);
		file = k;
	}
	if (file >= 0 && (st.stx_mode & S_IFMT) == S_IFDIR) {  /* DIR/x as DIR/x/index.html */
		k = sys_openat(file, "index.html", O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0);
		sys_close(file);
		file = k;
		if (file >= 0 && (k = sys_statx(file, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE | STATX_MTIME, &st)) < 0) {
			sys_close(file);
			file = k;
		}
		path[n] = '/', co_format(path + n + 1, 11, "index.html");
	}
	if (file >= 0 && (st.stx_mode & S_IFMT) != S_IFREG) {
		sys_close(file);
		file = -EACCES;
	}
	if (file < 0)
		return error(fd, status_of(file), r->keep_alive, r->minor, r->head, "");
	size = (long long)st.stx_size, last = size - 1;
	http_date(st.stx_mtime.tv_sec, last_mod);
	if (r->ims >= 0 && st.stx_mtime.tv_sec <= r->ims) {
		status = 304;
	} else if ((k = http_range(r, size, &first, &last)) < 0) {
		co_format(extra, sizeof extra, "Content-Range: bytes */%lld\r\n", size);
		sys_close(file);
		return error(fd, 416, r->keep_alive, r->minor, r->head, extra);
	} else if (k) {
		status = 206;
		co_format(extra, sizeof extra, "Content-Range: bytes %lld-%lld/%lld\r\n", first, last, size);
	}
	for (n = 0; extra[n]; n++)
		;
	co_format(extra + n, sizeof extra - n, "Last-Modified: %s\r\nAccept-Ranges: bytes\r\n", last_mod);
	if (status == 304)      /* no body, no Content-Length of one */
		k = head(h, sizeof h, 304, 0, -1, extra, r->keep_alive, r->minor);
	else
		k = head(h, sizeof h, status, type_of(path), last - first + 1, extra, r->keep_alive, r->minor);
	ret = send_all(fd, h, k, r->head || status == 304 || last < first ? 0 : MSG_MORE);
	if (!ret && !r->head && status != 304)
		ret = send_file(fd, file, first, last - first + 1);
	sys_close(file);
	return ret;
}

/* ---- connections ---------------------------------------------------------- */

/* Read more of the request into buf (have bytes held, room for size) by
 * the deadline end: the new count, or -1 (closed, failed, too late). */
static int more(int fd, char *buf, int have, int size, long long end)
{
	for (;;) {
		long r = sys_recvfrom(fd, buf + have, size - have, MSG_DONTWAIT, 0, 0);
		long long left = end - co_now();

		if (r > 0)
			return have + (int)r;
		if ((r != -EAGAIN && r != -EINTR) || left <= 0)
			return -1;
		if (r == -EAGAIN && co_wait_fd(fd, CO_READ, left) <= 0)
			return -1;      /* the deadline passed */
	}
}

/* Before closing on a request refused unread: say no more (shutdown), then
 * read and drop what the client still sends, up to a second or 1 MiB, so
 * that the close does not reset the connection (a reset may discard the
 * answer before the client has read it). */
static void linger(int fd, char *buf, int size)
{
	long long end = co_now() + (deadline_ns < SEC ? deadline_ns : SEC);
	int got = 0, r;

	syscall6(__NR_shutdown, fd, 1 /* SHUT_WR */, 0, 0, 0, 0);
	while (got < 1 << 20 && (r = more(fd, buf, 0, size, end)) > 0)
		got += r;
}

/* One client: requests, one after the other (pipelined ones too), until
 * it closes, asks to close, errs or misses its deadline. */
#ifdef CO_FRAME_LIMIT
/* A build without stack probes (clang on aarch64, riscv64, arm) refuses
 * frames larger than CO_FRAME_LIMIT, which could step over the guard page.
 * This one holds a whole head: the stack it needs is touched first, a
 * store every KiB down from frames within the limit, so that an overflow
 * faults in the guard; then the frame is allowed. */
static __attribute__((noinline)) void touch(int kib)
{
	char kb[1024];

	kb[0] = 0;
	__asm__ volatile ("" : : "r"(kb) : "memory");  /* the whole KiB kept */
	if (kib > 1)
		touch(kib - 1);
	__asm__ volatile ("" : : "r"(kb) : "memory");  /* not a tail call */
}

static void client(int fd);

static void connection(void *arg)
{
	touch((HTTP_MAX_HEAD + sizeof(struct http_req)) / 1024 + 4);
	client((int)(long)arg);
}
#pragma clang diagnostic ignored "-Wframe-larger-than"
static __attribute__((noinline)) void client(int fd)
{
	int have = 0, n;
#else
static void connection(void *arg)
{
	int fd = (int)(long)arg, have = 0, n;
#endif
	char buf[HTTP_MAX_HEAD];
	struct http_req r;

	for (;;) {
		long long end = co_now() + deadline_ns;

		while ((n = http_parse(buf, have, &r)) == 0)
			if ((have = more(fd, buf, have, sizeof buf, end)) < 0)
				goto out;
		if (n < 0) {            /* refused: say why, then close */
			if (!error(fd, -n, 0, 1, 0, ""))
				linger(fd, buf, sizeof buf);
			break;
		}
		if (answer(fd, &r) || !r.keep_alive)
			break;
		memmove(buf, buf + n, have - n);
		have -= n;
	}
out:
	co_close(fd);
}

/* ---- the way in ----------------------------------------------------------- */

static int usage(const char *why)
{
	co_eprint("httpd: %s\n"
		  "usage: httpd [-p PORT] [-w WORKERS] [-t SECONDS] DIR\n"
		  "  -p PORT      1-65535 (default 8080), on every address\n"
		  "  -w WORKERS   processes sharing the port, 1-256 (default 1)\n"
		  "  -t SECONDS   a connection's deadline, 1-86400 (default 10)\n", why);
	return CO_EXIT_USAGE;
}

/* A new process, as fork(2): 0 in it, its pid in the parent.  clone with
 * only SIGCHLD where there is no fork call (aarch64, riscv64). */
static long new_process(void)
{
#ifdef __NR_fork
	return syscall6(__NR_fork, 0, 0, 0, 0, 0, 0);
#else
	return syscall6(__NR_clone, SIGCHLD, 0, 0, 0, 0, 0);
#endif
}

/* The pool is full: a 503 for client c, closed without a coroutine.  What
 * it has sent already is read first, and the close follows a shutdown, so
 * the answer is not lost to a reset (as far as can be without waiting). */
static void turn_away(int c)
{
	static const char full[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n";
	static char drop[HTTP_MAX_HEAD];

	sys_recvfrom(c, drop, sizeof drop, MSG_DONTWAIT, 0, 0);
	sys_sendto(c, full, sizeof full - 1, MSG_DONTWAIT, 0, 0);
	syscall6(__NR_shutdown, c, 1 /* SHUT_WR */, 0, 0, 0, 0);
	sys_close(c);
}

/* Accept for ever on ls, a coroutine per connection. */
static _Noreturn void serve(int ls)
{
	for (;;) {
		int c = co_accept(ls, -1);

		if (c < 0)              /* out of fds or memory: back off */
			co_sleep(100 * 1000000ULL);
		else if (co_spawn(connection, (void *)(long)c) < 0)
			turn_away(c);
	}
}

int main(int argc, char **argv)
{
	long port = 8080, workers = 1, secs = 10;
	const char *dir = 0;
	char addr[16];
	int ls;

	for (int i = 1; i < argc; i++) {
		long *opt = str_eq(argv[i], "-p") ? &port : str_eq(argv[i], "-w") ? &workers :
			    str_eq(argv[i], "-t") ? &secs : 0;

		if (opt && i + 1 < argc)
			*opt = arg_number(argv[++i]);
		else if (opt)
			return usage("an option without its value");
		else if (argv[i][0] == '-' || dir)
			return usage(argv[i][0] == '-' ? "unknown option" : "one DIR only");
		else
			dir = argv[i];
	}
	if (!dir)
		return usage("no DIR given");
	if (port < 1 || port > 65535 || workers < 1 || workers > 256 || secs < 1 || secs > 86400)
		return usage("a number out of range");
	deadline_ns = secs * SEC;
	if ((root = sys_openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0)) < 0) {
		co_eprint("httpd: %s: not a directory I can open (errno %d)\n", dir, -root);
		return 1;
	}
	co_format(addr, sizeof addr, ":%ld", port);
	ls = workers > 1 ? co_listen_shared(addr, 1024) : co_listen(addr, 1024);
	if (ls < 0) {
		co_eprint("httpd: cannot listen on %s (errno %d)\n", addr, -ls);
		return 1;
	}
	co_sigaction(SIGPIPE, (void (*)(int, void *, void *))1 /* SIG_IGN */, 0);
	/* Workers: each its own socket on the port; each ends with the first. */
	for (long w = 1; w < workers; w++) {
		long pid = new_process();

		if (pid == 0) {
			syscall6(__NR_prctl, 1 /* PR_SET_PDEATHSIG */, SIGTERM, 0, 0, 0, 0);
			sys_close(ls);
			if ((ls = co_listen_shared(addr, 1024)) < 0) {
				co_eprint("httpd: worker %ld cannot listen on %s (errno %d)\n", w, addr, -ls);
				return 1;
			}
			serve(ls);
		}
		if (pid < 0)
			co_eprint("httpd: worker %ld not started (errno %ld)\n", w, -pid);
	}
	co_print("httpd: serving %s on %s, %ld worker%s\n", dir, addr, workers, workers > 1 ? "s" : "");
	co_flush();
	serve(ls);
}
