//! The little dense linear algebra the fits need (matrices of at most a few dozen columns).
//!
//! Matrices are row-major slices whose dimensions the callers build consistently.

/// Cholesky factor `L` (lower triangle, row-major) of a symmetric positive-definite `p × p`
/// matrix, or `None` when it is not numerically positive definite.
pub(crate) fn cholesky(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|k| l[i * p + k] * l[j * p + k]).sum();
            let v = a[i * p + j] - dot;
            if i == j {
                if v <= 0.0 || !v.is_finite() {
                    return None;
                }
                l[i * p + i] = v.sqrt();
            } else {
                l[i * p + j] = v / l[j * p + j];
            }
        }
    }
    Some(l)
}

/// Solves `L Lᵀ x = b` in place, given the Cholesky factor `L`.
pub(crate) fn cholesky_solve(l: &[f64], p: usize, b: &mut [f64]) {
    for i in 0..p {
        let dot: f64 = (0..i).map(|k| l[i * p + k] * b[k]).sum();
        b[i] = (b[i] - dot) / l[i * p + i];
    }
    for i in (0..p).rev() {
        let dot: f64 = (i + 1..p).map(|k| l[k * p + i] * b[k]).sum();
        b[i] = (b[i] - dot) / l[i * p + i];
    }
}

/// The reduced row echelon form of the `n × p` row-major matrix `x`, with the pivot column
/// of each non-zero row (partial pivoting).
fn reduced_row_echelon(x: &[f64], n: usize, p: usize) -> (Vec<f64>, Vec<usize>) {
    // Entries are 0/1 and the pivots small integers: anything this small is a round-off zero.
    const TOL: f64 = 1e-9;
    let mut m = x.to_vec();
    let mut pivots: Vec<usize> = Vec::new();
    let mut row = 0;
    for col in 0..p {
        if row == n {
            break;
        }
        let Some(pivot) = (row..n).max_by(|&a, &b| m[a * p + col].abs().total_cmp(&m[b * p + col].abs())) else {
            break;
        };
        if m[pivot * p + col].abs() < TOL {
            continue;
        }
        for c in 0..p {
            m.swap(row * p + c, pivot * p + c);
        }
        let scale = m[row * p + col];
        for c in 0..p {
            m[row * p + c] /= scale;
        }
        for r in (0..n).filter(|&r| r != row) {
            let factor = m[r * p + col];
            if factor != 0.0 {
                for c in 0..p {
                    m[r * p + c] -= factor * m[row * p + c];
                }
            }
        }
        pivots.push(col);
        row += 1;
    }
    (m, pivots)
}

/// The columns of the `n × p` matrix `x` that are linearly independent of the columns
/// before them (the pivot columns of its echelon form).
pub(crate) fn independent_columns(x: &[f64], n: usize, p: usize) -> Vec<usize> {
    reduced_row_echelon(x, n, p).1
}

/// A basis of the null space `{v : X v = 0}` of the `n × p` matrix `x`, from its reduced row
/// echelon form: one vector per free column.
pub(crate) fn null_space(x: &[f64], n: usize, p: usize) -> Vec<Vec<f64>> {
    let (m, pivots) = reduced_row_echelon(x, n, p);
    (0..p)
        .filter(|c| !pivots.contains(c))
        .map(|free| {
            let mut v = vec![0.0; p];
            v[free] = 1.0;
            for (r, &pc) in pivots.iter().enumerate() {
                v[pc] = -m[r * p + free];
            }
            v
        })
        .collect()
}
