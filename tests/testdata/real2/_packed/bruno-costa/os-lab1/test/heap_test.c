/* grows the heap by N MB and waits, to test lkm2 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long mb = argc > 1 ? atol(argv[1]) : 100;
	char *p = sbrk(mb << 20);
	long i;

	if (p == (void *)-1) {
		perror("sbrk");
		return 1;
	}
	for (i = 0; i < (mb << 20); i += 4096)
		p[i] = 1;
	printf("pid %d, heap grown by %ld MB\n", getpid(), mb);
	pause();
	return 0;
}
