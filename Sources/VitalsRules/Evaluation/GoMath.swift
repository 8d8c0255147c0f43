import Foundation

/// Go's own `math.Log`, `Log2` and `Log10` (ported from Go's `log.go`, FreeBSD's `e_log.c`): Prometheus computes `ln`,
/// `log2` and `log10` with them, and they differ from the C library's in the last bit for some inputs.
enum GoMath {
    static func log(_ x: Double) -> Double {
        let ln2Hi = 6.93147180369123816490e-01
        let ln2Lo = 1.90821492927058770002e-10
        let (l1, l2, l3, l4) = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01)
        let (l5, l6, l7) = (1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01)
        if x.isNaN || x == .infinity { return x }
        if x < 0 { return .nan }
        if x == 0 { return -.infinity }
        var (f1, ki) = frexp(x)
        if f1 < 2.0.squareRoot() / 2 {
            f1 *= 2
            ki -= 1
        }
        let f = f1 - 1
        let k = Double(ki)
        let s = f / (2 + f)
        let s2 = s * s
        let s4 = s2 * s2
        let t1 = s2 * (l1 + s4 * (l3 + s4 * (l5 + s4 * l7)))
        let t2 = s4 * (l2 + s4 * (l4 + s4 * l6))
        let r = t1 + t2
        let hfsq = 0.5 * f * f
        return k * ln2Hi - ((hfsq - (s * (hfsq + r) + k * ln2Lo)) - f)
    }

    static func log2(_ x: Double) -> Double {
        let (fraction, exponent) = frexp(x)
        // An exact power of two gives an exact answer.
        if fraction == 0.5 { return Double(exponent - 1) }
        return log(fraction) * 0x1.71547652b82fep+0 + Double(exponent)
    }

    /// `Log(x) * (1 / Ln10)`, the constant folded exactly by Go and written here in hex so that no conversion rounds twice.
    static func log10(_ x: Double) -> Double { log(x) * 0x1.bcb7b1526e50ep-2 }
}
