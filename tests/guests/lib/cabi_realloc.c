// The allocator the host calls to hand lists and strings (datagrams, read buffers, poll results)
// to the guest. The wrappers free those buffers with free().
#include <stddef.h>
#include <stdlib.h>

__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* ptr, size_t old_size,
                                                                size_t align, size_t new_size) {
  (void)old_size;
  (void)align;  // malloc's alignment (16) covers every canonical-ABI type
  // Never zero bytes: empty lists still get a pointer the wrappers can free().
  void* p = realloc(ptr, new_size ? new_size : 1);
  if (!p) abort();
  return p;
}
