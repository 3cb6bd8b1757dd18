// Case bookkeeping for check.h. Output is unbuffered so a trap never swallows a report line.
#include "wasi_guest/check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char* current_name;
static const char* current_variant;
static bool current_failed;
static bool current_skipped;
static int passed;
static int failed;
static int skipped;

void check_init(void) {
  // Debian's wasi-libc with the 0.2.12 adapter loses the first buffered stdout line otherwise.
  setvbuf(stdout, NULL, _IONBF, 0);
}

bool check_failed(void) { return current_failed; }

void check_fail(const char* file, int line, const char* fmt, ...) {
  if (current_failed) return;
  current_failed = true;
  const char* base = file;
  for (const char* p = file; *p; p++)
    if (*p == '/') base = p + 1;
  printf("FAIL %s/%s: %s:%d: ", current_name, current_variant, base, line);
  va_list args;
  va_start(args, fmt);
  vprintf(fmt, args);
  va_end(args);
  printf("\n");
}

void check_skip(const char* reason) {
  if (current_failed || current_skipped) return;
  current_skipped = true;
  printf("skip %s/%s: %s\n", current_name, current_variant, reason);
}

// Whether "NAME/VARIANT" is listed in WASI_GUEST_NOT_RUN (comma-separated): cases the harness
// knows would end the whole process on this host (see shim-deviations.txt).
static bool listed_not_to_run(const char* name, const char* variant) {
  const char* list = getenv("WASI_GUEST_NOT_RUN");
  if (!list) return false;
  size_t name_len = strlen(name), variant_len = strlen(variant);
  for (const char* entry = list; *entry;) {
    const char* end = strchr(entry, ',');
    size_t len = end ? (size_t)(end - entry) : strlen(entry);
    if (len == name_len + 1 + variant_len && strncmp(entry, name, name_len) == 0 &&
        entry[name_len] == '/' && strncmp(entry + name_len + 1, variant, variant_len) == 0)
      return true;
    entry += len + (end ? 1 : 0);
  }
  return false;
}

void check_run(const char* name, const char* variant, void (*fn)(ip_family), ip_family f) {
  current_name = name;
  current_variant = variant;
  current_failed = false;
  current_skipped = false;
  if (listed_not_to_run(name, variant))
    check_skip("not run: the harness lists it as ending the process on this host");
  else
    fn(f);
  if (current_failed) {
    failed++;
  } else if (current_skipped) {
    skipped++;
  } else {
    passed++;
    printf("ok %s/%s\n", name, variant);
  }
}

void check_expect_trap(void) { printf("expect-trap %s/%s\n", current_name, current_variant); }

int check_finish(void) {
  printf("# %d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed == 0 ? 0 : 1;
}
