"""The harness' runtime: the only code that runs before mail-derived code, linked as its own
translation unit into a static binary with no libc.

Its entry point enters seccomp strict mode (only read, write, _exit and sigreturn remain) and
then calls `harness_main()`; no constructors run (there is no C runtime to run them), and
`system`, `fork`, `open` and friends do not exist to link against."""

from __future__ import annotations

import platform

ENTRY = "__reviewer_start"

RUNTIME_C = r"""
#include <stddef.h>
#if defined(__x86_64__)
#define HX_SYS_WRITE 1
#define HX_SYS_EXIT 60
#define HX_SYS_PRCTL 157
#elif defined(__i386__)
#define HX_SYS_WRITE 4
#define HX_SYS_EXIT 1
#define HX_SYS_PRCTL 172
#elif defined(__aarch64__)
#define HX_SYS_WRITE 64
#define HX_SYS_EXIT 93
#define HX_SYS_PRCTL 167
#else
#error "helper harness: unsupported architecture"
#endif
#define HX_PR_SET_SECCOMP 22
#define HX_SECCOMP_MODE_STRICT 1

static long hx_sys3(long n, long a, long b, long c)
{
    long r;
#if defined(__x86_64__)
    __asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
                      : "rcx", "r11", "memory");
#elif defined(__i386__)
    __asm__ volatile ("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
#else
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    __asm__ volatile ("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    r = x0;
#endif
    return r;
}

__attribute__((noreturn)) static void hx_exit(int code)
{
    for (;;)
        hx_sys3(HX_SYS_EXIT, code, 0, 0);
}

void hx_write(const char *s, unsigned long n)
{
    while (n) {
        long r = hx_sys3(HX_SYS_WRITE, 1, (long)s, (long)n);
        if (r <= 0)
            hx_exit(111);
        s += r;
        n -= (unsigned long)r;
    }
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if (p < q)
        while (n--)
            *p++ = *q++;
    else
        while (n--)
            p[n] = q[n];
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

extern int harness_main(void);

#if defined(__x86_64__) || defined(__i386__)
__attribute__((force_align_arg_pointer))
#endif
__attribute__((noreturn, used)) void __reviewer_start(void)
{
    if (hx_sys3(HX_SYS_PRCTL, HX_PR_SET_SECCOMP, HX_SECCOMP_MODE_STRICT, 0) != 0)
        hx_exit(98);
    hx_exit(harness_main());
}
"""

# Exit codes of the runtime itself.
EXIT_NO_SECCOMP = 98
EXIT_WRITE_FAILED = 111

CFLAGS = [
    "-std=gnu11",
    "-O0",
    "-w",
    "-ffreestanding",
    "-fno-builtin",
    "-fno-stack-protector",
    "-fno-pic",
    "-fno-asynchronous-unwind-tables",
    "-fmax-errors=3",
]
LDFLAGS = ["-static", "-no-pie", "-nostdlib", "-nostartfiles", f"-Wl,-e,{ENTRY}"]
LIBS = ["-lgcc"]


def supported() -> bool:
    """Whether the runtime has syscall stubs for this machine."""
    return platform.machine() in ("x86_64", "AMD64", "i386", "i686", "aarch64", "arm64")
