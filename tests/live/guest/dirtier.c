/* The live tests' guest workload (PID 1's job in a tiny initramfs).
 * Settings from the kernel command line: dmb=MiB region, dstride=bytes between
 * writes, drate=writes per second (0: fill once, then idle).
 * Fills the region with non-zero bytes first (QEMU sends zero pages as cheap
 * "duplicate" pages), then writes one byte every stride at the rate, cycling
 * through the region, and prints a line each second so a console shows the
 * guest is alive before and after migration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long arg(const char *cmdline, const char *key, long dflt) {
    const char *p = strstr(cmdline, key);
    return p ? atol(p + strlen(key)) : dflt;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
    char cmdline[4096] = "";
    FILE *f = fopen("/proc/cmdline", "r");
    if (f) { if (!fgets(cmdline, sizeof cmdline, f)) cmdline[0] = 0; fclose(f); }
    long mib = arg(cmdline, "dmb=", 256), stride = arg(cmdline, "dstride=", 4096);
    long rate = arg(cmdline, "drate=", 0);
    if (stride < 1) stride = 4096;
    size_t size = (size_t)mib << 20;
    volatile unsigned char *mem = malloc(size);
    if (!mem) { printf("dirtier: cannot allocate %ld MiB\n", mib); fflush(stdout); for (;;) sleep(60); }
    for (size_t i = 0; i < size; i++) mem[i] = (unsigned char)(i * 131 + 1) | 1;
    printf("dirtier ready: %ld MiB, stride %ld, %ld writes/s\n", mib, stride, rate);
    fflush(stdout);
    double start = now(), last_print = start;
    unsigned long long writes = 0;
    size_t off = 0;
    unsigned char v = 1;
    for (;;) {
        double t = now();
        unsigned long long due = rate > 0 ? (unsigned long long)((t - start) * rate) : 0;
        /* Catch up at most one second's worth after a pause (e.g. the switchover). */
        if (rate > 0 && due > writes + (unsigned long long)rate) writes = due - rate;
        while (writes < due) {
            mem[off] = v;
            off += stride;
            if (off >= size) { off = 0; v = (unsigned char)(v + 2) | 1; }
            writes++;
        }
        if (t - last_print >= 1.0) {
            printf("dirtier alive t=%.0f writes=%llu\n", t - start, writes);
            fflush(stdout);
            last_print = t;
        }
        struct timespec d = {0, 5 * 1000 * 1000};
        nanosleep(&d, NULL);
    }
}
