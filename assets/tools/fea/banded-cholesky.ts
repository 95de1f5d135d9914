// Symmetric banded matrix storage and its Cholesky factorization A = L L^T (Golub & Van Loan,
// Matrix Computations, 4th ed., algorithm 4.3.5, band Cholesky). Only the lower band is stored:
// row i holds A(i, j) for j in [i - bw, i] at data[i * (bw + 1) + (j - i + bw)]. The
// factorization overwrites the band with L; a pivot that is not clearly positive means the
// matrix is singular or not positive definite, which is reported with its equation number.

/**
 * Relative pivot tolerance: a pivot below this fraction of its original diagonal means the
 * equation lost (almost) all its stiffness to the ones before it, i.e. a mechanism. Round-off
 * leaves ~1e-16 relative in a truly singular system; sound FE systems stay far above 1e-12.
 */
const PIVOT_TOLERANCE = 1e-12;

/** The matrix is singular or not positive definite; `equation` is where factorization failed. */
export class SingularMatrixError extends Error {
  readonly equation: number;

  constructor(equation: number, pivot: number) {
    const at = `pivot ${pivot.toExponential(3)} at equation ${equation}`;
    super(`matrix is singular or not positive definite: ${at}`);
    this.name = 'SingularMatrixError';
    this.equation = equation;
  }
}

/** A symmetric n x n matrix with half-bandwidth bw (A(i, j) = 0 when |i - j| > bw). */
export class BandedMatrix {
  readonly n: number;
  readonly bw: number;
  readonly data: Float64Array;

  constructor(n: number, bw: number) {
    this.n = n;
    this.bw = bw;
    this.data = new Float64Array(n * (bw + 1));
  }

  /** Index of A(i, j) in `data`, for j <= i <= j + bw. */
  index(i: number, j: number): number {
    return i * (this.bw + 1) + (j - i + this.bw);
  }

  /** A(i, j) for any i, j (symmetric; zero outside the band). */
  get(i: number, j: number): number {
    const [r, c] = i >= j ? [i, j] : [j, i];
    return r - c > this.bw ? 0 : (this.data[this.index(r, c)] as number);
  }

  /** Adds v to A(i, j) (and so to A(j, i)); throws if (i, j) is outside the band. */
  add(i: number, j: number, v: number): void {
    const [r, c] = i >= j ? [i, j] : [j, i];
    if (r - c > this.bw) throw new RangeError(`entry (${i}, ${j}) is outside bandwidth ${this.bw}`);
    const k = this.index(r, c);
    this.data[k] = (this.data[k] as number) + v;
  }
}

/** Factorizes `a` in place into L (row-oriented band Cholesky); throws SingularMatrixError. */
export function choleskyInPlace(a: BandedMatrix): void {
  const { n, bw, data } = a;
  const w = bw + 1;
  for (let i = 0; i < n; i++) {
    const rowI = i * w - i + bw; // data[rowI + j] is entry (i, j)
    const first = Math.max(0, i - bw);
    for (let j = first; j <= i; j++) {
      const rowJ = j * w - j + bw;
      let s = data[rowI + j] as number;
      // L(i,j) = (A(i,j) - sum_{k<j} L(i,k) L(j,k)) / L(j,j); k ranges over both rows' bands.
      for (let k = Math.max(first, j - bw); k < j; k++) {
        s -= (data[rowI + k] as number) * (data[rowJ + k] as number);
      }
      if (j < i) {
        data[rowI + j] = s / (data[rowJ + j] as number);
      } else {
        const original = data[rowI + i] as number;
        if (!(s > PIVOT_TOLERANCE * Math.abs(original)) || !(original > 0)) {
          throw new SingularMatrixError(i, s);
        }
        data[rowI + i] = Math.sqrt(s);
      }
    }
  }
}

/** Solves L L^T x = b with a factor from {@link choleskyInPlace}; returns x (b is untouched). */
export function choleskySolve(l: BandedMatrix, b: ArrayLike<number>): Float64Array {
  const { n, bw, data } = l;
  const w = bw + 1;
  const x = Float64Array.from(b);
  // Forward substitution L y = b.
  for (let i = 0; i < n; i++) {
    const row = i * w - i + bw;
    let s = x[i] as number;
    for (let k = Math.max(0, i - bw); k < i; k++) s -= (data[row + k] as number) * (x[k] as number);
    x[i] = s / (data[row + i] as number);
  }
  // Back substitution L^T x = y, column-oriented so the band is read row by row.
  for (let i = n - 1; i >= 0; i--) {
    const row = i * w - i + bw;
    const xi = (x[i] as number) / (data[row + i] as number);
    x[i] = xi;
    for (let k = Math.max(0, i - bw); k < i; k++)
      x[k] = (x[k] as number) - (data[row + k] as number) * xi;
  }
  return x;
}
