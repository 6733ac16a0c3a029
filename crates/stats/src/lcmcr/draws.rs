//! The random draws of the sampler: Gamma, Beta, Poisson and binomial variates, and the
//! multinomial spread of a history's people over the classes, the sweep's hot loop. All are
//! exact; they are written here rather than taken from `rand_distr` because their parameters
//! change at every draw, so that its set-up (logarithms, square roots) cost more than the draws,
//! and because most draws here fall where a squeeze or an inversion needs no set-up at all.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp1, Poisson, StandardNormal};

use super::prior::Stick;
use rand_pcg::Pcg64;

use crate::error::MseError;

/// The generator of a chain: PCG, a few times cheaper per draw than ChaCha, which showed in
/// the profile of the sweep.
pub(crate) type ChainRng = Pcg64;

/// The generator of chain number `chain` under `seed`: its PCG state and stream come from
/// ChaCha8's stream `chain`, so that chains are independent and each is the same whichever
/// thread runs it.
pub(crate) fn chain_rng(seed: u64, chain: u64) -> ChainRng {
    let mut seeder = ChaCha8Rng::seed_from_u64(seed);
    seeder.set_stream(chain);
    Pcg64::new(seeder.random::<u128>(), seeder.random::<u128>())
}

/// Whether `x` is positive and finite, by two comparisons: LLVM merges `x > 0.0 &&
/// x.is_finite()` into a classification of the bits, some thirty integer instructions, which
/// the profile showed in every Beta and Gamma draw.
#[inline]
fn positive_finite(x: f64) -> bool {
    x > 0.0 && x <= f64::MAX
}

/// When at most this many people are left to spread, each is drawn on their own (one uniform
/// against the cumulative weights), which is cheaper than a binomial per class.
const PERSON_BY_PERSON: u64 = 8;

/// `Gamma(shape, 1)` by Marsaglia and Tsang (2000): for a shape of at least 1, a cubed
/// normal accepted by a squeeze that spares the logarithm nearly every time; below 1,
/// `Gamma(shape + 1) U^{1/shape}`. Exact, and without the set-up of `rand_distr`'s `Gamma`,
/// whose shape changes at every draw here.
#[inline]
pub(crate) fn gamma(rng: &mut ChainRng, shape: f64) -> Result<f64, MseError> {
    if !positive_finite(shape) {
        return Err(MseError::SamplerFailed);
    }
    if shape < 1.0 {
        let boost = (-exponential(rng) / shape).exp();
        return Ok(large_shape_gamma(rng, shape + 1.0) * boost);
    }
    Ok(large_shape_gamma(rng, shape))
}

/// Marsaglia–Tsang for `shape ≥ 1`.
fn large_shape_gamma(rng: &mut ChainRng, shape: f64) -> f64 {
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x: f64 = StandardNormal.sample(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = open_uniform(rng);
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// A uniform on (0, 1], whose logarithm is finite.
fn open_uniform(rng: &mut ChainRng) -> f64 {
    1.0 - rng.random::<f64>()
}

/// `Exponential(1)`, that is `−ln U`, by the ziggurat: no logarithm in most draws.
fn exponential(rng: &mut ChainRng) -> f64 {
    Exp1.sample(rng)
}

fn check_beta(a: f64, b: f64) -> Result<(), MseError> {
    if positive_finite(a) && positive_finite(b) {
        Ok(())
    } else {
        Err(MseError::SamplerFailed)
    }
}

/// `Beta(a, b)`. When either parameter is 1 the draw is an inversion (`1 − V = U^{1/b}` for
/// `a = 1`), one exponential; otherwise the ratio of two Gammas. Always inlined, like
/// [`stick`] and [`multinomial`]: out of line, each call saved six registers and returned its
/// `Result` through memory (ADR 0066).
#[inline(always)]
pub(crate) fn beta(rng: &mut ChainRng, a: f64, b: f64) -> Result<f64, MseError> {
    check_beta(a, b)?;
    if a == 1.0 {
        return Ok(-(-exponential(rng) / b).exp_m1());
    }
    if b == 1.0 {
        return Ok((-exponential(rng) / a).exp());
    }
    let x = gamma(rng, a)?;
    let y = gamma(rng, b)?;
    let total = x + y;
    Ok(if total > 0.0 { x / total } else { 1.0 })
}

/// A stick `V ~ Beta(a ≥ 1, b)` with `1 − V` and its logarithm, which the update of `α`
/// needs: by inversion when `a = 1` (an empty class), where `ln(1 − V) = −E / b` costs no
/// logarithm and stays exact however small `b` is; otherwise the ratio of two Gammas.
#[inline(always)]
pub(crate) fn stick(rng: &mut ChainRng, a: f64, b: f64) -> Result<Stick, MseError> {
    check_beta(a, b)?;
    if a == 1.0 {
        let log_rest = -exponential(rng) / b;
        let rest = log_rest.exp();
        // `1 − rest` loses no precision that matters while `rest` is well below 1.
        let taken = if rest < 0.75 { 1.0 - rest } else { -log_rest.exp_m1() };
        return Ok(Stick { taken, rest, log_rest });
    }
    let x = gamma(rng, a)?;
    if b < 1.0 {
        // `Gamma(b) = Gamma(b + 1) U^{1/b}` in logarithms: for a small `b` (`α` near 0 in the
        // last occupied class's stick) the Gamma draw itself underflows to 0, and a logarithm
        // of `1 − V` clamped there would bias the update of `α` upwards.
        let log_y = large_shape_gamma(rng, b + 1.0).ln() - exponential(rng) / b;
        let y = log_y.exp();
        let total = x + y;
        return Ok(Stick {
            taken: x / total,
            rest: y / total,
            log_rest: log_y - total.ln(),
        });
    }
    let y = gamma(rng, b)?;
    let total = x + y;
    let rest = y / total;
    Ok(Stick {
        taken: x / total,
        rest,
        log_rest: rest.ln(),
    })
}

/// Means below this are drawn by inversion (Poisson and binomial), with a squeeze that
/// returns 0 without any exponential when the uniform is below `1 − mean`.
const INVERSION_MEAN: f64 = 10.0;

/// `Poisson(mean)`, 0 for a mean of 0: inversion for small means, `rand_distr`'s otherwise.
#[inline]
pub(crate) fn poisson(rng: &mut ChainRng, mean: f64) -> Result<u64, MseError> {
    if mean <= 0.0 {
        return Ok(0);
    }
    if mean >= INVERSION_MEAN {
        return Ok(Poisson::new(mean).map_err(|_| MseError::SamplerFailed)?.sample(rng) as u64);
    }
    let mut u = rng.random::<f64>();
    // e^{−mean} ≥ 1 − mean, so this uniform falls in the first cell of the inversion.
    if u < 1.0 - mean {
        return Ok(0);
    }
    let mut cell = (-mean).exp();
    let mut k = 0_u64;
    // Past a few hundred cells the remaining mass is below the rounding of `u`.
    while u >= cell && k < 1_000 {
        u -= cell;
        k += 1;
        cell *= mean / k as f64;
    }
    Ok(k)
}

/// `Binomial(trials, p)`: by inversion when the smaller of the two means is small (with the
/// squeeze `(1 − p)^n ≥ 1 − np` that returns 0 with no power computed, which is most draws
/// of the multinomial's last steps), by [`btrd`] otherwise.
#[inline(always)]
pub(crate) fn binomial(rng: &mut ChainRng, trials: u64, p: f64) -> Result<u64, MseError> {
    if !(0.0..=1.0).contains(&p) {
        return Err(MseError::SamplerFailed);
    }
    // Drawn as its complement above one half, so that the inversion walks from the nearer end.
    let complement = p > 0.5;
    let p = if complement { 1.0 - p } else { p };
    let drawn = if trials as f64 * p >= INVERSION_MEAN {
        btrd(rng, trials, p)
    } else {
        inversion(rng, trials, p)
    };
    Ok(if complement { trials - drawn } else { drawn })
}

/// `Binomial(trials, p ≤ ½)` with a mean below [`INVERSION_MEAN`], by inversion from 0. The
/// chance of 0, `(1 − p)^n`, is a power by squaring (a few products, where a logarithm and an
/// exponential cost a hundred instructions) up to `i32::MAX` trials.
fn inversion(rng: &mut ChainRng, trials: u64, p: f64) -> u64 {
    let n = trials as f64;
    let mut u = rng.random::<f64>();
    if u < 1.0 - n * p {
        return 0;
    }
    let odds = p / (1.0 - p);
    let mut cell = match i32::try_from(trials) {
        Ok(power) => (1.0 - p).powi(power),
        Err(_) => (n * (-p).ln_1p()).exp(),
    };
    let mut k = 0_u64;
    while u >= cell && k < trials {
        u -= cell;
        cell *= odds * (trials - k) as f64 / (k + 1) as f64;
        k += 1;
    }
    k
}

/// `Binomial(n, p)` for `p ≤ ½` and `np ≥ 10` by Hörmann's transformed rejection with
/// decomposition, BTRD ("The generation of binomial random variates", *Journal of
/// Statistical Computation and Simulation* 46, 1993): most draws take one uniform and a few
/// products, and its set-up is one square root, where BTPE's costs logarithms at every draw
/// here (the parameters change at every draw). Exact: the draws outside the centre are
/// accepted against the binomial probabilities themselves, in [`btrd_rejection`].
///
/// Only what the first test needs is computed here: at the means of the multinomial (10 to a
/// few hundred) the centre takes half the draws, and the rest of the set-up (two divisions, a
/// rounding and, hoisted there by the compiler, a logarithm) sat on the path of every draw.
#[inline]
fn btrd(rng: &mut ChainRng, n: u64, p: f64) -> u64 {
    let nf = n as f64;
    let q = 1.0 - p;
    let npq = nf * p * q;
    let spread = npq.sqrt();
    let b = 1.15 + 2.53 * spread;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    let vr = 0.92 - 4.2 / b;
    let v = rng.random::<f64>();
    if v <= 0.86 * vr {
        return btrd_centre(v, a, b, c, vr);
    }
    btrd_rejection(
        rng,
        &Btrd {
            nf,
            p,
            q,
            npq,
            spread,
            a,
            b,
            c,
            vr,
        },
        v,
    )
}

/// A draw from the centre of BTRD, for a uniform `v ≤ 0.86 vr`.
#[inline]
fn btrd_centre(v: f64, a: f64, b: f64, c: f64, vr: f64) -> u64 {
    let u = v / vr - 0.43;
    // Positive: `c ≥ 10.5` outweighs the spread this far from the tails.
    ((2.0 * a / (0.5 - u.abs()) + b) * u + c) as u64
}

/// BTRD's set-up, as [`btrd`] computed it.
struct Btrd {
    nf: f64,
    p: f64,
    q: f64,
    npq: f64,
    spread: f64,
    a: f64,
    b: f64,
    c: f64,
    vr: f64,
}

/// BTRD from a first uniform `v` outside the centre: the rest of the algorithm, its attempts
/// repeated (each of which may fall in the centre) until one is accepted.
#[inline(never)]
fn btrd_rejection(rng: &mut ChainRng, setup: &Btrd, first: f64) -> u64 {
    let &Btrd {
        nf,
        p,
        q,
        spread,
        a,
        b,
        c,
        vr,
        ..
    } = setup;
    // Truncation is the floor of these non-negative numbers, and spares a call to `floor`
    // (not an instruction of the baseline x86-64 this is built for).
    let mode = ((nf + 1.0) * p) as u64 as f64;
    let r = p / q;
    let nr = (nf + 1.0) * r;
    let alpha = (2.83 + 5.1 / b) * spread;
    let urvr = 0.86 * vr;
    let mut v = first;
    loop {
        if v <= urvr {
            return btrd_centre(v, a, b, c, vr);
        }
        if let Some(k) = btrd_attempt(rng, setup, v, mode, r, nr, alpha) {
            return k;
        }
        v = rng.random::<f64>();
    }
}

/// One attempt of BTRD outside the centre, from its uniform `v`: the draw if accepted.
fn btrd_attempt(rng: &mut ChainRng, setup: &Btrd, mut v: f64, mode: f64, r: f64, nr: f64, alpha: f64) -> Option<u64> {
    let &Btrd {
        nf, npq, a, b, c, vr, ..
    } = setup;
    let u = if v >= vr {
        rng.random::<f64>() - 0.5
    } else {
        let u = v / vr - 0.93;
        v = rng.random::<f64>() * vr;
        0.5_f64.copysign(u) - u
    };
    let us = 0.5 - u.abs();
    let x = (2.0 * a / us + b) * u + c;
    if x < 0.0 {
        return None;
    }
    let k = x as u64 as f64;
    if k > nf {
        return None;
    }
    v *= alpha / (a / (us * us) + b);
    let km = (k - mode).abs();
    if km <= 15.0 {
        // The ratio f(k) / f(mode) by the recurrence of the probabilities.
        let mut f = 1.0;
        if mode < k {
            let mut i = mode + 1.0;
            while i <= k {
                f *= nr / i - r;
                i += 1.0;
            }
        } else {
            let mut i = k + 1.0;
            while i <= mode {
                v *= nr / i - r;
                i += 1.0;
            }
        }
        return (v <= f).then_some(k as u64);
    }
    // Squeeze on the logarithm, then the exact test with Stirling's corrections.
    let log_v = v.ln();
    let rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
    let t = -km * km / (2.0 * npq);
    if log_v < t - rho {
        return Some(k as u64);
    }
    if log_v > t + rho {
        return None;
    }
    let nm = nf - mode + 1.0;
    let h = (mode + 0.5) * ((mode + 1.0) / (r * nm)).ln() + stirling_correction(mode) + stirling_correction(nf - mode);
    let nk = nf - k + 1.0;
    let bound = h + (nf + 1.0) * (nm / nk).ln() + (k + 0.5) * (nk * r / (k + 1.0)).ln()
        - stirling_correction(k)
        - stirling_correction(nf - k);
    (log_v <= bound).then_some(k as u64)
}

/// `ln k! − ((k + ½) ln(k + 1) − (k + 1) + ½ ln 2π)`: exact below 10, its series above.
fn stirling_correction(k: f64) -> f64 {
    const SMALL: [f64; 10] = [
        0.081_061_466_795_327_33,
        0.041_340_695_955_409_46,
        0.027_677_925_684_997_717,
        0.020_790_672_103_765_84,
        0.016_644_691_189_821_26,
        0.013_876_128_823_072_875,
        0.011_896_709_945_893_313,
        0.010_411_265_261_973_668,
        0.009_255_462_182_709_45,
        0.008_330_563_433_359_472,
    ];
    if let Some(&exact) = SMALL.get(k as usize).filter(|_| k < 10.0) {
        return exact;
    }
    let k1 = k + 1.0;
    let k2 = k1 * k1;
    (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / (1260.0 * k2)) / k2) / k1
}

/// Spreads `total` people over classes with probabilities proportional to `weights`, into
/// `counts`: sequential binomials (the classes after `k` get `Binomial(left, their weight /
/// the weight of class k and after)`, class `k` the others) while many people are left, then
/// person by person over the classes not yet drawn. Both steps draw from the exact
/// conditional multinomial of those left.
#[inline(always)]
pub(crate) fn multinomial<const W: usize>(
    rng: &mut ChainRng,
    total: u64,
    weights: &[f64; W],
    after: &mut [f64; W],
    counts: &mut [u64; W],
) -> Result<(), MseError> {
    *counts = [0; W];
    if total == 0 {
        return Ok(());
    }
    // The mass after each class, summed from the end rather than as a running difference, so
    // that classes of no weight get nobody even after rounding.
    let mut mass = 0.0;
    for (a, &w) in after.iter_mut().zip(weights).rev() {
        *a = mass;
        mass += w;
    }
    if !positive_finite(mass) {
        return Err(MseError::SamplerFailed);
    }
    let mut left = total;
    let mut first = 0;
    while left > PERSON_BY_PERSON {
        let (Some(&w), Some(count), Some(&later)) = (weights.get(first), counts.get_mut(first), after.get(first))
        else {
            break;
        };
        if later <= 0.0 {
            *count = left;
            return Ok(());
        }
        // How many go to the later classes, rather than how many stay here: the same draw,
        // and when the later classes weigh little it is most often 0, which ends the loop.
        let to_later = binomial(rng, left, (later / (w + later)).clamp(0.0, 1.0))?;
        *count = left - to_later;
        left = to_later;
        first += 1;
    }
    if left == 0 {
        return Ok(());
    }
    let rest = weights.get(first..).unwrap_or_default();
    let counts = counts.get_mut(first..).unwrap_or_default();
    let mass = rest.first().copied().unwrap_or(0.0) + after.get(first).copied().unwrap_or(0.0);
    if mass <= 0.0 {
        return Err(MseError::SamplerFailed);
    }
    for _ in 0..left {
        let mut u = rng.random::<f64>() * mass;
        // Rounding can leave `u` past the last weight: that person goes to the last class
        // that has any weight.
        let mut class = None;
        for (k, &w) in rest.iter().enumerate() {
            if u < w {
                class = Some(k);
                break;
            }
            u -= w;
        }
        let class = class.or_else(|| rest.iter().rposition(|&w| w > 0.0)).unwrap_or(0);
        if let Some(c) = counts.get_mut(class) {
            *c += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    const DRAWS: usize = 200_000;

    /// Asserts that the mean and the variance of `DRAWS` draws are those of the distribution,
    /// within five standard errors (the variance's from the fourth central moment `m4`).
    fn assert_moments(what: &str, mut draw: impl FnMut() -> f64, mean: f64, variance: f64, m4: f64) {
        let xs: Vec<f64> = (0..DRAWS).map(|_| draw()).collect();
        let n = DRAWS as f64;
        let m = xs.iter().sum::<f64>() / n;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        let mean_error = 5.0 * (variance / n).sqrt();
        assert!((m - mean).abs() <= mean_error, "{what}: mean {m} against {mean}");
        let variance_error = 5.0 * ((m4 - variance * variance) / n).sqrt();
        assert!(
            (v - variance).abs() <= variance_error,
            "{what}: variance {v} against {variance}"
        );
    }

    /// Asserts that the share of draws equal to 0 is `p0`, within five standard errors.
    fn assert_zeros(what: &str, mut draw: impl FnMut() -> u64, p0: f64) {
        let zeros = (0..DRAWS).filter(|_| draw() == 0).count() as f64 / DRAWS as f64;
        let error = 5.0 * (p0 * (1.0 - p0) / DRAWS as f64).sqrt() + 1e-9;
        assert!((zeros - p0).abs() <= error, "{what}: {zeros} zeros against {p0}");
    }

    #[test]
    fn gamma_has_the_moments_of_its_shape() {
        let mut rng = ChainRng::seed_from_u64(5);
        for shape in [0.25, 0.9, 1.0, 2.5, 9.25, 1500.0] {
            // Gamma(k, 1): variance k, fourth central moment 3k² + 6k.
            let m4 = 3.0 * shape * shape + 6.0 * shape;
            assert_moments(
                &format!("Gamma({shape})"),
                || gamma(&mut rng, shape).unwrap(),
                shape,
                shape,
                m4,
            );
        }
        assert!(gamma(&mut rng, 0.0).is_err());
    }

    /// The mean, variance and fourth central moment of `Beta(a, b)`.
    fn beta_moments(a: f64, b: f64) -> (f64, f64, f64) {
        let s = a + b;
        let mean = a / s;
        let variance = a * b / (s * s * (s + 1.0));
        let excess = 6.0 * ((a - b).powi(2) * (s + 1.0) - a * b * (s + 2.0)) / (a * b * (s + 2.0) * (s + 3.0));
        (mean, variance, (excess + 3.0) * variance * variance)
    }

    #[test]
    fn beta_and_sticks_have_the_moments_of_their_parameters() {
        let mut rng = ChainRng::seed_from_u64(6);
        for (a, b) in [
            (1.0, 1.0),
            (1.0, 40.0),
            (40.0, 1.0),
            (3.0, 7.0),
            (31.0, 1501.0),
            (1.0, 0.3),
            (2.0, 0.3),
        ] {
            let (mean, variance, m4) = beta_moments(a, b);
            assert_moments(
                &format!("Beta({a}, {b})"),
                || beta(&mut rng, a, b).unwrap(),
                mean,
                variance,
                m4,
            );
            let taken = || {
                let s = stick(&mut rng, a, b).unwrap();
                assert!((s.taken + s.rest - 1.0).abs() < 1e-12, "{s:?}");
                assert!(
                    (s.log_rest - s.rest.ln()).abs() < 1e-9 * s.log_rest.abs().max(1.0),
                    "{s:?}"
                );
                s.taken
            };
            assert_moments(&format!("stick({a}, {b})"), taken, mean, variance, m4);
        }
    }

    /// `E ln(1 − V) = ψ(b) − ψ(a + b)` even when `b` is so small that `1 − V` underflows: the
    /// update of `α` sums these logarithms, and clamping them where `1 − V` underflows (as a
    /// ratio of Gammas computed directly does) biased `α` upwards when it wandered near 0.
    #[test]
    fn sticks_keep_the_logarithm_of_what_they_leave_for_tiny_concentrations() {
        use statrs::function::gamma::digamma;
        let mut rng = ChainRng::seed_from_u64(10);
        for (a, b) in [(1.0, 0.002), (2.0, 0.002), (30.0, 0.01), (2.0, 0.5)] {
            let logs: Vec<f64> = (0..DRAWS).map(|_| stick(&mut rng, a, b).unwrap().log_rest).collect();
            let n = DRAWS as f64;
            let mean = logs.iter().sum::<f64>() / n;
            let sd = (logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / n).sqrt();
            let expected = digamma(b) - digamma(a + b);
            assert!(
                (mean - expected).abs() <= 5.0 * sd / n.sqrt(),
                "stick({a}, {b}): E ln(1 − V) {mean} against {expected}"
            );
        }
    }

    #[test]
    fn binomial_has_its_moments_and_its_chance_of_zero() {
        let mut rng = ChainRng::seed_from_u64(7);
        // Small means (inversion, most draws by the squeeze), means either side of the switch
        // to BTPE, and p above one half (drawn as n minus its complement).
        for (n, p) in [
            (1000, 1e-6),
            (1000, 5e-4),
            (1000, 4e-3),
            (50, 0.15),
            (1000, 0.0099),
            (1000, 0.0101),
            (900, 0.3),
            (20, 0.9),
            (5, 0.5),
        ] {
            let (nf, q) = (n as f64, 1.0 - p);
            let variance = nf * p * q;
            let m4 = 3.0 * variance * variance + variance * (1.0 - 6.0 * p * q);
            let what = format!("Binomial({n}, {p})");
            assert_moments(&what, || binomial(&mut rng, n, p).unwrap() as f64, nf * p, variance, m4);
            assert_zeros(&what, || binomial(&mut rng, n, p).unwrap(), q.powf(nf));
        }
        assert_eq!(binomial(&mut rng, 10, 0.0).unwrap(), 0);
        assert_eq!(binomial(&mut rng, 10, 1.0).unwrap(), 10);
        assert!(binomial(&mut rng, 10, 1.5).is_err());
    }

    /// Pearson's statistic of `DRAWS` draws of BTRD against the binomial probabilities, the
    /// tails lumped so that every cell expects at least 20 draws, below its mean plus five
    /// standard deviations: a wrong bound in any of the algorithm's regions shows.
    #[test]
    fn btrd_follows_the_binomial_probabilities() {
        use statrs::distribution::{Binomial as Exact, Discrete};
        let mut rng = ChainRng::seed_from_u64(9);
        for (n, p) in [(20, 0.5), (60, 0.3), (900, 0.3), (2000, 0.05), (100_000, 0.4)] {
            let exact = Exact::new(p, n).unwrap();
            let mut observed = vec![0_u64; n as usize + 1];
            for _ in 0..DRAWS {
                observed[btrd(&mut rng, n, p) as usize] += 1;
            }
            let (mut statistic, mut cells) = (0.0, 0_u32);
            let (mut expected_run, mut observed_run) = (0.0, 0.0);
            for (k, &o) in observed.iter().enumerate() {
                expected_run += exact.pmf(k as u64) * DRAWS as f64;
                observed_run += o as f64;
                if expected_run >= 20.0 || k == n as usize {
                    statistic += (observed_run - expected_run).powi(2) / expected_run.max(1e-9);
                    cells += 1;
                    (expected_run, observed_run) = (0.0, 0.0);
                }
            }
            let df = f64::from(cells - 1);
            assert!(
                statistic < df + 5.0 * (2.0 * df).sqrt(),
                "Binomial({n}, {p}): χ² {statistic:.1} on {df} df"
            );
        }
    }

    #[test]
    fn poisson_has_its_moments_and_its_chance_of_zero() {
        let mut rng = ChainRng::seed_from_u64(8);
        for mean in [1e-4, 0.05, 0.7, 3.0, 9.9, 10.0, 50.0] {
            let what = format!("Poisson({mean})");
            let m4 = mean * (1.0 + 3.0 * mean);
            assert_moments(&what, || poisson(&mut rng, mean).unwrap() as f64, mean, mean, m4);
            assert_zeros(&what, || poisson(&mut rng, mean).unwrap(), (-mean).exp());
        }
        assert_eq!(poisson(&mut rng, 0.0).unwrap(), 0);
    }

    #[test]
    fn multinomial_keeps_every_person_and_follows_the_weights() {
        let mut rng = ChainRng::seed_from_u64(3);
        let weights = [0.2, 0.0, 0.5, 0.3];
        let mut counts = [0; 4];
        let mut after = [0.0; 4];
        for total in [0, 1, 5, 8, 24, 25, 40, 1000, 100_000] {
            let mut sums = [0_u64; 4];
            for _ in 0..400 {
                multinomial(&mut rng, total, &weights, &mut after, &mut counts).unwrap();
                assert_eq!(counts.iter().sum::<u64>(), total);
                assert_eq!(counts[1], 0);
                for (s, c) in sums.iter_mut().zip(counts) {
                    *s += c;
                }
            }
            let all: u64 = sums.iter().sum();
            for (s, w) in sums.iter().zip(weights).filter(|_| all > 0) {
                // Five standard deviations of a share among `all` independent people.
                let tolerance = 5.0 * (w * (1.0 - w) / all as f64).sqrt();
                assert!((*s as f64 / all as f64 - w).abs() <= tolerance, "{total}: {sums:?}");
            }
        }
    }

    #[test]
    fn multinomial_with_a_last_class_of_no_weight_never_fills_it() {
        let mut rng = ChainRng::seed_from_u64(4);
        let mut counts = [0; 3];
        let mut after = [0.0; 3];
        for _ in 0..200 {
            multinomial(&mut rng, 100, &[0.7, 0.3, 0.0], &mut after, &mut counts).unwrap();
            assert_eq!(counts[2], 0);
            assert_eq!(counts[0] + counts[1], 100);
        }
    }
}
