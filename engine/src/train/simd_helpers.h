#pragma once

// Private to the engine's CPU kernels: AVX2 helpers, included only inside a `#pragma GCC target("avx2,fma")` region.
#include <immintrin.h>

namespace plexus::dense {

/// The sum of a vector's 8 lanes.
inline float horizontalSum(__m256 v)
{
    __m128 low = _mm256_castps256_ps128(v), high = _mm256_extractf128_ps(v, 1);
    __m128 s = _mm_add_ps(low, high);
    s = _mm_hadd_ps(s, s);
    s = _mm_hadd_ps(s, s);
    return _mm_cvtss_f32(s);
}

} // namespace plexus::dense
