// The weight products of one stories110M decode step in plain C: 12 layers of q, k, v, o (768 × 768), gate, up
// (2048 × 768), down (768 × 2048), then the 32000 × 768 head, each a separate float32 matrix and a separate OpenMP
// parallel loop (static split, R rows of W per AVX-512 step), optionally on huge pages. It is the ceiling a float32
// decode can reach on a machine without smarter scheduling; prints tokens/s of six timed passes of five tokens.
// Build: gcc -O3 -march=native -fopenmp -DR=4 decode_gemv.c -o decode_gemv
// Run:   OMP_NUM_THREADS=2 ./decode_gemv [huge]
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#ifndef R
#define R 4
#endif

enum { HugePage = 2 << 20 };

typedef struct {
    float *w;
    int n, k;
} Matrix;

static float *allocate(size_t count, int huge)
{
    const size_t bytes = (count * 4 + HugePage - 1) / HugePage * HugePage;
    float *p = aligned_alloc(HugePage, bytes);
    if (huge)
        madvise(p, bytes, MADV_HUGEPAGE);
    for (size_t i = 0; i < count; i++)
        p[i] = 1e-3f; // written, so every page is real memory (not the shared zero page)
    return p;
}

int main(int argc, char **argv)
{
    const int huge = argc > 1;
    Matrix m[12 * 7 + 1];
    int count = 0;
    for (int layer = 0; layer < 12; layer++) {
        for (int j = 0; j < 4; j++)
            m[count++] = (Matrix){allocate(768 * 768, huge), 768, 768};
        for (int j = 0; j < 2; j++)
            m[count++] = (Matrix){allocate(2048 * 768, huge), 2048, 768};
        m[count++] = (Matrix){allocate(768 * 2048, huge), 768, 2048};
    }
    m[count++] = (Matrix){allocate(32000 * 768, huge), 32000, 768};
    static float x[2048] __attribute__((aligned(64))), y[32000];
    for (int i = 0; i < 2048; i++)
        x[i] = 1e-3f;
    double bytes = 0;
    for (int i = 0; i < count; i++)
        bytes += 4.0 * m[i].n * m[i].k;
    for (int pass = 0; pass < 8; pass++) {
        double t = omp_get_wtime();
        for (int token = 0; token < 5; token++)
            for (int i = 0; i < count; i++) {
                const float *w = m[i].w;
                const int n = m[i].n, k = m[i].k;
#pragma omp parallel for schedule(static)
                for (int r = 0; r < n; r += R) {
                    __m512 s[R];
                    for (int q = 0; q < R; q++)
                        s[q] = _mm512_setzero_ps();
                    for (int p = 0; p < k; p += 16)
                        for (int q = 0; q < R; q++)
                            s[q] = _mm512_fmadd_ps(_mm512_load_ps(x + p), _mm512_loadu_ps(w + (size_t)(r + q) * k + p), s[q]);
                    for (int q = 0; q < R; q++)
                        y[r + q] = _mm512_reduce_add_ps(s[q]);
                }
                x[1] += y[n - 1] * 1e-30f; // each product feeds the next, so none can be skipped
            }
        t = (omp_get_wtime() - t) / 5;
        if (pass >= 2)
            printf("%.1f tok/s %.1f GB/s; ", 1 / t, bytes / t / 1e9);
    }
    printf("\n");
}
