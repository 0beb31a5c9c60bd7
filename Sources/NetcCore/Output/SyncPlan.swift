#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// What a build must do to an output folder so that netc's folders hold
/// exactly the generated files. Pure: the caller reads and writes.
public struct SyncPlan: Sendable, Equatable {
    public var create: [OutputFile] = []
    public var update: [OutputFile] = []
    /// Paths of labelled files that this build no longer generates.
    public var remove: [String] = []
    /// Paths of files netc did not write; left alone, with a warning.
    public var foreign: [String] = []
    /// Paths this build would write where a file netc did not write (no
    /// label) stands: the build refuses to overwrite them.
    public var conflicts: [String] = []

    public var isEmpty: Bool { create.isEmpty && update.isEmpty && remove.isEmpty }

    /// Every path that would change, with a one-letter status (A, M, D).
    public var summary: [String] {
        (create.map { "A \($0.path)" } + update.map { "M \($0.path)" } + remove.map { "D \($0)" })
            .sorted { $0.dropFirst(2) < $1.dropFirst(2) }
    }

    /// - Parameters:
    ///   - existing: every regular file now in netc's folders of the output
    ///     folder (`OutputLayout.folders`), by path.
    ///   - generated: this build's files.
    public static func make(existing: some ExistingFiles, generated: [OutputFile]) -> SyncPlan {
        // A large build compares its two halves on two cores; the plan
        // lists them in order, as one pass would.
        let half = generated.count / 2
        let (first, second) = both(parallel: generated.count >= 1024,
                                   { compare(existing: existing, generated[..<half]) },
                                   { compare(existing: existing, generated[half...]) })
        var p = first.plan
        p.create += second.plan.create
        p.update += second.plan.update
        p.conflicts += second.plan.conflicts
        let matched = first.matched + second.matched
        // Files this build does not generate (none, in the common case).
        if existing.count > matched {
            let wanted = Set(generated.map(\.path))
            for path in existing.paths.filter({ !wanted.contains($0) }).sorted() {
                if existing.withBytes(at: path, { OutputLayout.isLabelled(bytes: $0!) }) {
                    p.remove.append(path)
                } else {
                    p.foreign.append(path)
                }
            }
        }
        return p
    }

    /// Which of `generated` are new, changed or in a foreign file's place,
    /// and how many `existing` holds.
    static func compare(existing: some ExistingFiles, _ generated: ArraySlice<OutputFile>) -> (plan: SyncPlan, matched: Int) {
        var p = SyncPlan()
        var matched = 0
        for f in generated {
            let found: Found = existing.withBytes(at: f.path) { old in
                guard let old else { return .none }
                return same(old, f.bytes) ? .same : .other(labelled: OutputLayout.isLabelled(bytes: old))
            }
            switch found {
            case .none: p.create.append(f)
            case .same: matched += 1
            case .other(let labelled):
                matched += 1
                if labelled { p.update.append(f) } else { p.conflicts.append(f.path) }
            }
        }
        return (p, matched)
    }

    /// What `compare` found at a generated file's path.
    private enum Found { case none, same, other(labelled: Bool) }

    static func same(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return b.withUnsafeBytes { y in memcmp(a.baseAddress!, y.baseAddress!, a.count) == 0 }
    }
}
