//! The comparison kernels: bits common to one 1,024-bit key and each key of a block, with the
//! fastest popcount this CPU has, chosen once at run time (AVX-512 VPOPCNTDQ, AVX2, portable).
//!
//! The only module of the workspace allowed `unsafe` (ADR 0036): calling a function compiled
//! for CPU features is `unsafe` in Rust, because running it on a CPU without them is undefined.
//! A [`Kernel`] can only be made by [`Kernel::detect`] or [`Kernel::available`], which test the
//! features first, so each `unsafe` call below is preceded by its proof. The kernels' bodies are
//! the same safe Rust, compiled three times: LLVM turns `count_ones` into `vpopcntq` on 512-bit
//! registers, into a `vpshufb` nibble table on 256-bit registers, or into 64-bit arithmetic.

#![allow(unsafe_code, reason = "ADR 0036: calls of target_feature functions after detection")]

/// 64-bit words in a key of the default length (1,024 bits).
pub const WORDS: usize = 16;

/// One key of the default length, as the kernels read it.
pub type Row = [u64; WORDS];

/// A popcount kernel this CPU can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kernel(Choice);

/// Private so that no kernel can be named without the CPU having been asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    #[cfg(target_arch = "x86_64")]
    Avx512,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    Portable,
}

impl Kernel {
    /// The portable kernel, which every CPU runs.
    pub const PORTABLE: Self = Self(Choice::Portable);

    /// Every kernel this CPU runs, fastest first; the last is the portable one.
    pub fn available() -> Vec<Self> {
        let mut kernels = Vec::new();
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512vpopcntdq")
            {
                kernels.push(Self(Choice::Avx512));
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                kernels.push(Self(Choice::Avx2));
            }
        }
        kernels.push(Self::PORTABLE);
        kernels
    }

    /// The fastest kernel this CPU runs (asked once per process).
    pub fn detect() -> Self {
        static BEST: std::sync::OnceLock<Kernel> = std::sync::OnceLock::new();
        *BEST.get_or_init(|| Self::available().first().copied().unwrap_or(Self::PORTABLE))
    }

    pub fn name(self) -> &'static str {
        match self.0 {
            #[cfg(target_arch = "x86_64")]
            Choice::Avx512 => "avx512-vpopcntdq",
            #[cfg(target_arch = "x86_64")]
            Choice::Avx2 => "avx2",
            Choice::Portable => "portable",
        }
    }

    /// Writes into `common[j]` the bits set in both `a` and `block[j]`, for each `j` of the
    /// shorter of `block` and `common`.
    pub fn common(self, a: &Row, block: &[Row], common: &mut [u32]) {
        match self.0 {
            // SAFETY: a `Choice::Avx512` is only made by `available`, after detecting AVX-512F
            // and VPOPCNTDQ on this CPU.
            #[cfg(target_arch = "x86_64")]
            Choice::Avx512 => unsafe { common_avx512(a, block, common) },
            // SAFETY: a `Choice::Avx2` is only made by `available`, after detecting AVX2.
            #[cfg(target_arch = "x86_64")]
            Choice::Avx2 => unsafe { common_avx2(a, block, common) },
            Choice::Portable => common_portable(a, block, common),
        }
    }
}

/// The one body of every kernel; inlined into each so that it is compiled for its features.
#[inline(always)]
fn common_body(a: &Row, block: &[Row], common: &mut [u32]) {
    for (b, out) in block.iter().zip(common.iter_mut()) {
        let mut sum = 0u32;
        for i in 0..WORDS {
            sum += (a[i] & b[i]).count_ones();
        }
        *out = sum;
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vpopcntdq")]
fn common_avx512(a: &Row, block: &[Row], common: &mut [u32]) {
    common_body(a, block, common);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn common_avx2(a: &Row, block: &[Row], common: &mut [u32]) {
    common_body(a, block, common);
}

fn common_portable(a: &Row, block: &[Row], common: &mut [u32]) {
    common_body(a, block, common);
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn every_kernel_agrees_with_the_portable_one_on_random_keys() {
        let mut rng = ChaCha8Rng::seed_from_u64(15);
        let kernels = Kernel::available();
        assert_eq!(kernels.last(), Some(&Kernel::PORTABLE));
        assert_eq!(Kernel::detect(), kernels[0]);
        eprintln!("kernels: {:?}", kernels.iter().map(|k| k.name()).collect::<Vec<_>>());
        for round in 0..200 {
            // Sparse, dense and uniform keys, in blocks of every length up to 40.
            let density = [0.05, 0.3, 0.5, 0.95][round % 4];
            let key = |rng: &mut ChaCha8Rng| -> Row {
                std::array::from_fn(|_| (0..64).fold(0u64, |w, bit| w | (u64::from(rng.random_bool(density)) << bit)))
            };
            let a = key(&mut rng);
            let block: Vec<Row> = (0..round % 41).map(|_| key(&mut rng)).collect();
            let mut expected = vec![0u32; block.len()];
            for (b, e) in block.iter().zip(&mut expected) {
                *e = a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum();
            }
            for kernel in &kernels {
                let mut found = vec![u32::MAX; block.len()];
                kernel.common(&a, &block, &mut found);
                assert_eq!(found, expected, "{} on round {round}", kernel.name());
            }
        }
    }
}
