/*
 * LD_PRELOAD shim for bench/run gpu: counts the CUDA runtime calls that make the host wait for the GPU or move
 * data across PCIe, for the whole process (libtorch included, whether driven from Python or from Java):
 * cudaMemcpy / cudaMemcpyAsync by direction, and stream / device / event synchronizations. Counters are read
 * with cc_read(long[7]) and zeroed with cc_reset() (ctypes on the Python side, JNA in GpuBench).
 *
 *   gcc -O2 -shared -fPIC -o libcudacount.so bench/native/cudacount.c -ldl
 *   LD_PRELOAD=$PWD/libcudacount.so CUDACOUNT_LIB=$PWD/libcudacount.so ...
 *
 * No CUDA headers needed: the intercepted signatures use plain C types (cudaError_t is an int, streams and
 * events are pointers, cudaMemcpyKind 1 = host->device, 2 = device->host, 3 = device->device, 4 = default).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

enum { DTOH, HTOD, DTOD, MEMCPY_OTHER, STREAM_SYNC, DEVICE_SYNC, EVENT_SYNC, N_COUNTERS };
static volatile long counters[N_COUNTERS];

static void count(int i) { __atomic_fetch_add(&counters[i], 1, __ATOMIC_RELAXED); }

static void count_kind(int kind) {
    count(kind == 2 ? DTOH : kind == 1 ? HTOD : kind == 3 ? DTOD : MEMCPY_OTHER);
}

void cc_reset(void) {
    for (int i = 0; i < N_COUNTERS; i++) __atomic_store_n(&counters[i], 0, __ATOMIC_RELAXED);
}

void cc_read(long *out) {
    for (int i = 0; i < N_COUNTERS; i++) out[i] = __atomic_load_n(&counters[i], __ATOMIC_RELAXED);
}

typedef int (*memcpy_fn)(void *, const void *, size_t, int);
typedef int (*memcpy_async_fn)(void *, const void *, size_t, int, void *);
typedef int (*sync_fn)(void *);
typedef int (*device_sync_fn)(void);

#define NEXT(name, type) \
    static type next = NULL; \
    if (!next) next = (type)dlsym(RTLD_NEXT, name);

int cudaMemcpy(void *dst, const void *src, size_t n, int kind) {
    NEXT("cudaMemcpy", memcpy_fn);
    count_kind(kind);
    return next(dst, src, n, kind);
}

int cudaMemcpyAsync(void *dst, const void *src, size_t n, int kind, void *stream) {
    NEXT("cudaMemcpyAsync", memcpy_async_fn);
    count_kind(kind);
    return next(dst, src, n, kind, stream);
}

int cudaStreamSynchronize(void *stream) {
    NEXT("cudaStreamSynchronize", sync_fn);
    count(STREAM_SYNC);
    return next(stream);
}

int cudaDeviceSynchronize(void) {
    NEXT("cudaDeviceSynchronize", device_sync_fn);
    count(DEVICE_SYNC);
    return next();
}

int cudaEventSynchronize(void *event) {
    NEXT("cudaEventSynchronize", sync_fn);
    count(EVENT_SYNC);
    return next(event);
}
