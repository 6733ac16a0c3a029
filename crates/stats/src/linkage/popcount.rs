//! The comparison kernels: bits common to one 1,024-bit key and each key of a block, with the
//! fastest popcount this CPU has, chosen once at run time (AVX-512 VPOPCNTDQ, AVX2, portable).
//!
//! The only module of the workspace allowed `unsafe` (ADR 0036): calling a function compiled
//! for CPU features is `unsafe` in Rust, because running it on a CPU without them is undefined.
//! A [`Kernel`] can only be made by [`Kernel::detect`] or [`Kernel::available`], which test the
//! features first, so each `unsafe` call below is preceded by its proof. The portable kernel is
//! safe Rust; the AVX-512 and AVX2 kernels are written in intrinsics, which are safe in a
//! function compiled for their features, and read and write registers as arrays through
//! `bytemuck` (ADR 0058, 0060). A source scanned by blocks ([`Keys`]) is read by the AVX-512
//! kernel transposed, eight keys per register, so that no horizontal sum is needed (ADR 0064).

#![allow(unsafe_code, reason = "ADR 0036: calls of target_feature functions after detection")]

/// 64-bit words in a key of the default length (1,024 bits).
pub const WORDS: usize = 16;

/// One key of the default length, as the kernels read it.
pub type Row = [u64; WORDS];

/// Keys in groups of eight, word-major, as the AVX-512 kernel reads them (ADR 0064):
/// `groups[g][w]` holds word `w` of keys `8g` to `8g + 7`, one 512-bit register, so that the
/// eight lanes of a sum over the words are eight comparisons and no horizontal sum is needed.
/// The last group is padded with empty keys, never written out nor tested.
struct Transposed {
    groups: Vec<Group>,
}

/// Eight keys, word-major, aligned on the cache line so that no load of a word is split over
/// two lines.
#[repr(C, align(64))]
struct Group([[u64; 8]; WORDS]);

impl Transposed {
    fn new(rows: &[Row]) -> Self {
        Self {
            groups: rows
                .chunks(8)
                .map(|keys| {
                    Group(std::array::from_fn(|w| {
                        std::array::from_fn(|l| keys.get(l).map_or(0, |key| key[w]))
                    }))
                })
                .collect(),
        }
    }
}

/// The keys of a source as the kernels read them: rows, and the same keys transposed for the
/// AVX-512 kernel, made the first time that kernel scans them (once per source, not per query;
/// sources only compared pair by pair, as in blocking, never pay for it).
pub struct Keys {
    rows: Vec<Row>,
    transposed: std::sync::OnceLock<Transposed>,
}

impl Keys {
    pub fn new(rows: Vec<Row>) -> Self {
        Self {
            rows,
            transposed: std::sync::OnceLock::new(),
        }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    fn transposed(&self) -> &Transposed {
        self.transposed.get_or_init(|| Transposed::new(&self.rows))
    }
}

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
            if std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512bw")
                && std::arch::is_x86_feature_detected!("avx512vpopcntdq")
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
        self.common_reaching(a, block, common, 0, &[]);
    }

    /// [`Kernel::common`] on the keys `range` of `keys`: `common[k]` is key `range.start + k`'s.
    pub fn common_in(self, a: &Row, keys: &Keys, range: std::ops::Range<usize>, common: &mut [u32]) {
        self.common_reaching_in(a, keys, range, common, 0, &[]);
    }

    /// [`Kernel::common_reaching`] on the keys `range` of `keys`, in the layout this kernel
    /// reads fastest: `common[k]` and `need_b[k]` are key `range.start + k`'s.
    pub fn common_reaching_in(
        self,
        a: &Row,
        keys: &Keys,
        range: std::ops::Range<usize>,
        common: &mut [u32],
        need_a: u32,
        need_b: &[u32],
    ) -> bool {
        let end = range.end.min(keys.rows.len());
        let start = range.start.min(end);
        match self.0 {
            // SAFETY: as in `common_reaching`, a `Choice::Avx512` is only made after detecting
            // AVX-512F, AVX-512BW and VPOPCNTDQ on this CPU.
            #[cfg(target_arch = "x86_64")]
            Choice::Avx512 => unsafe { avx512_transposed(a, keys.transposed(), start..end, common, need_a, need_b) },
            _ => self.common_reaching(a, &keys.rows[start..end], common, need_a, need_b),
        }
    }

    /// [`Kernel::common`], then whether some `j` has `common[j] · 2¹⁷ ≥ need_a + need_b[j]`
    /// (a quick test of the threshold, in the same vector registers; `false` when `need_b` is
    /// empty).
    pub fn common_reaching(self, a: &Row, block: &[Row], common: &mut [u32], need_a: u32, need_b: &[u32]) -> bool {
        match self.0 {
            // SAFETY: a `Choice::Avx512` is only made by `available`, after detecting AVX-512F,
            // AVX-512BW and VPOPCNTDQ on this CPU.
            #[cfg(target_arch = "x86_64")]
            Choice::Avx512 => unsafe { avx512(a, block, common, need_a, need_b) },
            // SAFETY: a `Choice::Avx2` is only made by `available`, after detecting AVX2.
            #[cfg(target_arch = "x86_64")]
            Choice::Avx2 => unsafe { avx2(a, block, common, need_a, need_b) },
            Choice::Portable => portable(a, block, common, need_a, need_b),
        }
    }
}

/// What each kernel runs: the common bits, then the quick threshold test over the block (one
/// pass of shifts, adds and compares that vectorises; most blocks have no pair to keep).
#[inline(always)]
fn body(a: &Row, block: &[Row], common: &mut [u32], need_a: u32, need_b: &[u32]) -> bool {
    common_body(a, block, common);
    threshold_test(common, need_a, need_b)
}

/// Whether some `j` has `common[j] · 2¹⁷ ≥ need_a + need_b[j]`.
#[inline(always)]
fn threshold_test(common: &[u32], need_a: u32, need_b: &[u32]) -> bool {
    common
        .iter()
        .zip(need_b)
        .fold(0u32, |any, (&c, &need)| any | u32::from(c << 17 >= need_a + need))
        != 0
}

/// The one body of every kernel; inlined into each so that it is compiled for its features.
///
/// Eight keys of the block at a time: lane `l` holds the bits common in words `l` and `l + 8`
/// (eight 64-bit lanes: one 512-bit register), and four keys' lanes are packed into one
/// register in 16-bit fields (a lane counts at most 128 bits, a key at most 1,024 < 2¹⁶), so
/// that one horizontal sum, the costly step, serves four comparisons. Measured on FEBRL 4 keys
/// (AVX-512, Zen 4): one key at a time 0.75, four 0.71, eight 0.79 billion per second.
#[inline(always)]
fn common_body(a: &Row, block: &[Row], common: &mut [u32]) {
    const HALF: usize = WORDS / 2;
    let n = block.len().min(common.len());
    let (block, common) = (&block[..n], &mut common[..n]);
    let (eights, rest) = block.as_chunks::<8>();
    let (common_eights, common_rest) = common.split_at_mut(eights.len() * 8);
    let bits = |l: usize, b: &Row| u64::from((a[l] & b[l]).count_ones() + (a[l + HALF] & b[l + HALF]).count_ones());
    for (keys, out) in eights.iter().zip(common_eights.chunks_exact_mut(8)) {
        let (mut low, mut high) = ([0u64; HALF], [0u64; HALF]);
        for l in 0..HALF {
            low[l] = bits(l, &keys[0]) | bits(l, &keys[1]) << 16 | bits(l, &keys[2]) << 32 | bits(l, &keys[3]) << 48;
            high[l] = bits(l, &keys[4]) | bits(l, &keys[5]) << 16 | bits(l, &keys[6]) << 32 | bits(l, &keys[7]) << 48;
        }
        let (low, high): (u64, u64) = (low.iter().sum(), high.iter().sum());
        for k in 0..4 {
            out[k] = ((low >> (16 * k)) & 0xFFFF) as u32;
            out[k + 4] = ((high >> (16 * k)) & 0xFFFF) as u32;
        }
    }
    for (b, out) in rest.iter().zip(common_rest.iter_mut()) {
        *out = (0..HALF).map(|l| bits(l, b) as u32).sum();
    }
}

/// The AVX-512 kernel: the same sums as [`common_body`], with the reduction written out in
/// intrinsics (safe in a function compiled for their features; registers become arrays through
/// `bytemuck`, so no pointer is taken) because LLVM's own horizontal sums cost more than the
/// popcounts. Per sixteen keys: each key's eight lane counts (at most 128) are paired by a
/// permute and narrowed by saturating packs into two registers of bytes, where the two bytes
/// of a key in each 128-bit chunk sit side by side; `vpmaddubsw` adds each pair, and three
/// adds across the chunks leave the sixteen sums in 16-bit fields, widened and stored at once.
/// About six 512-bit operations per key against eight before (ADR 0058).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vpopcntdq")]
fn avx512(a: &Row, block: &[Row], common: &mut [u32], need_a: u32, need_b: &[u32]) -> bool {
    use std::arch::x86_64::{
        __m512i, _mm512_add_epi16, _mm512_add_epi64, _mm512_and_si512, _mm512_castsi512_si256, _mm512_cvtepu16_epi32,
        _mm512_maddubs_epi16, _mm512_packus_epi16, _mm512_packus_epi32, _mm512_permutex2var_epi32, _mm512_popcnt_epi64,
        _mm512_set_epi32, _mm512_set1_epi8, _mm512_shuffle_i64x2,
    };
    const HALF: usize = WORDS / 2;
    let halves = |row: &Row| -> [__m512i; 2] { bytemuck::cast::<Row, [__m512i; 2]>(*row) };
    let n = block.len().min(common.len());
    let (block, common) = (&block[..n], &mut common[..n]);
    let (sixteens, rest) = block.as_chunks::<16>();
    let (common_sixteens, common_rest) = common.split_at_mut(sixteens.len() * 16);
    let [a_low, a_high] = halves(a);
    // Dword `4c + k` of a pair takes, from the chunk `c` of two keys' lane counts (each in the
    // low dword of a 64-bit lane), the first key's lanes `2c`, `2c + 1`, then the second's.
    let pair = _mm512_set_epi32(30, 28, 14, 12, 26, 24, 10, 8, 22, 20, 6, 4, 18, 16, 2, 0);
    let ones = _mm512_set1_epi8(1);
    for (keys, out) in sixteens.iter().zip(common_sixteens.chunks_exact_mut(16)) {
        let lanes: [__m512i; 16] = std::array::from_fn(|j| {
            let [low, high] = halves(&keys[j]);
            _mm512_add_epi64(
                _mm512_popcnt_epi64(_mm512_and_si512(a_low, low)),
                _mm512_popcnt_epi64(_mm512_and_si512(a_high, high)),
            )
        });
        let pairs: [__m512i; 8] =
            std::array::from_fn(|p| _mm512_permutex2var_epi32(lanes[2 * p], pair, lanes[2 * p + 1]));
        let words: [__m512i; 4] = std::array::from_fn(|w| _mm512_packus_epi32(pairs[2 * w], pairs[2 * w + 1]));
        // Chunk `c` of `first` holds keys 0–7's sums over lanes `2c`, `2c + 1`; `second`, 8–15's.
        let [first, second] =
            [0, 1].map(|b| _mm512_maddubs_epi16(_mm512_packus_epi16(words[2 * b], words[2 * b + 1]), ones));
        // [first 0 + 2, first 1 + 3, second 0 + 2, second 1 + 3], then each pair of chunks.
        let across = _mm512_add_epi16(
            _mm512_shuffle_i64x2::<0b01_00_01_00>(first, second),
            _mm512_shuffle_i64x2::<0b11_10_11_10>(first, second),
        );
        let sums = _mm512_add_epi16(across, _mm512_shuffle_i64x2::<0b10_11_00_01>(across, across));
        let sixteen = _mm512_cvtepu16_epi32(_mm512_castsi512_si256(_mm512_shuffle_i64x2::<0b00_00_10_00>(
            sums, sums,
        )));
        out.copy_from_slice(&bytemuck::cast::<__m512i, [u32; 16]>(sixteen));
    }
    for (b, out) in rest.iter().zip(common_rest.iter_mut()) {
        *out = (0..HALF)
            .map(|l| (a[l] & b[l]).count_ones() + (a[l + HALF] & b[l + HALF]).count_ones())
            .sum();
    }
    threshold_test(common, need_a, need_b)
}

/// The AVX-512 kernel on transposed keys (ADR 0064): for each group of eight keys, the query's
/// word `w` (broadcast to every lane) ANDed with the group's word `w`, counted, and summed over
/// the sixteen words in a tree, so that the eight lanes end as the eight keys' counts. Per
/// comparison two `vpandq` (with the load), two `vpopcntq` and 15/8 `vpaddq`, and no shuffle on
/// port 5 but the narrowing of the sums. Groups cut by the range are computed whole and only
/// the lanes in it written.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vpopcntdq")]
fn avx512_transposed(
    a: &Row,
    keys: &Transposed,
    range: std::ops::Range<usize>,
    common: &mut [u32],
    need_a: u32,
    need_b: &[u32],
) -> bool {
    use std::arch::x86_64::{
        __m512i, _mm512_add_epi64, _mm512_and_si512, _mm512_cvtepi64_epi32, _mm512_popcnt_epi64, _mm512_set1_epi64,
    };
    let start = range.start;
    let end = range.end.min(start.saturating_add(common.len()));
    let query: [__m512i; WORDS] = std::array::from_fn(|w| _mm512_set1_epi64(a[w].cast_signed()));
    let counts = |group: &Group| -> [u32; 8] {
        let words: [__m512i; WORDS] = std::array::from_fn(|w| {
            _mm512_popcnt_epi64(_mm512_and_si512(
                query[w],
                bytemuck::cast::<[u64; 8], __m512i>(group.0[w]),
            ))
        });
        let eights: [__m512i; 8] = std::array::from_fn(|k| _mm512_add_epi64(words[2 * k], words[2 * k + 1]));
        let fours: [__m512i; 4] = std::array::from_fn(|k| _mm512_add_epi64(eights[2 * k], eights[2 * k + 1]));
        let sums = _mm512_add_epi64(
            _mm512_add_epi64(fours[0], fours[1]),
            _mm512_add_epi64(fours[2], fours[3]),
        );
        bytemuck::cast(_mm512_cvtepi64_epi32(sums))
    };
    // A group cut by the start, the whole groups, then a group cut by the end.
    let head_end = start.next_multiple_of(8).min(end);
    let whole_end = head_end + (end - head_end) / 8 * 8;
    let common = &mut common[..end - start];
    for part in [start..head_end, whole_end..end] {
        if let Some(first) = part.clone().next() {
            let eight = counts(&keys.groups[first / 8]);
            for k in part {
                common[k - start] = eight[k % 8];
            }
        }
    }
    let whole = &keys.groups[head_end / 8..whole_end / 8];
    for (group, out) in whole.iter().zip(common[head_end - start..].chunks_exact_mut(8)) {
        out.copy_from_slice(&counts(group));
    }
    threshold_test(common, need_a, need_b)
}

/// The AVX2 kernel, in intrinsics like the AVX-512 one (ADR 0060): AVX2 has no popcount, so
/// each 256-bit word of common bits is counted by nibbles with `vpshufb` table look-ups, and the
/// byte counts of a key's four words are added as bytes (at most 32 each) before one `vpsadbw`
/// sums them into four 64-bit lanes. Eight keys' lanes are then shifted into 16-bit fields and
/// reduced together, as in [`common_body`]. LLVM's code for [`common_body`] ran one `vpsadbw`
/// and its shifts per word instead of per key.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn avx2(a: &Row, block: &[Row], common: &mut [u32], need_a: u32, need_b: &[u32]) -> bool {
    use std::arch::x86_64::{
        __m256i, _mm256_add_epi8, _mm256_add_epi64, _mm256_and_si256, _mm256_castsi256_si128, _mm256_cvtepu16_epi32,
        _mm256_permute2x128_si256, _mm256_permute4x64_epi64, _mm256_sad_epu8, _mm256_set1_epi8, _mm256_setr_epi8,
        _mm256_setzero_si256, _mm256_shuffle_epi8, _mm256_shuffle_epi32, _mm256_slli_epi64, _mm256_srli_epi16,
    };
    const HALF: usize = WORDS / 2;
    let words = |row: &Row| -> [__m256i; 4] { bytemuck::cast::<Row, [__m256i; 4]>(*row) };
    let n = block.len().min(common.len());
    let (block, common) = (&block[..n], &mut common[..n]);
    let (eights, rest) = block.as_chunks::<8>();
    let (common_eights, common_rest) = common.split_at_mut(eights.len() * 8);
    let a_words = words(a);
    let nibble_ones = _mm256_setr_epi8(
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
    );
    let low_nibbles = _mm256_set1_epi8(0x0f);
    let zero = _mm256_setzero_si256();
    for (keys, out) in eights.iter().zip(common_eights.chunks_exact_mut(8)) {
        // Lane `l` of `lanes[j]`: the bits common to key `j` in bytes `8l`–`8l + 7` of its
        // four words (at most 256).
        let lanes: [__m256i; 8] = std::array::from_fn(|j| {
            let b_words = words(&keys[j]);
            let mut bytes = zero;
            for (x, y) in a_words.iter().zip(&b_words) {
                let both = _mm256_and_si256(*x, *y);
                let low = _mm256_shuffle_epi8(nibble_ones, _mm256_and_si256(both, low_nibbles));
                let high =
                    _mm256_shuffle_epi8(nibble_ones, _mm256_and_si256(_mm256_srli_epi16::<4>(both), low_nibbles));
                bytes = _mm256_add_epi8(bytes, _mm256_add_epi8(low, high));
            }
            _mm256_sad_epu8(bytes, zero)
        });
        // Keys 0–3, then 4–7, in the 16-bit fields of each lane (a key counts at most 1,024).
        let packed = [0, 4].map(|k| {
            let pair = |j: usize| _mm256_add_epi64(lanes[k + j], _mm256_slli_epi64::<16>(lanes[k + j + 1]));
            _mm256_add_epi64(pair(0), _mm256_slli_epi64::<32>(pair(2)))
        });
        // [first 0 + 2, first 1 + 3, second 0 + 2, second 1 + 3], then each lane pair summed:
        // lane 0 holds keys 0–3's sums, lane 2 keys 4–7's.
        let across = _mm256_add_epi64(
            _mm256_permute2x128_si256::<0x20>(packed[0], packed[1]),
            _mm256_permute2x128_si256::<0x31>(packed[0], packed[1]),
        );
        let sums = _mm256_add_epi64(across, _mm256_shuffle_epi32::<0b01_00_11_10>(across));
        let eight = _mm256_cvtepu16_epi32(_mm256_castsi256_si128(_mm256_permute4x64_epi64::<0b00_00_10_00>(sums)));
        out.copy_from_slice(&bytemuck::cast::<__m256i, [u32; 8]>(eight));
    }
    for (b, out) in rest.iter().zip(common_rest.iter_mut()) {
        *out = (0..HALF)
            .map(|l| (a[l] & b[l]).count_ones() + (a[l + HALF] & b[l + HALF]).count_ones())
            .sum();
    }
    threshold_test(common, need_a, need_b)
}

fn portable(a: &Row, block: &[Row], common: &mut [u32], need_a: u32, need_b: &[u32]) -> bool {
    body(a, block, common, need_a, need_b)
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
            // The same keys as a source, read through ranges that start and end inside a group
            // of eight (the transposed layout's padding and cut groups), with the threshold
            // test: at a random threshold, and at 0, which every pair reaches.
            let keys = Keys::new(block.clone());
            let ones: Vec<u32> = block.iter().map(|b| b.iter().map(|w| w.count_ones()).sum()).collect();
            let ones_a: u32 = a.iter().map(|w| w.count_ones()).sum();
            let start = rng.random_range(0..=block.len());
            let end = rng.random_range(start..=block.len());
            let t16 = [0, rng.random_range(0..65_536)][round % 2];
            let need_b: Vec<u32> = ones[start..end].iter().map(|&y| t16 * y).collect();
            let reaching = threshold_test(&expected[start..end], t16 * ones_a, &need_b);
            for kernel in &kernels {
                let mut found = vec![u32::MAX; block.len()];
                kernel.common(&a, &block, &mut found);
                assert_eq!(found, expected, "{} on round {round}", kernel.name());
                let mut found = vec![u32::MAX; end - start];
                let reached = kernel.common_reaching_in(&a, &keys, start..end, &mut found, t16 * ones_a, &need_b);
                assert_eq!(
                    found,
                    expected[start..end],
                    "{} on {start}..{end}, round {round}",
                    kernel.name()
                );
                assert_eq!(reached, reaching, "{} on {start}..{end}, round {round}", kernel.name());
                // A range past the keys is cut at their end, and a shorter `common` cuts it too.
                let mut found = vec![u32::MAX; block.len() + 9];
                kernel.common_in(&a, &keys, start..block.len() + 9, &mut found);
                assert_eq!(
                    found[..block.len() - start],
                    expected[start..],
                    "{} past the end",
                    kernel.name()
                );
                assert!(found[block.len() - start..].iter().all(|&c| c == u32::MAX));
                let mut short = vec![u32::MAX; (end - start) / 2];
                kernel.common_in(&a, &keys, start..end, &mut short);
                assert_eq!(short, expected[start..start + short.len()], "{} shorter", kernel.name());
            }
        }
    }
}
