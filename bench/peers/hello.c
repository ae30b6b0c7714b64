/* bench/peers/hello.c - the smallest useful program on a C library, for
 * the exec-to-exit comparison: linked statically against glibc and musl. */
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
