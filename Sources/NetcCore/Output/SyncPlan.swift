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
        let (first, second) = both(parallel: TwoCores.worth(bytes: generated.reduce(0) { $0 + $1.bytes.count }),
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
                if existing.isLabelled(at: path) {
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
            switch existing.compare(f.path, with: f.bytes) {
            case .absent: p.create.append(f)
            case .same: matched += 1
            case .different(let labelled):
                matched += 1
                if labelled { p.update.append(f) } else { p.conflicts.append(f.path) }
            }
        }
        return (p, matched)
    }
}
