import Foundation

/// A fixed set of threads running jobs in FIFO order: where `HTTPResponder` calls run.
///
/// Responders block on SQLite. Doing that on Dispatch's I/O queues would stall every
/// connection, and on Swift's cooperative pool (two threads here) the whole process, so
/// they get plain threads of their own.
final class WorkerPool: @unchecked Sendable {
    private let lock = Lock()
    private let condition = Condition()
    private var jobs: [() -> Void] = []
    private var head = 0
    private var stopping = false
    private var running = 0

    init(threads: Int, name: String) {
        for i in 0..<max(1, threads) {
            let thread = Thread { [self] in self.run() }
            thread.name = "\(name)-\(i)"
            thread.stackSize = 1 << 20
            running += 1
            thread.start()
        }
    }

    func submit(_ job: @escaping () -> Void) {
        lock.lock()
        jobs.append(job)
        lock.unlock()
        condition.signal()
    }

    /// Lets the threads exit once the queued jobs are done.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        condition.broadcast()
    }

    private func run() {
        while true {
            lock.lock()
            while head == jobs.count && !stopping { condition.wait(lock) }
            if head == jobs.count {
                running -= 1
                lock.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 1024 {
                jobs.removeFirst(head)
                head = 0
            }
            lock.unlock()
            job()
        }
    }
}
