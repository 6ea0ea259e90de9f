extension Dictionary {
    /// `body(&self[key, default: make()])`, without its cost per call: the subscript's `_modify`
    /// coroutine keeps the value in a frame that, for a value as large as a `Contribution` (96
    /// bytes) or an `IndicatorCounts`, is allocated on the heap and freed at each call, one
    /// malloc and free per row read (a first call's instructions 1,367 → 1,292 M without it,
    /// docs/PERFORMANCE.md). Here the value is changed where it lies (`values[index]`), or built
    /// and then inserted.
    @inline(__always)
    mutating func modify(_ key: Key, default make: @autoclosure () -> Value, _ body: (inout Value) throws -> Void) rethrows {
        if let index = index(forKey: key) {
            try body(&values[index])
        } else {
            var value = make()
            try body(&value)
            self[key] = value
        }
    }
}
