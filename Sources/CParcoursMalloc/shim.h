#ifndef PARCOURS_CMALLOC_SHIM_H
#define PARCOURS_CMALLOC_SHIM_H
#include <malloc.h>

/// M_MMAP_THRESHOLD is a macro of glibc's malloc.h, which the Glibc module does not import.
/// Fixing the threshold also stops glibc from raising it (and the trim threshold) on its own.
static inline int parcours_fix_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}
/// Gives the free pages inside the heap back to the system (malloc_trim), after work whose
/// memory the server will not need again.
static inline void parcours_trim_heap(void) {
    malloc_trim(0);
}
#endif
