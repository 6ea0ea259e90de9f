#ifndef PARCOURS_CZLIB_SHIM_H
#define PARCOURS_CZLIB_SHIM_H
#include <zlib.h>

/// deflateInit2 is a macro (it passes sizeof(z_stream) and the version): Swift cannot call it.
/// windowBits 15 + 16 selects the gzip framing.
static inline int parcours_deflateInit2_gzip(z_streamp strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

/// inflateInit2 likewise; 15 + 32 accepts gzip or zlib framing (used by tests and imports).
static inline int parcours_inflateInit2_auto(z_streamp strm) {
    return inflateInit2(strm, 15 + 32);
}
#endif
