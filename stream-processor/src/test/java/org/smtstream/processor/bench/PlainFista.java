package org.smtstream.processor.bench;

/**
 * The plain reference the benchmarks compare against: positive FISTA written as straightforward
 * Java loops over float arrays (no BLAS, no ND4J), with the same algorithm and iteration count as
 * {@link org.smtstream.processor.math.coding.SparseCoder}. Loops are ordered for unit-stride inner access,
 * as a careful first implementation would be, but not blocked or vectorized by hand.
 *
 * <p>Arrays are column-major: {@code phi[j * n + i]} is Phi(i, j), {@code x[b * n + i]} is X(i, b),
 * {@code codes[b * atoms + j]} is A(j, b).
 */
final class PlainFista {

    private PlainFista() {
    }

    /** Runs exactly {@code iterations} FISTA steps from A = 0 and returns A. */
    static float[] encode(float[] phi, int n, int atoms, float[] x, int batch, double lambda, double lipschitz,
                          int iterations) {
        float[] a = new float[atoms * batch];
        float[] aPrev = new float[atoms * batch];
        float[] z = new float[atoms * batch];
        float[] residual = new float[n * batch];
        float step = (float) (1.0 / lipschitz);
        float threshold = (float) (lambda / lipschitz);
        double t = 1;
        for (int it = 0; it < iterations; it++) {
            for (int b = 0; b < batch; b++) {
                // residual = Phi z - x, column b: accumulate atoms' columns scaled by z(j, b)
                int rb = b * n;
                System.arraycopy(x, rb, residual, rb, n);
                for (int i = 0; i < n; i++) {
                    residual[rb + i] = -residual[rb + i];
                }
                for (int j = 0; j < atoms; j++) {
                    float zj = z[b * atoms + j];
                    if (zj != 0f) {
                        int pj = j * n;
                        for (int i = 0; i < n; i++) {
                            residual[rb + i] += phi[pj + i] * zj;
                        }
                    }
                }
                // gradient = Phi^T residual; prox step; codes of column b
                for (int j = 0; j < atoms; j++) {
                    int pj = j * n;
                    float g = 0f;
                    for (int i = 0; i < n; i++) {
                        g += phi[pj + i] * residual[rb + i];
                    }
                    int k = b * atoms + j;
                    aPrev[k] = a[k];
                    a[k] = Math.max(z[k] - step * g - threshold, 0f);
                }
            }
            double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            float momentum = (float) ((t - 1) / tNext);
            for (int k = 0; k < z.length; k++) {
                z[k] = a[k] + momentum * (a[k] - aPrev[k]);
            }
            t = tNext;
        }
        return a;
    }
}
