// Test reporting for guests. Each case prints exactly one line, "ok NAME" or "FAIL NAME: why",
// and check_finish() turns the tally into the exit status. The harness parses these lines.
//
//   static void bind_loopback(ip_family f) { ...; EXPECT_OK(tcp_bind(...)); ... }
//   int main(void) { check_init(); RUN_BOTH_FAMILIES("tcp_bind.loopback", bind_loopback); return
//   check_finish(); }
//
// EXPECT_* return from the (void) case function at the first failed expectation.
#ifndef WASI_GUEST_CHECK_H
#define WASI_GUEST_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "io.h"
#include "network.h"

void check_init(void);
int check_finish(void);
// Marks the running case failed with a printf-style reason (first failure wins).
void check_fail(const char* file, int line, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool check_failed(void);
// Marks the running case skipped: the host gave no way to observe the behaviour (reason printed).
void check_skip(const char* reason);
void check_run(const char* name, const char* variant, void (*fn)(ip_family), ip_family f);
// Announces that the running case's next call must trap: the harness expects the run to stop
// right after this line. Code after that call reports the missing trap with FAIL_NOW.
void check_expect_trap(void);

#define RUN_FAMILY(name, fn, fam) check_run(name, ip_family_name(fam), fn, fam)
#define RUN_BOTH_FAMILIES(name, fn)    \
  do {                                 \
    RUN_FAMILY(name, fn, FAMILY_IPV4); \
    RUN_FAMILY(name, fn, FAMILY_IPV6); \
  } while (0)

#define FAIL_NOW(...)                            \
  do {                                           \
    check_fail(__FILE__, __LINE__, __VA_ARGS__); \
    return;                                      \
  } while (0)

#define SKIP_NOW(reason) \
  do {                   \
    check_skip(reason);  \
    return;              \
  } while (0)

#define EXPECT_TRUE(cond, ...)          \
  do {                                  \
    if (!(cond)) FAIL_NOW(__VA_ARGS__); \
  } while (0)

#define EXPECT_NET(expr, expected)                                          \
  do {                                                                      \
    net_status got_ = (expr);                                               \
    if (got_ != (expected))                                                 \
      FAIL_NOW("%s: expected %s, got %s", #expr, net_status_name(expected), \
               net_status_name(got_));                                      \
  } while (0)
#define EXPECT_OK(expr) EXPECT_NET(expr, NET_OK)

// Accepts any of two outcomes (e.g. "ok or not-supported" where the floor allows both).
#define EXPECT_NET_EITHER(expr, a, b)                                                          \
  do {                                                                                         \
    net_status got_ = (expr);                                                                  \
    if (got_ != (a) && got_ != (b))                                                            \
      FAIL_NOW("%s: expected %s or %s, got %s", #expr, net_status_name(a), net_status_name(b), \
               net_status_name(got_));                                                         \
  } while (0)

#define EXPECT_STREAM(expr, expected)                                          \
  do {                                                                         \
    stream_status got_ = (expr);                                               \
    if (got_ != (expected))                                                    \
      FAIL_NOW("%s: expected %s, got %s", #expr, stream_status_name(expected), \
               stream_status_name(got_));                                      \
  } while (0)

#endif
