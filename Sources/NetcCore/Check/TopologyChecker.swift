/// Check stage: semantic checks on the syntax model, then the validated
/// `Topology` (Check/ModelBuilder.swift) when nothing is wrong.
public enum TopologyChecker {
    /// Diagnostics of a parse and its checks, sorted by position.
    public static func diagnose(_ parsed: (TopologySyntax?, [Diagnostic])) -> [Diagnostic] {
        var bag = DiagnosticBag()
        bag.append(contentsOf: parsed.1)
        if let syntax = parsed.0 { bag.append(contentsOf: validate(syntax)) }
        return bag.sorted
    }

    /// The validated topology (nil when there are errors) and the sorted
    /// diagnostics.
    public static func check(_ parsed: (TopologySyntax?, [Diagnostic])) throws -> (Topology?, [Diagnostic]) {
        let diagnostics = diagnose(parsed)
        guard let syntax = parsed.0, !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        return (try ModelBuilder.build(syntax), diagnostics)
    }

    /// The semantic checks alone (unsorted).
    public static func validate(_ t: TopologySyntax) -> [Diagnostic] {
        var v = Checks(t: t)
        v.run()
        return v.bag.diagnostics
    }
}

/// The state of one validation run; the checks live in the extensions in
/// this folder, one file per concern.
struct Checks {
    let t: TopologySyntax
    var bag = DiagnosticBag()

    var interfaces: ByName<InterfaceSyntax>
    var networks: ByName<NetworkSyntax>
    /// Bridges of `bridge`-mode networks, usable as nat/route uplinks.
    var lanBridges: ByName<NetworkSyntax>

    /// Who enslaves each interface: a bond (as member) or a bridge (as uplink).
    var enslavedBy: [String: (by: Claimant, range: SourceRange)] = [:]

    init(t: TopologySyntax) {
        self.t = t
        interfaces = ByName(t.interfaces) { $0.name.value }
        networks = ByName(t.networks) { $0.name.value }
        lanBridges = ByName(t.networks) { $0.mode?.value == .bridge ? $0.bridge?.value : nil }
    }

    mutating func run() {
        checkNames()
        for i in t.interfaces { checkInterface(i) }
        checkClaims()
        for n in t.networks { checkNetwork(n) }
        checkOverlaps()
        checkForwardPorts()
    }

    // MARK: Helpers

    mutating func notAllowed(_ keys: KeyRanges, _ key: String, _ why: @autoclosure () -> String) {
        if let r = keys[key] { bag.add(.notAllowed(key, why()), at: r) }
    }

    mutating func required(_ keys: KeyRanges, _ key: String, _ why: @autoclosure () -> String) {
        if keys[key] == nil, !keys.misspelled.contains(key) { bag.add(.keyRequired(key, why()), at: keys.mapping) }
    }
}

/// Who enslaves an interface (for messages; compared, not formatted, until
/// a diagnostic needs it).
enum Claimant: Equatable, CustomStringConvertible {
    case bond(String)
    case bridgeOfNetwork(String)

    var description: String {
        switch self {
        case .bond(let b): "bond '\(b)'"
        case .bridgeOfNetwork(let n): "the bridge of network '\(n)'"
        }
    }

    var isBond: Bool { if case .bond = self { true } else { false } }
}

/// Items of an array looked up by a name, without copying them: the index
/// holds positions only (the syntax structs are large).
struct ByName<T> {
    let items: [T]
    private(set) var index: [String: Int] = [:]

    /// The first item of each name wins; items without a name are left out.
    init(_ items: [T], name: (T) -> String?) {
        self.items = items
        index.reserveCapacity(items.count)
        for (i, x) in items.enumerated() {
            if let n = name(x), index[n] == nil { index[n] = i }
        }
    }

    subscript(_ name: String) -> T? { index[name].map { items[$0] } }
    var keys: Dictionary<String, Int>.Keys { index.keys }
    var values: LazyMapSequence<Dictionary<String, Int>.Values, T> { index.values.lazy.map { items[$0] } }
}
