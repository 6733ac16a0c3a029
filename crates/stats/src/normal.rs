//! The standard normal distribution, without the panics of statrs' distribution API.
//!
//! `Φ` uses `libm`'s `erfc` (the musl/FreeBSD algorithm, within an ulp); statrs' `erfc` is
//! off by up to 1e-11, which would blur BCa levels far out in the tails. `Φ⁻¹` uses statrs'
//! `erfc_inv` (Boost's rational approximations, accurate to double precision).

use std::f64::consts::SQRT_2;

use statrs::function::erf::erfc_inv;

/// `Φ(x)`.
pub fn cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / SQRT_2)
}

/// `Φ⁻¹(p)`: −∞ at 0, +∞ at 1, NaN outside [0, 1].
pub fn quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    -SQRT_2 * erfc_inv(2.0 * p)
}
