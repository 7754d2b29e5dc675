/* allocates 100 MB, touches half of it, then waits */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	size_t total = 100u << 20;
	char *p = malloc(total);

	if (!p)
		return 1;
	memset(p, 1, total / 2);
	printf("pid %d: 100 MB allocated, 50 MB touched\n", getpid());
	fflush(stdout);
	pause();
	return 0;
}
