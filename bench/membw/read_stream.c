// Read bandwidth probe: AVX-512 dot products of a 768-float vector with the rows of one 440 MB float32 buffer
// (the size of stories110M's weights), R rows at a time (R streams per thread), optionally on huge pages.
// Build: gcc -O3 -march=native -fopenmp -DR=1 read_stream.c -o read_stream
// Run:   OMP_NUM_THREADS=2 ./read_stream [huge]      (prints GB/s of three timed passes after two warm-up passes)
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#ifndef R
#define R 1
#endif

enum { Columns = 768, HugePage = 2 << 20 };

int main(int argc, char **argv)
{
    const size_t n = 110000000, bytes = (n * 4 + HugePage - 1) / HugePage * HugePage;
    float *a = aligned_alloc(HugePage, bytes);
    if (argc > 1)
        madvise(a, bytes, MADV_HUGEPAGE);
    for (size_t i = 0; i < n; i++)
        a[i] = 1.0f; // written, so every page is real memory (not the shared zero page)
    float x[Columns];
    for (int i = 0; i < Columns; i++)
        x[i] = 0.5f;
    for (int pass = 0; pass < 5; pass++) {
        double t = omp_get_wtime();
        float total = 0;
#pragma omp parallel reduction(+ : total)
        {
            __m512 s[R];
            for (int k = 0; k < R; k++)
                s[k] = _mm512_setzero_ps();
#pragma omp for schedule(static)
            for (size_t r = 0; r < n / Columns - R; r += R) {
                const float *b = a + r * Columns;
                for (int p = 0; p < Columns; p += 16)
                    for (int k = 0; k < R; k++)
                        s[k] = _mm512_fmadd_ps(_mm512_loadu_ps(x + p), _mm512_load_ps(b + k * Columns + p), s[k]);
            }
            for (int k = 0; k < R; k++)
                total += _mm512_reduce_add_ps(s[k]);
        }
        t = omp_get_wtime() - t;
        if (pass >= 2)
            printf("%.1f ", n * 4 / t / 1e9);
        if (total == -1)
            puts(""); // keeps the sums alive
    }
    printf("GB/s\n");
}
