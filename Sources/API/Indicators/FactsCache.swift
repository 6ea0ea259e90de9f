import Foundation
import GRDB

/// The whole PLIE's contributions to the indicators (`Contribution`), kept between calls of
/// `GET /v1/indicators`.
///
/// Why: they cost a few microseconds per participant of the period (60,000 on a large PLIE: the
/// whole of a call's time) while, between two calls, a handful of participants change. An entry
/// holds each participant's contribution for one period and settings, their sums by (referent,
/// operation), and
/// the journal position (`indicator_changes.seq`, migrations/0006) they are exact for. A call
/// reads, in its own read transaction, the participants journaled since, recomputes only those
/// with the same statement, and swaps their old facts for the new: the answer is the one a full
/// computation would give on that snapshot. It computes everything again when the journal says
/// "every participant" (an operation's minimum changed), when entries were dropped from the
/// journal since (it is bounded), or when too many participants changed to be worth it.
final class FactsCache: @unchecked Sendable {
    private struct Entry {
        var seq: Int64
        var facts: FactTable
        var cells: [IndicatorCell: IndicatorCounts]
        var used: UInt64
    }

    /// Recursive: `serialized` holds it around a whole request, `cells` inside it.
    private let lock = NSRecursiveLock()
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0
    /// Periods kept at once (least recently used dropped): each costs ~10 MiB on a large PLIE.
    let capacity: Int
    /// Above this many changed participants, a full computation is cheaper than the updates.
    let maxChanges: Int

    /// How the last call was answered, for the tests: "full", "updated" or "hit".
    private(set) var lastOutcome = ""
    /// Periods computed in shares by `prime`, for the tests.
    private(set) var primes = 0

    init(capacity: Int = 2, maxChanges: Int = 20_000) {
        self.capacity = capacity
        self.maxChanges = maxChanges
    }

    /// Whether no period is kept (nobody asked for indicators since the start).
    var isEmpty: Bool { lock.lock(); defer { lock.unlock() }; return entries.isEmpty }

    /// Runs `body` (a request that opens its read transaction and calls `cells`) alone among the
    /// callers of this cache. The read transaction then begins after the previous caller's, so its
    /// snapshot is never older than the cached one: the cache only ever moves forward, and a call
    /// never has to compute everything because a concurrent call overtook it.
    func serialized<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// `serialized`, but the turn may end early: `body` is given the function that ends it, to
    /// call once its read transaction has read the cache (what follows — the rest of the answer
    /// and its JSON — needs no turn, and other callers wait for none of it). Ends at the latest
    /// when `body` returns.
    func turn<T>(_ body: (_ end: () -> Void) throws -> T) rethrows -> T {
        lock.lock()
        var held = true
        func end() {
            guard held else { return }
            held = false
            lock.unlock()
        }
        defer { end() }
        return try body(end)
    }

    /// The facts' sums by cell for `key` (the period and settings), exact for the snapshot of `db`.
    /// `compute(nil)` reads every participant's facts, `compute(ids)` those of `ids`.
    func cells(_ db: Database, key: String, compute: ([Int64]?) throws -> [Int64: Contribution]) throws -> [IndicatorCell: IndicatorCounts] {
        // Serialised: concurrent calls would otherwise compute the same thing at once.
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        let now = try FactsCache.position(db)
        if var entry = entries[key], entry.seq <= now {
            if entry.seq == now {
                entry.used = clock
                entries[key] = entry
                lastOutcome = "hit"
                return entry.cells
            }
            if let changed = try changes(db, since: entry.seq) {
                entries[key] = nil  // updated in place, without a copy of the table
                let fresh = try compute(changed)
                for pid in changed {
                    if let old = entry.facts[pid] { entry.cells[old.cell]?.add(old, participant: pid, sign: -1) }
                    if let new = fresh[pid] {
                        entry.cells.modify(new.cell, default: IndicatorCounts()) { $0.add(new, participant: pid) }
                        entry.facts[pid] = new
                    } else {
                        entry.facts[pid] = nil
                    }
                }
                // A cell left by its last participant is gone, as in a full computation.
                entry.cells = entry.cells.filter { $0.value.members != 0 }
                entry.seq = now
                entry.used = clock
                entries[key] = entry
                lastOutcome = "updated"
                return entry.cells
            }
        }
        let facts = FactTable(try compute(nil))
        let cells = facts.cells(share: 0)
        // A snapshot older than the kept entry (a concurrent call) answers without replacing it.
        if (entries[key]?.seq ?? -1) <= now { keep(key, Entry(seq: now, facts: facts, cells: cells, used: clock)) }
        lastOutcome = "full"
        return cells
    }

    /// The journal's position in the snapshot of `db`: the contributions computed there are exact for it.
    static func position(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT coalesce(max(seq), 0) FROM indicator_changes")) ?? 0
    }

    /// When `key` is not kept, computes it in `pieces` pieces, `width` at a time, `compute(i)`
    /// returning the journal position and the contributions of piece `i` (some statements for
    /// some participants, `IndicatorQuery.pieces`), each from a read transaction of its own (so
    /// each is exact for its own position). The first `shares` pieces hold the participants
    /// whose id is their index modulo `shares` (`PieceFacts.share`); the others anybody
    /// (`.rows`). A participant's contributions from several pieces add up
    /// (`Contribution.absorb`), in the table's share of their id, each share on a thread of its
    /// own. The entry is kept as of the oldest position: the next `cells` call brings the pieces
    /// computed later forward from the journal (their participants changed since then are
    /// recomputed there, whole), so its answer is exact for its own snapshot. Why: a full
    /// computation is most of a first call's time (0.5 s on a PLIE of 100,000 participants), and
    /// one connection uses one core. Returns whether it computed (false: the period was kept).
    @discardableResult
    func prime(key: String, pieces: Int, shares: Int, width: Int,
               compute: (Int) throws -> (seq: Int64, facts: PieceFacts)) throws -> Bool {
        precondition(shares >= 1 && shares <= pieces, "the shares are pieces")
        lock.lock()
        defer { lock.unlock() }
        guard entries[key] == nil else { return false }
        // Each slot holds a failure until its piece is computed.
        let results = ShareBox<Result<(seq: Int64, facts: PieceFacts), Error>>(
            Array(repeating: .failure(CancellationError()), count: pieces))
        // `width` threads take the pieces in order, each the next one left when it is done.
        let next = PieceCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, min(width, pieces))) { _ in
            while let i = next.take(below: pieces) { results.put(i, Result { try compute(i) }) }
        }
        // Taken out of `results`, then `done` emptied, so that each share's slots have no other
        // owner than `table` and change in place below.
        var done = try results.takeAll().map { try $0.get() }
        let seq = done.map(\.seq).min() ?? 0
        let others = done[shares...].map(\.facts)
        let table = ShareBox(try done[0..<shares].enumerated().map { i, piece in
            guard case .share(let slots) = piece.facts, slots.stride == shares, slots.residue == i else {
                throw PieceError.notShare(i)
            }
            return slots
        })
        done = []
        DispatchQueue.concurrentPerform(iterations: shares) { i in
            var share = table.take(i)
            for piece in others {
                piece.forEach { pid, c in
                    guard FactTable.share(of: pid, among: shares) == i else { return }
                    share.modify(pid, default: Contribution(cell: c.cell)) { $0.absorb(c) }
                }
            }
            table.put(i, share)
        }
        let facts = FactTable(shares: table.takeAll())
        var cells: [IndicatorCell: IndicatorCounts] = [:]
        let shareCells = ShareBox<[IndicatorCell: IndicatorCounts]>(Array(repeating: [:], count: shares))
        DispatchQueue.concurrentPerform(iterations: shares) { i in shareCells.put(i, facts.cells(share: i)) }
        for part in shareCells.takeAll() { for (cell, counts) in part { cells.modify(cell, default: IndicatorCounts()) { $0 += counts } } }
        clock += 1
        keep(key, Entry(seq: seq, facts: facts, cells: cells, used: clock))
        primes += 1
        return true
    }

    /// Keeps `entry` under `key`, dropping the least recently used period beyond `capacity`.
    private func keep(_ key: String, _ entry: Entry) {
        entries[key] = entry
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
    }

    /// The participants journaled after `seq`, or nil when only a full computation is right: the
    /// journal no longer holds every entry since (bounded), an entry means every participant, or
    /// too many changed.
    private func changes(_ db: Database, since seq: Int64) throws -> [Int64]? {
        guard let oldest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT min(seq) FROM indicator_changes")), oldest <= seq + 1 else { return nil }
        var ids = Set<Int64>()
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT DISTINCT participant_id FROM indicator_changes WHERE seq > ?"), arguments: [seq])
        while let row = try rows.next() {
            guard let id = row[0] as Int64? else { return nil }
            ids.insert(id)
            if ids.count > maxChanges { return nil }
        }
        return Array(ids)
    }
}

/// What one piece of `FactsCache.prime` computed: the slots of a share of the participants
/// (the pathway statement, `IndicatorQuery.pieces`), or the rows of statements read for anybody.
enum PieceFacts {
    case share(ContributionSlots)
    case rows(ContributionRows)

    /// Each contribution with its participant's id (a participant may come several times in rows).
    func forEach(_ body: (Int64, Contribution) -> Void) {
        switch self {
        case .share(let slots): slots.forEach(body)
        case .rows(let rows): rows.forEach(body)
        }
    }
}

/// A piece given to `FactsCache.prime` as share `index` was not the slots of that share.
enum PieceError: Error { case notShare(Int) }

/// The next piece of `FactsCache.prime` to compute, taken by concurrent threads.
private final class PieceCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func take(below count: Int) -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}

/// Values handed to concurrent threads, one each, and back (the pieces' results, the shares of
/// `FactsCache.prime`): `take` leaves nothing behind, so a dictionary taken out has no other
/// owner and is changed in place rather than copied.
private final class ShareBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value?]
    init(_ values: [Value]) { self.values = values }
    func take(_ i: Int) -> Value { lock.withLock { defer { values[i] = nil }; return values[i]! } }
    func put(_ i: Int, _ value: Value) { lock.withLock { values[i] = value } }
    func takeAll() -> [Value] { lock.withLock { defer { values = [] }; return values.map { $0! } } }
}

/// A period's contributions by participant id, in shares by id modulo their number (one share
/// when computed at once): the shares of `FactsCache.prime` are filled on threads of their own
/// and kept as they are, rather than copied into one table by one thread.
struct FactTable {
    private var shares: [ContributionSlots]

    init(shares: [ContributionSlots]) {
        precondition(!shares.isEmpty)
        precondition(shares.indices.allSatisfy { shares[$0].stride == shares.count && shares[$0].residue == $0 }, "share i holds the ids of residue i")
        self.shares = shares
    }

    init(_ facts: [Int64: Contribution]) {
        var slots = ContributionSlots(ids: facts.keys.max() ?? 0)
        for (pid, c) in facts { slots[pid] = c }
        shares = [slots]
    }

    /// The share that holds `pid`: its id modulo `count`, as SQL's `%` gives it for the
    /// positive ids of a table.
    static func share(of pid: Int64, among count: Int) -> Int {
        let r = pid % Int64(count)
        return Int(r < 0 ? r + Int64(count) : r)
    }

    subscript(pid: Int64) -> Contribution? {
        get { shares[Self.share(of: pid, among: shares.count)][pid] }
        set { shares[Self.share(of: pid, among: shares.count)][pid] = newValue }
    }

    /// The sums by cell of share `i`'s contributions.
    func cells(share i: Int) -> [IndicatorCell: IndicatorCounts] {
        var cells: [IndicatorCell: IndicatorCounts] = [:]
        shares[i].forEach { pid, fact in cells.modify(fact.cell, default: IndicatorCounts()) { $0.add(fact, participant: pid) } }
        return cells
    }
}

/// Where `IndicatorQuery` adds up the participants' contributions: a dictionary, or slots.
protocol ContributionSink {
    mutating func modify(_ pid: Int64, default make: @autoclosure () -> Contribution, _ body: (inout Contribution) throws -> Void) rethrows
}

extension Dictionary: ContributionSink where Key == Int64, Value == Contribution {}

/// Contributions by participant id, for the ids of one residue modulo `stride` (a share of
/// `FactTable`, or every id with a stride of 1), each in the slot of an array at its id divided
/// by `stride`.
///
/// Why not a dictionary: a first computation fills the shares with the pathway statement (about
/// 60,000 participants) and merges the other pieces' rows into them, and a dictionary hashed
/// each id two or three times and grew by copies (a first call's
/// instructions went 1,150 → 1,075 M with slots, docs/PERFORMANCE.md). Ids are a table's
/// rowids, given in order by SQLite: the array is about as long as the number of participants
/// ever created, 96 bytes each. An id past `maxSlots` (or negative, or of another residue) is
/// kept in a dictionary beside it.
struct ContributionSlots: ContributionSink {
    let stride: Int
    let residue: Int
    private var slots: [Contribution?]
    private var overflow: [Int64: Contribution] = [:]
    /// Slots at most (about 100 MiB): past them, ids go to `overflow`.
    static let maxSlots = 1 << 20

    /// Empty, with slots already made for the ids up to `ids` (the table's largest id: no
    /// growth while filling).
    init(stride: Int = 1, residue: Int = 0, ids: Int64 = 0) {
        precondition(stride >= 1 && (0..<stride).contains(residue))
        self.stride = stride
        self.residue = residue
        slots = Array(repeating: nil, count: min(Self.maxSlots, Int(max(0, ids)) / stride + 1))
    }

    /// The slot of `pid`, nil when it goes to `overflow`.
    @inline(__always)
    private func slot(_ pid: Int64) -> Int? {
        guard pid >= 0, FactTable.share(of: pid, among: stride) == residue else { return nil }
        let index = Int(pid) / stride
        return index < Self.maxSlots ? index : nil
    }

    /// Makes the slots up to `index` (doubling, not one by one).
    private mutating func grow(to index: Int) {
        guard index >= slots.count else { return }
        slots.append(contentsOf: repeatElement(nil, count: min(Self.maxSlots, max(index + 1, slots.count * 2)) - slots.count))
    }

    subscript(pid: Int64) -> Contribution? {
        get {
            guard let index = slot(pid) else { return overflow[pid] }
            return index < slots.count ? slots[index] : nil
        }
        set {
            guard let index = slot(pid) else { overflow[pid] = newValue; return }
            if newValue != nil { grow(to: index) } else if index >= slots.count { return }
            slots[index] = newValue
        }
    }

    @inline(__always)
    mutating func modify(_ pid: Int64, default make: @autoclosure () -> Contribution, _ body: (inout Contribution) throws -> Void) rethrows {
        guard let index = slot(pid) else { try overflow.modify(pid, default: make(), body); return }
        grow(to: index)
        if slots[index] == nil { slots[index] = make() }
        try body(&slots[index]!)
    }

    /// Each contribution with its participant's id, in id order (then the overflow's).
    func forEach(_ body: (Int64, Contribution) -> Void) {
        for index in slots.indices {
            if let c = slots[index] { body(Int64(index * stride + residue), c) }
        }
        for (pid, c) in overflow { body(pid, c) }
    }
}

/// Contributions as a list, one entry per row read: what the pieces of a full computation that
/// read statements for anybody give (exits, follow-ups, contracts, positionings: from a few
/// thousand to 25,000 rows each on a PLIE of 100,000). A participant read in several rows comes
/// in several entries, which add up (`Contribution.absorb`) when merged.
///
/// Why not slots: those pieces touch a few of the participants, and slots made for every id
/// were about 10 MiB each (100,000 ids of 104 bytes), written once and walked whole by the
/// merge: most of a first call's page faults (docs/PERFORMANCE.md).
struct ContributionRows: ContributionSink {
    private var rows: [(pid: Int64, contribution: Contribution)] = []

    var count: Int { rows.count }

    mutating func modify(_ pid: Int64, default make: @autoclosure () -> Contribution, _ body: (inout Contribution) throws -> Void) rethrows {
        var c = make()
        try body(&c)
        rows.append((pid, c))
    }

    /// Each entry in the order read.
    func forEach(_ body: (Int64, Contribution) -> Void) {
        for row in rows { body(row.pid, row.contribution) }
    }
}
