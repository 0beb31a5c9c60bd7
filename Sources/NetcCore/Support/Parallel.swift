import Dispatch
import Foundation

/// When netc uses a second core: the one policy, with one threshold. From
/// 64 KiB of text (the topology a compile reads, or the files a build
/// compares with OUT), a stage splits its work in two halves that share
/// nothing mutable: libyaml's events cross to the thread that builds the
/// arena, the entries of `interfaces` and `networks` are read in two
/// halves, networkd's planner runs beside the others and its units print
/// in two halves, the sync plan compares two halves. Below it, where every
/// real host's topology is (a few KiB), one thread does everything: waking
/// a second costs more than it saves. `LargeInputTests` holds both paths to
/// the same files and diagnostics.
public enum TwoCores {
    public static let threshold = 64 * 1024

    /// Whether work over `bytes` of text is split over two cores.
    public static func worth(bytes: Int) -> Bool { bytes >= threshold }
}

/// Two computations at once, one per core (the compile's backends on a
/// machine with two cores at least); in turn when `parallel` is false (a
/// small topology, where waking a second thread costs more than it saves).
func both<A, B>(parallel: Bool, _ a: () throws -> A, _ b: () throws -> B) throws -> (A, B) {
    guard parallel else { return (try a(), try b()) }
    return try withoutActuallyEscaping(a) { a in
        try withoutActuallyEscaping(b) { b in
            let pair = Pair(a, b)
            DispatchQueue.concurrentPerform(iterations: 2) { pair.run($0) }
            return (try pair.first!.get(), try pair.second!.get())
        }
    }
}

/// `both` of two computations that cannot fail.
func both<A, B>(parallel: Bool, _ a: () -> A, _ b: () -> B) -> (A, B) {
    // Neither throws, so neither does the general `both`.
    try! both(parallel: parallel, { () throws -> A in a() }, { () throws -> B in b() })
}

/// The two computations of `both` and their results: each result is
/// written by its own thread, and read after both have finished.
private final class Pair<A, B>: @unchecked Sendable {
    let a: () throws -> A
    let b: () throws -> B
    var first: Result<A, Error>?
    var second: Result<B, Error>?

    init(_ a: @escaping () throws -> A, _ b: @escaping () throws -> B) {
        self.a = a
        self.b = b
    }

    func run(_ i: Int) {
        if i == 0 { first = Result { try a() } } else { second = Result { try b() } }
    }
}

extension TwoCores {
    /// `body(i)` for each `i` in `0..<count`, on `threads` threads (two: a
    /// fleet's hosts, a build's files), each taking the next index when it
    /// is done with one; the results in order. The first failure is thrown
    /// once every thread has stopped (each stops at its next index).
    public static func map<T>(_ count: Int, threads: Int = 2, _ body: (Int) throws -> T) throws -> [T] {
        if threads <= 1 || count < 2 { return try (0..<count).map(body) }
        return try withoutActuallyEscaping(body) { body in
            let shared = Indexed(count: count, body: body)
            DispatchQueue.concurrentPerform(iterations: min(threads, count)) { _ in shared.run() }
            if let failure = shared.failure { throw failure }
            return shared.results.map { $0! }
        }
    }
}

/// The state the threads of `TwoCores.map` share: the next index and the
/// first failure under a lock; each result slot written by one thread and
/// read after all have finished.
private final class Indexed<T>: @unchecked Sendable {
    let count: Int
    let body: (Int) throws -> T
    let lock = NSLock()
    var next = 0
    var failure: Error?
    var results: [T?]

    init(count: Int, body: @escaping (Int) throws -> T) {
        self.count = count
        self.body = body
        results = Array(repeating: nil, count: count)
    }

    func run() {
        while true {
            lock.lock()
            let i = next
            next += 1
            let stop = failure != nil
            lock.unlock()
            if stop || i >= count { return }
            do {
                let r = try body(i)
                lock.lock()
                results[i] = r
                lock.unlock()
            } catch {
                lock.lock()
                if failure == nil { failure = error }
                lock.unlock()
                return
            }
        }
    }
}
