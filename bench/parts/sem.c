/* Counting semaphores: co_sem_wait and co_sem_post (wait.c). */
#include "part.h"

static struct co_sem sem;

static void part(void)
{
	if (co_self() == 1)
		co_sem_wait(&sem, -1);
	else
		co_sem_post(&sem);
}
