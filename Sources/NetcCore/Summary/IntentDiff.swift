/// `netc diff --summary`: two versions of a topology (or of a fleet file)
/// compared by what they say, one line per change, for the reviewer of a
/// generated diff thousands of lines long:
///
///     network red: reservation r1 ip 10.81.0.11 -> 10.81.0.12
///     network blue removed
///     network red: forward tcp 2222 -> web1 added
///     overlay tenants: kvm3 joins
///
/// Both texts are read as YAML the way the parser reads them (scalars as
/// written, merge keys applied); mappings are compared by key and lists as
/// sets, so reordering anything says nothing. A key written with its
/// default value where it was left out before is a change here (the files
/// say something new, even if the output does not change). The callers
/// check both versions first: a text with errors is not compared.
public enum IntentDiff {
    /// A YAML value as the summary compares it.
    indirect enum Value: Equatable {
        case scalar(String)
        case map([String: Value])
        case list([Value])

        /// In flow style, keys sorted: `{mac: 52:54:00:10:00:11, ip: 10.0.0.5}`.
        var inline: String {
            switch self {
            case .scalar(let s): s.isEmpty ? "{}" : s
            case .map(let m): "{" + m.keys.sorted().map { "\($0): \(m[$0]!.inline)" }.joined(separator: ", ") + "}"
            case .list(let l): "[" + l.map(\.inline).joined(separator: ", ") + "]"
            }
        }

        var map: [String: Value]? { if case .map(let m) = self { m } else { nil } }
    }

    /// The entities each top-level key holds, and what one is called.
    static let entities = ["interfaces": "link", "networks": "network", "hosts": "host", "overlays": "overlay"]

    /// The changes from `old` to `new`, in the order of the files' sections
    /// and names. Texts that are not YAML mappings compare as empty.
    public static func lines(old: String, new: String) -> [String] {
        // A fleet's overlay without `members` spans every host: compared as
        // the list it stands for, so a host added to the fleet joins it.
        let a = withMembers(read(old)), b = withMembers(read(new))
        var out: [String] = []
        for key in Set(a.keys).union(b.keys).sorted(by: sectionOrder) {
            if let kind = entities[key] {
                let x = a[key]?.map ?? [:], y = b[key]?.map ?? [:]
                for name in Set(x.keys).union(y.keys).sorted() {
                    switch (x[name], y[name]) {
                    case (nil, _?): out.append("\(kind) \(name) added")
                    case (_?, nil): out.append("\(kind) \(name) removed")
                    case (let p?, let q?): compare(p, q, [], prefix: "\(kind) \(name): ", into: &out)
                    case (nil, nil): break
                    }
                }
            } else {
                compare(a[key], b[key], [key], prefix: "", into: &out)
            }
        }
        return out
    }

    /// Two versions of a fleet file: the fleet's changes, then each host's
    /// (a host in both versions: its topology as each version's `read`
    /// finds it), after `host NAME: `.
    public static func fleetLines(old: String, new: String, readOld: (String) -> FleetCompiler.Read,
                                  readNew: (String) -> FleetCompiler.Read) -> [String] {
        var out = lines(old: old, new: new)
        let a = read(old)["hosts"]?.map ?? [:], b = read(new)["hosts"]?.map ?? [:]
        func text(_ host: Value, _ read: (String) -> FleetCompiler.Read) -> String {
            guard case .scalar(let path)? = host.map?["topology"], case .text(_, let bytes) = read(path) else { return "" }
            return String(decoding: bytes, as: UTF8.self)
        }
        for name in Set(a.keys).intersection(b.keys).sorted() {
            out += lines(old: text(a[name]!, readOld), new: text(b[name]!, readNew)).map { "host \(name): " + $0 }
        }
        return out
    }

    /// `version` and `host` first, then the sections as a file has them.
    static func sectionOrder(_ x: String, _ y: String) -> Bool {
        let order = ["version", "host", "hosts", "interfaces", "networks", "overlays"]
        let i = order.firstIndex(of: x) ?? order.count, j = order.firstIndex(of: y) ?? order.count
        return (i, x) < (j, y)
    }

    /// The top-level mapping of a text, or nothing.
    static func read(_ text: String) -> [String: Value] {
        let (root, _) = TopologyParser.read(text) { _, node in value(node) }
        return root?.map ?? [:]
    }

    /// A node's value: merge keys applied (keys written beside them win,
    /// then the first mapping merged).
    static func value(_ n: YNode) -> Value {
        switch n.kind {
        case .scalar(let s, _):
            return .scalar(n.isNull ? "" : s)
        case .sequence(let items):
            return .list(items.map(value))
        case .mapping(let pairs):
            var m: [String: Value] = [:], merged: [(String, Value)] = []
            for (k, v) in pairs {
                guard k.isPlainKey else {
                    let sources: [YNode]
                    switch v.kind {
                    case .sequence(let s): sources = Array(s)
                    case .mapping, .scalar: sources = [v]
                    }
                    for s in sources { merged += (value(s).map ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
                    continue
                }
                m[k.scalarText ?? ""] = value(v)
            }
            for (k, v) in merged where m[k] == nil { m[k] = v }
            return .map(m)
        }
    }

    /// A fleet file's overlays, each with `members` (every host when it
    /// names none).
    static func withMembers(_ file: [String: Value]) -> [String: Value] {
        guard let hosts = file["hosts"]?.map, var overlays = file["overlays"]?.map else { return file }
        for (name, o) in overlays {
            guard var m = o.map, m["members"] == nil else { continue }
            m["members"] = .list(hosts.keys.sorted().map { .scalar($0) })
            overlays[name] = .map(m)
        }
        var f = file
        f["overlays"] = .map(overlays)
        return f
    }

    /// The changes within one value at `path`, each line after `prefix`.
    static func compare(_ a: Value?, _ b: Value?, _ path: [String], prefix: String, into out: inout [String]) {
        if a == b { return }
        let at = path.joined(separator: ".")
        switch (a, b) {
        case (nil, .list(let y)?):
            items([], y, path, prefix: prefix, into: &out)
        case (.list(let x)?, nil):
            items(x, [], path, prefix: prefix, into: &out)
        case (nil, let v?):
            out.append(prefix + "\(at) \(v.inline) added")
        case (let v?, nil):
            out.append(prefix + "\(at) \(v.inline) removed")
        case (.map(let x)?, .map(let y)?):
            for key in Set(x.keys).union(y.keys).sorted() {
                // Both versions are checked: reservations are a mapping.
                if key == "reservations" {
                    reservations(x[key]?.map ?? [:], y[key]?.map ?? [:], prefix: prefix, into: &out)
                } else {
                    compare(x[key], y[key], path + [key], prefix: prefix, into: &out)
                }
            }
        case (.list(let x)?, .list(let y)?):
            items(x, y, path, prefix: prefix, into: &out)
        case (.list(let x)?, let v?):
            // One value and a list of it say the same (`dhcp: {...}` and
            // `dhcp: [{...}]`).
            items(x, [v], path, prefix: prefix, into: &out)
        case (let v?, .list(let y)?):
            items([v], y, path, prefix: prefix, into: &out)
        case (let v?, let w?):
            out.append(prefix + "\(at) \(v.inline) -> \(w.inline)")
        case (nil, nil):
            break
        }
    }

    /// A guest network's reservations, by name.
    static func reservations(_ x: [String: Value], _ y: [String: Value], prefix: String, into out: inout [String]) {
        for name in Set(x.keys).union(y.keys).sorted() {
            switch (x[name], y[name]) {
            case (nil, let r?): out.append(prefix + "reservation \(name) added \(r.inline)")
            case (let r?, nil): out.append(prefix + "reservation \(name) removed \(r.inline)")
            case (let r?, let s?): compare(r, s, [], prefix: prefix + "reservation \(name) ", into: &out)
            case (nil, nil): break
            }
        }
    }

    /// A list compared as a multiset: each item gone, then each new one.
    static func items(_ x: [Value], _ y: [Value], _ path: [String], prefix: String, into out: inout [String]) {
        var left = y
        var removed: [Value] = []
        for v in x {
            if let i = left.firstIndex(of: v) { left.remove(at: i) } else { removed.append(v) }
        }
        let key = path.last ?? ""
        for (v, verb) in removed.map({ ($0, false) }) + left.map({ ($0, true) }) {
            switch key {
            case "members": out.append(prefix + "\(v.inline) \(verb ? "joins" : "leaves")")
            case "peers": out.append(prefix + "peer \(v.inline) \(verb ? "added" : "removed")")
            case "forwards": out.append(prefix + "forward \(forward(v)) \(verb ? "added" : "removed")")
            case "routes": out.append(prefix + "route \(route(v)) \(verb ? "added" : "removed")")
            default: out.append(prefix + "\(path.joined(separator: ".")) \(v.inline) \(verb ? "added" : "removed")")
            }
        }
    }

    /// `tcp 2222 -> web1:22 from [198.51.100.0/24]`.
    static func forward(_ v: Value) -> String {
        guard var m = v.map else { return v.inline }
        let text = "\(m.removeValue(forKey: "proto")?.inline ?? "?") \(m.removeValue(forKey: "port")?.inline ?? "?") -> "
            + (m.removeValue(forKey: "to")?.inline ?? "?") + (m.removeValue(forKey: "to_port").map { ":" + $0.inline } ?? "")
        return text + m.keys.sorted().map { " \($0) \(m[$0]!.inline)" }.joined()
    }

    /// `198.51.100.0/24 via 203.0.113.254 metric 50`.
    static func route(_ v: Value) -> String {
        guard var m = v.map else { return v.inline }
        let text = m.removeValue(forKey: "to")?.inline ?? "?"
        return text + (m.removeValue(forKey: "via").map { " via " + $0.inline } ?? "")
            + m.keys.sorted().map { " \($0) \(m[$0]!.inline)" }.joined()
    }
}
