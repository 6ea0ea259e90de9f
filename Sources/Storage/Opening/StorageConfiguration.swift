/// Where the database lives and how many connections may touch it at once.
///
/// Why: the server, the CLI and the tests all open the same kind of database; keeping the
/// few knobs in one value means every caller gets the same pragmas from ``openDatabase(_:)``.
///
/// ```swift
/// let config = StorageConfiguration(path: "data/parcours.sqlite", maxReaders: 4)
/// let pool = try openDatabase(config)
/// ```
public struct StorageConfiguration: Sendable, Equatable {
    /// Path of the SQLite file. Its parent folder is created when missing.
    public var path: String
    /// Largest number of concurrent reader connections in the pool.
    public var maxReaders: Int
    /// Seconds a connection waits on a lock held by another process before failing with
    /// `SQLITE_BUSY`.
    public var busyTimeout: Double

    public init(path: String, maxReaders: Int = 8, busyTimeout: Double = 5) {
        self.path = path
        self.maxReaders = maxReaders
        self.busyTimeout = busyTimeout
    }
}
