/// The begin → append* → finish order every writer enforces, and the row width check.
///
/// Kept in one place so each format reports misuse the same way instead of producing a
/// silently truncated or shifted file.
struct TableProgress {
    private enum Stage { case ready, writing, finished }

    private var stage = Stage.ready
    private(set) var columnCount = 0
    /// Data rows appended so far (the header is not counted).
    private(set) var rowCount = 0

    mutating func begin(columnCount: Int) throws {
        guard stage == .ready else { throw ExportError.outOfOrder("begin called twice") }
        stage = .writing
        self.columnCount = columnCount
    }

    mutating func append(cellCount: Int) throws {
        switch stage {
        case .ready: throw ExportError.outOfOrder("append before begin")
        case .finished: throw ExportError.outOfOrder("append after finish")
        case .writing: break
        }
        guard cellCount == columnCount else {
            throw ExportError.rowWidth(row: rowCount + 1, expected: columnCount, actual: cellCount)
        }
        rowCount += 1
    }

    mutating func finish() throws {
        switch stage {
        case .ready: throw ExportError.outOfOrder("finish before begin")
        case .finished: throw ExportError.outOfOrder("finish called twice")
        case .writing: stage = .finished
        }
    }
}
