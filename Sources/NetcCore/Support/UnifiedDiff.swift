/// A unified diff (as `diff -u` prints it) between two versions of a file.
public enum UnifiedDiff {
    /// - Parameters:
    ///   - old: the current contents, nil when the file does not exist.
    ///   - new: the new contents, nil when the file is removed.
    ///   - path: the name shown in the `---`/`+++` lines.
    public static func diff(old: String?, new: String?, path: String, context: Int = 3) -> String {
        if old == new { return "" }
        let a = lines(old ?? ""), b = lines(new ?? "")
        var out = "--- \(old == nil ? "/dev/null" : path)\n+++ \(new == nil ? "/dev/null" : path)\n"
        // A last line without a newline differs from the same text with one.
        let ops = script(a.map { $0.text + ($0.noNewline ? "\u{0}" : "") }, b.map { $0.text + ($0.noNewline ? "\u{0}" : "") })
        // Group edits into hunks with `context` lines around them.
        var i = 0
        while i < ops.count {
            guard let firstChange = ops[i...].firstIndex(where: { $0.kind != .same }) else { break }
            let start = max(i, firstChange - context)
            var end = firstChange
            var lastChange = firstChange
            while end < ops.count {
                if ops[end].kind != .same { lastChange = end }
                if end - lastChange > 2 * context { break }
                end += 1
            }
            end = min(ops.count, lastChange + context + 1)
            let hunk = ops[start..<end]
            let aStart = hunk.first!.a, bStart = hunk.first!.b
            let aCount = hunk.filter { $0.kind != .insert }.count
            let bCount = hunk.filter { $0.kind != .delete }.count
            out += "@@ -\(range(aStart, aCount)) +\(range(bStart, bCount)) @@\n"
            for op in hunk {
                switch op.kind {
                case .same: out += " " + a[op.a].text + "\n" + (a[op.a].noNewline ? "\\ No newline at end of file\n" : "")
                case .delete: out += "-" + a[op.a].text + "\n" + (a[op.a].noNewline ? "\\ No newline at end of file\n" : "")
                case .insert: out += "+" + b[op.b].text + "\n" + (b[op.b].noNewline ? "\\ No newline at end of file\n" : "")
                }
            }
            i = end
        }
        return out
    }

    static func range(_ start: Int, _ count: Int) -> String {
        count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
    }

    struct Line { var text: String; var noNewline: Bool }

    static func lines(_ s: String) -> [Line] {
        if s.isEmpty { return [] }
        var parts = s.split(separator: "\n", omittingEmptySubsequences: false).map { Line(text: String($0), noNewline: false) }
        if s.hasSuffix("\n") { parts.removeLast() } else { parts[parts.count - 1].noNewline = true }
        return parts
    }

    enum Kind { case same, delete, insert }
    struct Op { var kind: Kind; var a: Int; var b: Int }

    /// Edit script by longest common subsequence.
    static func script(_ a: [String], _ b: [String]) -> [Op] {
        let n = a.count, m = b.count
        var lcs = Array(repeating: Array(repeating: Int32(0), count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
        }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                ops.append(Op(kind: .same, a: i, b: j)); i += 1; j += 1
            } else if j < m, i == n || lcs[i][j + 1] > lcs[i + 1][j] {
                ops.append(Op(kind: .insert, a: i, b: j)); j += 1
            } else {
                ops.append(Op(kind: .delete, a: i, b: j)); i += 1
            }
        }
        return ops
    }
}
