extension Array where Element == UInt8 {
    /// Appends an integer in decimal without building a String: exports write millions of
    /// numbers (values, row references), and a String per number shows in the profile.
    mutating func appendDecimal(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        // `magnitude` is a UInt, so Int.min needs no negation that would overflow.
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        repeat {
            append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        } while divisor > 0
    }
}
