#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "isa_list.hpp"
#include "kernels/kernels.hpp"
#include "mimkit/rng.hpp"

using mimkit::Isa;
namespace kernels = mimkit::kernels;

namespace {

template <class T>
std::vector<T> gaussian(std::size_t n, std::uint64_t row) {
  std::vector<T> v(n);
  kernels::table<T>(Isa::scalar)->normals(v.data(), 0, n, 77, row, 9);
  return v;
}

template <class T>
T* aligned64(T* p) {
  const auto addr = reinterpret_cast<std::uintptr_t>(p);
  return reinterpret_cast<T*>((addr + 63) / 64 * 64);
}

}  // namespace

TEST_CASE_TEMPLATE("gemm_nn and gemm_tn match a naive double product on every ISA", T, float,
                   double) {
  const std::size_t Ms[] = {1, 3, 4, 7, 33};
  const std::size_t Ns[] = {16, 32, 48, 80};
  const std::size_t Ks[] = {1, 5, 64, 130, 1100};  // 1100 crosses every ISA's k-blocks
  for (Isa isa : mimkit_test::runnable_isas()) {
    const std::string isa_str = mimkit::isa_name(isa);
    CAPTURE(isa_str);
    const auto* tab = kernels::table<T>(isa);
    for (std::size_t M : Ms) {
      for (std::size_t N : Ns) {
        for (std::size_t K : Ks) {
          const std::size_t lda = K + 3, ldb = N + 16, ldc = N + 16, ldat = M + 5;
          const auto A = gaussian<T>(M * lda, 1), B = gaussian<T>(K * ldb, 2);
          const auto At = gaussian<T>(K * ldat, 3), C0 = gaussian<T>(M * ldc, 4);
          std::vector<T> C(C0), Ct(C0);
          tab->gemm_nn(M, N, K, A.data(), lda, B.data(), ldb, C.data(), ldc, true);
          tab->gemm_tn(M, N, K, At.data(), ldat, B.data(), ldb, Ct.data(), ldc, false);
          for (std::size_t i = 0; i < M; ++i) {
            for (std::size_t j = 0; j < N; ++j) {
              double want = C0[i * ldc + j], want_t = 0, scale = std::fabs(want);
              for (std::size_t k = 0; k < K; ++k) {
                want += double(A[i * lda + k]) * B[k * ldb + j];
                want_t += double(At[k * ldat + i]) * B[k * ldb + j];
                scale += std::fabs(double(A[i * lda + k]) * B[k * ldb + j]);
              }
              // Sequential fma summation: error <= K eps(T) sum |terms|.
              const double tol = (K + 1) * std::numeric_limits<T>::epsilon() * (scale + 1);
              REQUIRE(std::fabs(C[i * ldc + j] - want) <= tol);
              REQUIRE(std::fabs(Ct[i * ldc + j] - want_t) <= tol);
            }
            // Padding columns beyond N are never written.
            for (std::size_t j = N; j < ldc; ++j) REQUIRE(C[i * ldc + j] == C0[i * ldc + j]);
          }
        }
      }
    }
  }
}

TEST_CASE_TEMPLATE("matrix products are bit-identical on every ISA", T, float, double) {
  const std::size_t M = 37, N = 64, K = 301;
  const auto A = gaussian<T>(M * K, 5), B = gaussian<T>(K * N, 6), At = gaussian<T>(K * M, 7);
  std::vector<T> ref(M * N), ref_t(M * N);
  kernels::table<T>(Isa::scalar)->gemm_nn(M, N, K, A.data(), K, B.data(), N, ref.data(), N, false);
  kernels::table<T>(Isa::scalar)
      ->gemm_tn(M, N, K, At.data(), M, B.data(), N, ref_t.data(), N, false);
  for (Isa isa : mimkit_test::runnable_isas()) {
    const std::string isa_str = mimkit::isa_name(isa);
    CAPTURE(isa_str);
    std::vector<T> C(M * N), Ct(M * N);
    kernels::table<T>(isa)->gemm_nn(M, N, K, A.data(), K, B.data(), N, C.data(), N, false);
    kernels::table<T>(isa)->gemm_tn(M, N, K, At.data(), M, B.data(), N, Ct.data(), N, false);
    CHECK(std::memcmp(C.data(), ref.data(), C.size() * sizeof(T)) == 0);
    CHECK(std::memcmp(Ct.data(), ref_t.data(), Ct.size() * sizeof(T)) == 0);
  }
}

TEST_CASE_TEMPLATE("gemm_nn on a packed B gives gemm_nn's bits, from B or from its transpose", T,
                   float, double) {
  // N = 208 and 224 reach every panel width of every ISA's blocking (widest, 2 and 1 vectors);
  // K = 1100 crosses the k-blocks of every panel (at most 512 rows); M = 29 leaves a row tail.
  const std::size_t M = 29, K = 1100, lda = K + 1, ldbt = K + 7;
  const auto A = gaussian<T>(M * lda, 11);
  for (std::size_t N : {std::size_t{208}, std::size_t{224}}) {
    const std::size_t n_valid = N - 11, ldb = N + 3;
    CAPTURE(N);
    const auto Bt = gaussian<T>(n_valid * ldbt, 12);
    // B with columns >= n_valid zero, and its transpose Bt (n_valid rows).
    std::vector<T> B(K * ldb, T(0));
    for (std::size_t k = 0; k < K; ++k) {
      for (std::size_t j = 0; j < n_valid; ++j) B[k * ldb + j] = Bt[j * ldbt + k];
    }
    for (Isa isa : mimkit_test::runnable_isas()) {
      const std::string isa_str = mimkit::isa_name(isa);
      CAPTURE(isa_str);
      const auto* tab = kernels::table<T>(isa);
      std::vector<T> ref(M * N), C(M * N);
      // Packed buffers 64-byte aligned (the arena's alignment), followed by sentinels that
      // pack_b must leave alone.
      const T sentinel = T(-12345);
      std::vector<T> store(3 * (K * N + 128), sentinel);
      T* Bp = aligned64(store.data());
      T* Bpt = aligned64(Bp + K * N + 64);
      T* Bpv = aligned64(Bpt + K * N + 64);
      tab->gemm_nn(M, N, K, A.data(), lda, B.data(), ldb, ref.data(), N, false);
      tab->pack_b(K, N, B.data(), ldb, false, N, Bp);
      tab->pack_b(K, N, Bt.data(), ldbt, true, n_valid, Bpt);
      // Untransposed with n_valid < N: the columns beyond are zeros whatever B holds there.
      std::vector<T> Bdirty(B);
      for (std::size_t k = 0; k < K; ++k) {
        for (std::size_t j = n_valid; j < N; ++j) Bdirty[k * ldb + j] = T(7);
      }
      tab->pack_b(K, N, Bdirty.data(), ldb, false, n_valid, Bpv);
      for (const T* p : {Bp, Bpt, Bpv}) CHECK(p[K * N] == sentinel);
      CHECK(std::memcmp(Bp, Bpt, K * N * sizeof(T)) == 0);
      CHECK(std::memcmp(Bp, Bpv, K * N * sizeof(T)) == 0);
      tab->gemm_nn_packed(M, N, K, A.data(), lda, Bp, C.data(), N, false);
      CHECK(std::memcmp(C.data(), ref.data(), C.size() * sizeof(T)) == 0);
      // Accumulating onto C: C + A B computed both ways.
      std::vector<T> acc_ref(ref), acc(ref);
      tab->gemm_nn(M, N, K, A.data(), lda, B.data(), ldb, acc_ref.data(), N, true);
      tab->gemm_nn_packed(M, N, K, A.data(), lda, Bpt, acc.data(), N, true);
      CHECK(std::memcmp(acc.data(), acc_ref.data(), acc.size() * sizeof(T)) == 0);
    }
  }
}

TEST_CASE_TEMPLATE("an empty sum (K = 0) gives C = 0, or leaves C when accumulating", T, float,
                   double) {
  const std::size_t M = 5, N = 32;
  const auto C0 = gaussian<T>(M * N, 13);
  const T none[1] = {T(1)};
  for (Isa isa : mimkit_test::runnable_isas()) {
    const std::string isa_str = mimkit::isa_name(isa);
    CAPTURE(isa_str);
    const auto* tab = kernels::table<T>(isa);
    std::vector<T> C(C0), Ct(C0), Cp(C0), Ca(C0);
    tab->gemm_nn(M, N, 0, none, 1, none, N, C.data(), N, false);
    tab->gemm_tn(M, N, 0, none, M, none, N, Ct.data(), N, false);
    tab->gemm_nn_packed(M, N, 0, none, 1, none, Cp.data(), N, false);
    tab->gemm_nn(M, N, 0, none, 1, none, N, Ca.data(), N, true);
    for (std::size_t i = 0; i < M * N; ++i) {
      REQUIRE(C[i] == T(0));
      REQUIRE(Ct[i] == T(0));
      REQUIRE(Cp[i] == T(0));
      REQUIRE(Ca[i] == C0[i]);
    }
  }
}

TEST_CASE_TEMPLATE("activations match libm closed forms and agree bit for bit across ISAs", T,
                   float, double) {
  // z on a grid from -30 to 30 with dense coverage near 0, where logcosh ~ z^2 / 2 and
  // tanh ~ z must keep full relative accuracy (tiny eps0 puts phase 1 there).
  std::vector<T> z;
  for (int e = -30; e <= 1; ++e) {
    for (int k = 1; k <= 9; k += 2) {
      z.push_back(static_cast<T>(k * std::ldexp(1.0, e)));
      z.push_back(static_cast<T>(-k * std::ldexp(1.0, e)));
    }
  }
  for (double x = -30; x <= 30; x += 0.37) z.push_back(static_cast<T>(x));
  z.push_back(0);
  while (z.size() % 16 != 0) z.push_back(T(0.5));
  const std::size_t n = z.size();
  const std::vector<T> bias(n, T(0));
  const double eps = std::numeric_limits<T>::epsilon();
  for (int kind = 0; kind < 3; ++kind) {
    CAPTURE(kind);
    std::vector<T> s_ref(n), d_ref(n);
    kernels::table<T>(Isa::scalar)
        ->activation(kind, 1, n, z.data(), n, bias.data(), s_ref.data(), d_ref.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = z[i];
      double value = 0, slope = 0;
      if (kind == 0) {
        // log cosh x = log1p(2 sinh^2(x / 2)): no cancellation near 0.
        const double sh = std::sinh(x / 2);
        value = std::fabs(x) > 15
                    ? std::fabs(x) - std::log(2.0) + std::log1p(std::exp(-2 * std::fabs(x)))
                    : std::log1p(2 * sh * sh);
        slope = std::tanh(x);
      } else if (kind == 1) {
        value = 0.5 * x * x;
        slope = x;
      } else {
        value = x > 0 ? x : 0;
        slope = x > 0 ? 1 : 0;
      }
      CAPTURE(x);
      // A few ulps of the result (the formulas chain ~4 rounded operations).
      CHECK(std::fabs(s_ref[i] - value) <= 8 * eps * std::fabs(value) + 1e-300);
      CHECK(std::fabs(d_ref[i] - slope) <= 8 * eps * std::fabs(slope) + 1e-300);
    }
    for (Isa isa : mimkit_test::runnable_isas()) {
      const std::string isa_str = mimkit::isa_name(isa);
      CAPTURE(isa_str);
      std::vector<T> s(n), d(n);
      kernels::table<T>(isa)->activation(kind, 1, n, z.data(), n, bias.data(), s.data(), d.data(),
                                         n);
      CHECK(std::memcmp(s.data(), s_ref.data(), n * sizeof(T)) == 0);
      CHECK(std::memcmp(d.data(), d_ref.data(), n * sizeof(T)) == 0);
    }
  }
}
